// Read-only queries: one patient, search, today's patients, check history, audit.
#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/rules/compare.hpp"

namespace onshi::ledger {
using namespace detail;

std::string PatientRecord::reference_number() const {
    for (const auto& l : links)
        if (l.unlinked_at.empty()) return l.reference_number;
    return "";
}

const InsuranceCard* PatientRecord::current_card() const {
    return !cards.empty() && cards.front().closed_on.empty() ? &cards.front() : nullptr;
}

namespace {
std::optional<QualificationCheck> latest_check(sql::Db& db, int version, const std::string& karte, bool with_xml) {
    sql::Stmt st(db, "SELECT " + check_columns(version) +
                         " FROM checks WHERE karte = ? ORDER BY checked_at DESC, id DESC LIMIT 1");
    st.bind(1, karte);
    if (!st.step()) return std::nullopt;
    auto c = read_check(st);
    if (!with_xml) c.raw_xml.clear();
    return c;
}

std::vector<PatientSummary> summaries(sql::Db& db, int version, sql::Stmt& st) {
    std::vector<PatientSummary> out;
    while (st.step()) {
        PatientSummary s;
        s.patient = read_patient(st);
        auto card = current_card(db, s.patient.karte);
        if (card) s.insurer_number = card->insurer_number;
        s.latest_check = latest_check(db, version, s.patient.karte, false);
        out.push_back(std::move(s));
    }
    return out;
}
}  // namespace

std::optional<PatientRecord> LedgerStore::patient(const std::string& karte) const {
    sql::Db& db = *db_;
    sql::Stmt ro(db, "BEGIN");  // one snapshot for the whole record
    ro.run();
    struct End {
        sql::Db& db;
        ~End() {
            try {
                db.exec("COMMIT");
            } catch (...) {}
        }
    } end{db};
    sql::Stmt st(db, select_sql(kPatientColumns) + " FROM patients WHERE karte = ?");
    st.bind(1, karte);
    if (!st.step()) return std::nullopt;
    PatientRecord r;
    r.patient = read_patient(st);
    // Current card first, then closed ones newest first: 過1, 過2 …
    sql::Stmt cards(
        db, select_sql(kCardColumns) +
                " FROM insurance_cards WHERE karte = ? ORDER BY closed_on IS NOT NULL, closed_on DESC, id DESC");
    cards.bind(1, karte);
    while (cards.step()) r.cards.push_back(read_card(cards));
    sql::Stmt k(db,
                "SELECT id, futansha_number, jukyusha_number, valid_from, valid_until, note FROM kouhi WHERE karte = ? "
                "ORDER BY id");
    k.bind(1, karte);
    while (k.step()) r.kouhi.push_back({k.integer(0), k.text(1), k.text(2), k.text(3), k.text(4), k.text(5)});
    sql::Stmt g(db,
                "SELECT id, insurer_number, insured_number, care_level, valid_from, valid_until FROM kaigo WHERE karte "
                "= ? ORDER BY id");
    g.bind(1, karte);
    while (g.step()) r.kaigo.push_back({g.integer(0), g.text(1), g.text(2), g.text(3), g.text(4), g.text(5)});
    sql::Stmt l(
        db, "SELECT id, karte, reference_number, linked_at, unlinked_at FROM links WHERE karte = ? ORDER BY id DESC");
    l.bind(1, karte);
    while (l.step()) r.links.push_back({l.integer(0), l.text(1), l.text(2), l.text(3), l.text(4)});
    sql::Stmt c(
        db,
        "SELECT id, karte, check_id, kind, value, given_at, expires_at FROM consents WHERE karte = ? ORDER BY id DESC");
    c.bind(1, karte);
    while (c.step())
        r.consents.push_back({c.integer(0), c.text(1), c.integer(2), c.text(3), c.text(4), c.text(5), c.text(6)});
    r.latest_check = latest_check(db, schema_version_, karte, true);
    return r;
}

std::vector<PatientSummary> LedgerStore::search(const SearchQuery& q, size_t limit) const {
    if (q.karte.empty() && q.kana.empty() && q.birth.empty())
        invalid("search needs a カルテ番号, a kana name or a birth date", "検索条件を入力してください。");
    require_date(q.birth, "birth");
    std::string where;
    if (!q.karte.empty()) where += " AND karte = :karte";
    if (!q.kana.empty()) where += " AND substr(kana_key, 1, length(:kana)) = :kana";  // prefix, no LIKE wildcards
    if (!q.birth.empty()) where += " AND birth = :birth";
    sql::Stmt st(*db_, select_sql(kPatientColumns) + " FROM patients WHERE 1 = 1" + where +
                           " ORDER BY kana_key, karte LIMIT :limit");
    int i = 1;
    if (!q.karte.empty()) st.bind(i++, q.karte);
    if (!q.kana.empty()) st.bind(i++, rules::kana_key(q.kana));
    if (!q.birth.empty()) st.bind(i++, q.birth);
    st.bind(i, int64_t(limit));
    return summaries(*db_, schema_version_, st);
}

std::vector<PatientSummary> LedgerStore::today(const std::string& date) const {
    std::string day = date.empty() ? now().substr(0, 10) : date;
    require_date(day, "date");
    sql::Stmt st(*db_, select_sql(kPatientColumns) +
                           " FROM patients WHERE karte IN "
                           "(SELECT karte FROM checks WHERE checked_at >= ? AND checked_at < ?) ORDER BY karte");
    st.bind(1, day).bind(2, day + "U");  // every "YYYY-MM-DDT…" of that day sorts between the two
    return summaries(*db_, schema_version_, st);
}

HistoryResult LedgerStore::history(const HistoryQuery& q, size_t cap) const {
    require_date(q.from, "from");
    require_date(q.to, "to");
    std::string where;
    if (!q.karte.empty()) where += " AND karte = :karte";
    if (!q.from.empty()) where += " AND checked_at >= :from";
    if (!q.to.empty()) where += " AND checked_at < :to";
    if (q.method) where += " AND method = :method";
    if (!q.validity.empty()) where += " AND validity = :validity";
    std::string columns = check_columns(schema_version_);
    columns.replace(columns.find("raw_xml"), 7, "''");  // the list never carries the XML
    sql::Stmt st(*db_, "SELECT " + columns + " FROM checks WHERE 1 = 1" + where +
                           " ORDER BY checked_at DESC, id DESC LIMIT :limit");
    int i = 1;
    if (!q.karte.empty()) st.bind(i++, q.karte);
    if (!q.from.empty()) st.bind(i++, q.from);
    if (!q.to.empty()) st.bind(i++, q.to + "U");
    if (q.method) st.bind(i++, to_code(*q.method));
    if (!q.validity.empty()) st.bind(i++, q.validity);
    st.bind(i, int64_t(cap) + 1);
    HistoryResult r;
    while (st.step()) r.rows.push_back(read_check(st));
    if (r.rows.size() > cap) {  // as the OQS 資格確認履歴照会 does: no partial list past the cap
        r.rows.clear();
        r.too_many = true;
        r.message_ja = std::to_string(cap) + " 件を超える結果があります。検索条件を見直して、再検索してください。";
    }
    return r;
}

namespace {
const char* const kAuditSelect =
    "SELECT a.id, a.at, a.staff_id, a.action, a.karte, a.summary, a.changes, a.undo_of, "
    "(SELECT u.id FROM audit u WHERE u.undo_of = a.id) FROM audit a";

AuditEntry read_audit(const sql::Stmt& st) {
    AuditEntry e;
    e.id = st.integer(0);
    e.at = st.text(1);
    e.staff_id = st.text(2);
    e.action = st.text(3);
    e.karte = st.text(4);
    e.summary = st.text(5);
    e.changes = Json::parse(st.text(6), nullptr, false);
    if (!st.is_null(7)) e.undo_of = st.integer(7);
    if (!st.is_null(8)) e.undone_by = st.integer(8);
    return e;
}
}  // namespace

std::optional<AuditEntry> LedgerStore::audit_entry(int64_t id) const {
    sql::Stmt st(*db_, std::string(kAuditSelect) + " WHERE a.id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_audit(st);
}

std::vector<AuditEntry> LedgerStore::audit_log(const std::string& karte, size_t limit) const {
    sql::Stmt st(*db_, std::string(kAuditSelect) + (karte.empty() ? " WHERE ?1 = ''" : " WHERE a.karte = ?1") +
                           " ORDER BY a.id DESC LIMIT ?2");
    st.bind(1, karte).bind(2, int64_t(limit));
    std::vector<AuditEntry> out;
    while (st.step()) out.push_back(read_audit(st));
    return out;
}

std::vector<std::string> LedgerStore::kartes() const {
    sql::Stmt st(*db_, "SELECT karte FROM patients ORDER BY length(karte), karte");
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
}

int64_t LedgerStore::patient_version(const std::string& karte) const { return patient_version_in(*db_, karte); }

std::string LedgerStore::karte_for_reference(const std::string& reference_number) const {
    sql::Stmt st(*db_, "SELECT karte FROM links WHERE reference_number = ? AND unlinked_at IS NULL");
    st.bind(1, reference_number);
    return st.step() ? st.text(0) : "";
}

std::optional<StaffMember> LedgerStore::staff(const std::string& id) const {
    sql::Stmt st(
        *db_,
        "SELECT id, name, role, salt, hash, iterations, failed_count, locked_until, active FROM staff WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return StaffMember{st.text(0),    st.text(1),    st.text(2), st.text(3),        st.text(4),
                       st.integer(5), st.integer(6), st.text(7), st.integer(8) != 0};
}

std::vector<StaffMember> LedgerStore::list_staff() const {
    sql::Stmt st(
        *db_,
        "SELECT id, name, role, salt, hash, iterations, failed_count, locked_until, active FROM staff ORDER BY id");
    std::vector<StaffMember> out;
    while (st.step())
        out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.integer(5), st.integer(6),
                       st.text(7), st.integer(8) != 0});
    return out;
}

}  // namespace onshi::ledger
