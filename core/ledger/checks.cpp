// Checks recorded on their own (a face/ result taken in, a 単件照会 and its answer) and the intake of OQS
// files, exactly once per content. None of these changes a patient or a card. The rules are in
// docs/oqs-terminal.md, "Face results and 単件照会".
#include <cctype>

#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"

namespace onshi::ledger {
using namespace detail;

namespace {

void validate(const NewCheck& c) {
    if (!is_check_status(c.status)) invalid("unknown check status '" + c.status + "'", "確認結果の状態が不正です。");
    if (!c.checked_at.empty()) require_date(c.checked_at.substr(0, 10), "checked_at");
}

void require_sha256(const std::string& h) {
    bool ok = h.size() == 64;
    for (char c : h) ok = ok && (std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'));
    if (!ok)
        invalid("an intake needs the SHA-256 of the file (64 lower-case hex digits)", "ファイルの識別値が不正です。");
}

// The card must be the patient's, or the check would point at someone else's insurance.
void require_card(sql::Db& db, const std::string& karte, int64_t card_id) {
    if (!card_id) return;
    sql::Stmt st(db, "SELECT 1 FROM insurance_cards WHERE id = ? AND karte = ?");
    st.bind(1, card_id).bind(2, karte);
    if (!st.step())
        invalid("card " + std::to_string(card_id) + " is not a card of カルテ番号 " + karte,
                "保険証の指定が不正です。");
}

int64_t insert_check(Journal& j, const NewCheck& c, const std::string& at, const std::string& staff_id) {
    Json row = {{"karte", c.karte},
                {"card_id", c.card_id ? Json(c.card_id) : Json()},
                {"checked_at", c.checked_at.empty() ? at : c.checked_at},
                {"method", to_code(c.method)},
                {"validity", c.validity},
                {"processing_status", c.processing_status},
                {"result_code", c.result_code},
                {"message", c.message},
                {"raw_xml", c.raw_xml},
                {"staff_id", staff_id},
                {"status", c.status},
                {"request", c.request}};
    return j.insert("checks", row).get<int64_t>();
}

std::string summary_of(const NewCheck& c) {
    std::string s = std::string("確認 ") + to_code(c.method) + " " + c.status;
    if (!c.validity.empty()) s += " 有効性 " + c.validity;
    if (!c.request.empty()) s += " " + c.request;
    return s;
}

const char* const kIntakeColumns = "id, sha256, file, received_at, outcome, karte, check_id, match, status, reason";

IntakeRecord read_intake(const sql::Stmt& st, bool with_raw) {
    IntakeRecord r;
    r.id = st.integer(0);
    r.sha256 = st.text(1);
    r.file = st.text(2);
    r.received_at = st.text(3);
    r.outcome = st.text(4);
    r.karte = st.text(5);
    r.check_id = st.integer(6);
    r.match = st.text(7);
    r.status = st.text(8);
    r.reason = st.text(9);
    if (with_raw) r.raw = st.text(10);
    return r;
}

std::optional<IntakeRecord> find_intake(sql::Db& db, const std::string& sha256, bool with_raw) {
    sql::Stmt st(db, select_sql(kIntakeColumns) + ", raw FROM intake WHERE sha256 = ?");
    st.bind(1, sha256);
    if (!st.step()) return std::nullopt;
    return read_intake(st, with_raw);
}

}  // namespace

LedgerStore::RecordedCheck LedgerStore::record_check(const NewCheck& c, const std::string& staff_id) {
    require_staff(staff_id);
    validate(c);
    const std::string at = now();
    sql::Tx tx(*db_);
    require_patient(*db_, c.karte);
    require_card(*db_, c.karte, c.card_id);
    Journal j(*db_);
    RecordedCheck r;
    r.check_id = insert_check(j, c, at, staff_id);
    r.audit_id = write_audit(*db_, j, at, staff_id, std::string("check.") + to_code(c.method), c.karte, summary_of(c));
    tx.commit();
    return r;
}

int64_t LedgerStore::complete_check(int64_t check_id, const NewCheck& a, const std::string& staff_id) {
    return complete_checks({{check_id, a}}, staff_id).front();
}

std::vector<int64_t> LedgerStore::complete_checks(const std::vector<std::pair<int64_t, NewCheck>>& answers,
                                                  const std::string& staff_id) {
    require_staff(staff_id);
    for (const auto& [check_id, a] : answers) {
        validate(a);
        if (a.status == "processing") invalid("an answer cannot be 照会中", "照会中の記録には回答を記録できません。");
    }
    const std::string at = now();
    sql::Tx tx(*db_);
    std::vector<int64_t> ids;
    for (const auto& [check_id, a] : answers) {
        auto cur = check(check_id);
        if (!cur) not_found("no check " + std::to_string(check_id), "確認の記録がありません。");
        if (cur->status != "processing")
            conflict("check " + std::to_string(check_id) + " is no longer 照会中 (" + cur->status + ")",
                     "この照会には既に結果が記録されています。");
        Json changes = {
            {"status", a.status},           {"validity", a.validity}, {"processing_status", a.processing_status},
            {"result_code", a.result_code}, {"message", a.message},   {"raw_xml", a.raw_xml}};
        if (!a.checked_at.empty()) changes["checked_at"] = a.checked_at;
        Journal j(*db_);
        j.update("checks", check_id, changes);
        NewCheck s = a;
        s.method = cur->method;
        s.request = cur->request;
        ids.push_back(write_audit(*db_, j, at, staff_id, "check.answer", cur->karte, summary_of(s)));
    }
    tx.commit();
    return ids;
}

int64_t LedgerStore::mark_visual_check(int64_t check_id, const std::string& staff_id, const std::string& reason) {
    require_staff(staff_id);
    if (schema_version_ < 4)
        invalid("this ledger has no visual_reason column yet (open it read-write once)", "患者原簿を更新してください。");
    const std::string at = now();
    sql::Tx tx(*db_);
    auto cur = check(check_id);
    if (!cur) not_found("no check " + std::to_string(check_id), "確認の記録がありません。");
    if (cur->method != CheckMethod::Face && cur->method != CheckMethod::Visual)
        conflict("check " + std::to_string(check_id) + " was recorded as " + to_code(cur->method) +
                     ", not from a face result",
                 "この確認は顔認証付きカードリーダーの結果ではありません。");
    Journal j(*db_);
    j.update("checks", check_id,
             {{"method", to_code(CheckMethod::Visual)}, {"staff_id", staff_id}, {"visual_reason", reason}});
    std::string summary = std::string("確認 ") + to_code(CheckMethod::Visual) + " " + cur->status;
    if (!reason.empty()) summary += " 理由 " + reason;
    const int64_t id = write_audit(*db_, j, at, staff_id, "check.visual", cur->karte, summary);
    tx.commit();
    return id;
}

std::optional<QualificationCheck> LedgerStore::check(int64_t id) const {
    sql::Stmt st(*db_, "SELECT " + check_columns(schema_version_) + " FROM checks WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_check(st);
}

std::optional<QualificationCheck> LedgerStore::pending_check(const std::string& request) const {
    if (request.empty() || schema_version_ < 2) return std::nullopt;
    sql::Stmt st(*db_, "SELECT " + check_columns(schema_version_) +
                           " FROM checks WHERE request = ? AND status = 'processing' ORDER BY id DESC LIMIT 1");
    st.bind(1, request);
    if (!st.step()) return std::nullopt;
    return read_check(st);
}

LedgerStore::IntakeResult LedgerStore::take_in(const IntakeRecord& row, const std::optional<NewCheck>& c,
                                               const std::string& staff_id) {
    require_staff(staff_id);
    require_sha256(row.sha256);
    if (row.file.empty()) invalid("an intake needs the file name", "ファイル名がありません。");
    if (row.outcome != "matched" && row.outcome != "unmatched" && row.outcome != "malformed")
        invalid("unknown intake outcome '" + row.outcome + "'", "取り込み結果が不正です。");
    if ((row.outcome == "matched") != c.has_value())
        invalid("a check is recorded exactly when the file matched a patient", "取り込み結果が不正です。");
    if (c) validate(*c);
    const std::string at = now();
    sql::Tx tx(*db_);
    IntakeResult r;
    // Inside the write transaction: a second program taking in the same file waits here and then finds it.
    if (auto known = find_intake(*db_, row.sha256, false)) {
        r.row = *known;
        return r;  // rolled back: nothing was written
    }
    r.row = row;
    r.row.raw.clear();
    r.row.received_at = at;
    r.row.karte = c ? c->karte : "";
    if (c) {
        require_patient(*db_, c->karte);
        require_card(*db_, c->karte, c->card_id);
        Journal j(*db_);
        r.row.check_id = insert_check(j, *c, at, staff_id);
        r.audit_id = write_audit(*db_, j, at, staff_id, std::string("check.") + to_code(c->method), c->karte,
                                 summary_of(*c) + " " + row.file);
    }
    sql::Stmt st(*db_,
                 "INSERT INTO intake(sha256, file, received_at, outcome, karte, check_id, match, status, reason, raw) "
                 "VALUES(?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, row.sha256).bind(2, row.file).bind(3, at).bind(4, row.outcome).bind(5, r.row.karte);
    if (r.row.check_id)
        st.bind(6, r.row.check_id);
    else
        st.bind_null(6);
    st.bind(7, row.match).bind(8, row.status).bind(9, row.reason).bind_blob(10, row.raw);
    st.run();  // the UNIQUE index on sha256 stands behind the lookup above
    r.row.id = db_->last_id();
    tx.commit();
    r.recorded = true;
    return r;
}

std::optional<IntakeRecord> LedgerStore::intake_by_sha256(const std::string& sha256) const {
    if (schema_version_ < 2) return std::nullopt;  // read-only on a ledger from before the intake table
    return find_intake(*db_, sha256, true);
}

std::vector<IntakeRecord> LedgerStore::intake_list(const std::string& outcome, size_t limit) const {
    if (schema_version_ < 2) return {};
    sql::Stmt st(*db_, select_sql(kIntakeColumns) +
                           " FROM intake WHERE ?1 = '' OR outcome = ?1 ORDER BY id DESC LIMIT ?2");
    st.bind(1, outcome).bind(2, int64_t(limit));
    std::vector<IntakeRecord> out;
    while (st.step()) out.push_back(read_intake(st, false));
    return out;
}

}  // namespace onshi::ledger
