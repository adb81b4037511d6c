#include "core/ledger/detail.hpp"

#include "core/rules/date.hpp"

namespace onshi::ledger::detail {

void invalid(const std::string& en, const std::string& ja) { throw LedgerError(ErrorCode::Invalid, en, ja); }
void not_found(const std::string& en, const std::string& ja) { throw LedgerError(ErrorCode::NotFound, en, ja); }
void conflict(const std::string& en, const std::string& ja) { throw LedgerError(ErrorCode::Conflict, en, ja); }

void require_date(const std::string& value, const char* what) {
    if (!value.empty() && !rules::Date::from_iso(value))
        invalid(std::string(what) + " is not a date (YYYY-MM-DD): '" + value + "'",
                std::string("日付が正しくありません: ") + value);
}

void require_staff(const std::string& staff_id) {
    if (staff_id.empty()) invalid("a staff id is required for every change", "職員が指定されていません。");
}

void require_karte(const std::string& karte) {
    bool ok = !karte.empty() && karte.size() <= 20;
    for (char c : karte) ok = ok && c >= '0' && c <= '9';
    if (!ok || karte.find_first_not_of('0') == std::string::npos)
        invalid("カルテ番号 must be 1-20 digits and not 0: '" + karte + "'", "カルテ番号が正しくありません: " + karte);
}

int64_t write_audit(sql::Db& db, const Journal& j, const std::string& at, const std::string& staff_id,
                    const std::string& action, const std::string& karte, const std::string& summary, int64_t undo_of) {
    sql::Stmt st(db, "INSERT INTO audit(at, staff_id, action, karte, summary, changes, undo_of) VALUES(?,?,?,?,?,?,?)");
    st.bind(1, at).bind(2, staff_id).bind(3, action).bind(4, karte).bind(5, summary).bind(6, j.ops_text());
    if (undo_of)
        st.bind(7, undo_of);
    else
        st.bind_null(7);
    st.run();
    return db.last_id();
}

const char* const kCardColumns =
    "id, insurer_number, kigo, bango, edaban, relationship, insured_name, detail, burden_ratio, limit_class, "
    "valid_from, valid_until, issued_on, acquired_on, limit_from, limit_until, card_checked_on, closed_on";

InsuranceCard read_card(const sql::Stmt& st, int i) {
    InsuranceCard c;
    c.id = st.integer(i++);
    for (std::string* f : {&c.insurer_number, &c.kigo, &c.bango, &c.edaban, &c.relationship, &c.insured_name, &c.detail,
                           &c.burden_ratio, &c.limit_class, &c.valid_from, &c.valid_until, &c.issued_on, &c.acquired_on,
                           &c.limit_from, &c.limit_until, &c.card_checked_on, &c.closed_on})
        *f = st.text(i++);
    return c;
}

std::string select_sql(const char* columns) { return std::string("SELECT ") + columns; }

std::string check_columns(int schema_version) {
    return std::string(
               "id, karte, card_id, checked_at, method, validity, processing_status, result_code, message, "
               "raw_xml, staff_id, ") +
           (schema_version >= 2 ? "status, request" : "'', ''") +
           (schema_version >= 4 ? ", visual_reason" : ", ''");
}

QualificationCheck read_check(const sql::Stmt& st, int i) {
    QualificationCheck c;
    c.id = st.integer(i++);
    c.karte = st.text(i++);
    c.card_id = st.integer(i++);
    c.checked_at = st.text(i++);
    c.method = check_method_from_code(st.text(i++)).value_or(CheckMethod::Visual);
    for (std::string* f : {&c.validity, &c.processing_status, &c.result_code, &c.message, &c.raw_xml, &c.staff_id,
                           &c.status, &c.request, &c.visual_reason})
        *f = st.text(i++);
    if (c.status.empty()) c.status = derive_check_status(c.validity, c.processing_status, c.result_code, c.message);
    return c;
}

const char* const kPatientColumns =
    "karte, kanji_name, kana_name, sex, birth, postal, address, phone_home, phone_contact, phone_mobile";

Patient read_patient(const sql::Stmt& st, int i) {
    Patient p;
    for (std::string* f : {&p.karte, &p.kanji_name, &p.kana_name, &p.sex, &p.birth, &p.postal, &p.address,
                           &p.phones.home, &p.phones.contact, &p.phones.mobile})
        *f = st.text(i++);
    return p;
}

int64_t patient_version_in(sql::Db& db, const std::string& karte) {
    sql::Stmt st(db,
                 "SELECT max(id) FROM audit WHERE karte = ? AND action NOT LIKE 'check.%' "
                 "AND action NOT IN ('reception.add', 'medinfo.fetch')");
    st.bind(1, karte);
    return st.step() ? st.integer(0) : 0;
}

bool patient_exists(sql::Db& db, const std::string& karte) {
    sql::Stmt st(db, "SELECT 1 FROM patients WHERE karte = ?");
    st.bind(1, karte);
    return st.step();
}

void require_patient(sql::Db& db, const std::string& karte) {
    require_karte(karte);
    if (!patient_exists(db, karte))
        not_found("no patient with カルテ番号 " + karte, "カルテ番号 " + karte + " の患者様は登録されていません。");
}

std::optional<InsuranceCard> current_card(sql::Db& db, const std::string& karte) {
    sql::Stmt st(db,
                 select_sql(kCardColumns) + " FROM insurance_cards WHERE karte = ? AND closed_on IS NULL");
    st.bind(1, karte);
    if (!st.step()) return std::nullopt;
    return read_card(st);
}

}  // namespace onshi::ledger::detail
