// The day's reception list (受付一覧) and the bookkeeping of 一括照会 batches. The rules are in
// docs/oqs-terminal.md, "Reception list and 一括照会".
#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"

namespace onshi::ledger {
using namespace detail;

namespace {

void require_v3(int version) {
    if (version < 3)
        invalid("this ledger predates the reception list (open it read-write once to migrate it)",
                "患者原簿の更新が必要です。");
}

const char* const kBatchColumns =
    "id, created_at, selection, state, request, reception_number, poll_request, polls, message, staff_id";

BulkBatch read_batch(sql::Db& db, const sql::Stmt& st) {
    BulkBatch b;
    b.id = st.integer(0);
    b.created_at = st.text(1);
    b.selection = st.text(2);
    b.state = st.text(3);
    b.request = st.text(4);
    b.reception_number = st.text(5);
    b.poll_request = st.text(6);
    b.polls = st.integer(7);
    b.message = st.text(8);
    b.staff_id = st.text(9);
    sql::Stmt items(db,
                    "SELECT id, arbitrary_id, karte, card_id, check_id FROM bulk_items WHERE batch_id = ? ORDER BY id");
    items.bind(1, b.id);
    while (items.step())
        b.items.push_back({items.integer(0), items.text(1), items.text(2), items.integer(3), items.integer(4)});
    return b;
}

}  // namespace

LedgerStore::Received LedgerStore::receive(const std::string& karte, const std::string& day,
                                           const std::string& staff_id) {
    require_staff(staff_id);
    require_v3(schema_version_);
    const std::string at = now();
    const std::string d = day.empty() ? at.substr(0, 10) : day;
    require_date(d, "day");
    if (d.size() != 10) invalid("day must be YYYY-MM-DD", "日付が正しくありません: " + d);
    sql::Tx tx(*db_);
    require_patient(*db_, karte);
    Received r;
    sql::Stmt st(*db_, "SELECT id, day, karte, received_at, staff_id FROM reception WHERE day = ? AND karte = ?");
    st.bind(1, d).bind(2, karte);
    if (st.step()) {
        r.entry = {st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4)};
        return r;  // already on that day's list: nothing written
    }
    Journal j(*db_);
    r.entry = {0, d, karte, at, staff_id};
    r.entry.id = j.insert("reception", {{"day", d}, {"karte", karte}, {"received_at", at}, {"staff_id", staff_id}})
                     .get<int64_t>();
    r.audit_id = write_audit(*db_, j, at, staff_id, "reception.add", karte, "受付 " + d);
    r.added = true;
    tx.commit();
    return r;
}

std::vector<ReceptionRow> LedgerStore::reception_rows(const std::string& day) const {
    require_date(day, "day");
    if (day.size() != 10) invalid("day must be YYYY-MM-DD", "日付が正しくありません: " + day);
    if (schema_version_ < 3) return {};
    std::string columns = check_columns(schema_version_);
    std::string prefixed;
    // "c.id, c.karte, …" with the XML left out: the list never carries it.
    for (size_t pos = 0; pos < columns.size();) {
        size_t comma = columns.find(',', pos);
        std::string col = columns.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        while (!col.empty() && col.front() == ' ') col.erase(0, 1);
        prefixed += (prefixed.empty() ? "" : ", ") + (col == "raw_xml" ? std::string("''") : col.front() == '\'' ? col : "c." + col);
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    // One statement: the latest check of that day per patient comes from a correlated lookup on
    // checks(karte, checked_at), the current card from cards_one_current.
    sql::Stmt st(*db_, std::string("SELECT r.id, r.day, r.karte, r.received_at, r.staff_id, ") +
                           "p.kanji_name, p.kana_name, p.sex, p.birth, p.postal, p.address, p.phone_home, "
                           "p.phone_contact, p.phone_mobile, ic.id, ic.card_checked_on, " +
                           prefixed +
                           " FROM reception r JOIN patients p ON p.karte = r.karte"
                           " LEFT JOIN insurance_cards ic ON ic.karte = r.karte AND ic.closed_on IS NULL"
                           " LEFT JOIN checks c ON c.id = (SELECT c2.id FROM checks c2 WHERE c2.karte = r.karte"
                           " AND c2.checked_at >= ?1 AND c2.checked_at < ?2 ORDER BY c2.checked_at DESC, c2.id DESC"
                           " LIMIT 1)"
                           " WHERE r.day = ?1 ORDER BY r.received_at, r.id");
    st.bind(1, day).bind(2, day + "U");  // every "YYYY-MM-DDT…" of that day sorts between the two
    std::vector<ReceptionRow> out;
    while (st.step()) {
        ReceptionRow row;
        row.entry = {st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4)};
        row.patient.karte = row.entry.karte;
        int i = 5;
        for (std::string* f : {&row.patient.kanji_name, &row.patient.kana_name, &row.patient.sex, &row.patient.birth,
                               &row.patient.postal, &row.patient.address, &row.patient.phones.home,
                               &row.patient.phones.contact, &row.patient.phones.mobile})
            *f = st.text(i++);
        row.has_card = !st.is_null(i++);
        row.card_checked_on = st.text(i++);
        if (!st.is_null(i)) row.latest_check = read_check(st, i);
        out.push_back(std::move(row));
    }
    return out;
}

std::vector<std::string> LedgerStore::kartes_due(const std::string& first_of_month) const {
    require_date(first_of_month, "first_of_month");
    sql::Stmt st(*db_,
                 "SELECT karte FROM insurance_cards WHERE closed_on IS NULL AND card_checked_on < ? "
                 "ORDER BY CAST(karte AS INTEGER), karte");
    st.bind(1, first_of_month);  // "" (never confirmed) sorts before every date
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
}

BulkBatch LedgerStore::create_bulk(const std::string& selection,
                                   const std::vector<std::pair<std::string, int64_t>>& patients,
                                   const std::string& staff_id) {
    require_staff(staff_id);
    require_v3(schema_version_);
    if (patients.empty()) invalid("a 一括照会 needs at least one patient", "照会する患者様がいません。");
    const std::string at = now();
    sql::Tx tx(*db_);
    sql::Stmt b(*db_, "INSERT INTO bulk_batches(created_at, selection, state, staff_id) VALUES(?, ?, 'sending', ?)");
    b.bind(1, at).bind(2, selection).bind(3, staff_id);
    b.run();
    const int64_t id = db_->last_id();
    sql::Stmt it(*db_, "INSERT INTO bulk_items(batch_id, arbitrary_id, karte, card_id) VALUES(?, ?, ?, ?)");
    size_t seq = 0;
    for (const auto& [karte, card] : patients) {
        require_patient(*db_, karte);
        it.reset();
        it.bind(1, id).bind(2, std::to_string(id) + "_" + std::to_string(++seq)).bind(3, karte).bind(4, card);
        it.run();
    }
    tx.commit();
    return *bulk(id);
}

int64_t LedgerStore::bulk_sent(int64_t batch_id, const std::string& request, const std::string& staff_id) {
    require_staff(staff_id);
    if (request.empty()) invalid("the request name is required", "照会の記録が不正です。");
    const std::string at = now();
    sql::Tx tx(*db_);
    auto b = bulk(batch_id);
    if (!b) not_found("no 一括照会 batch " + std::to_string(batch_id), "一括照会の記録がありません。");
    if (b->state != "sending")
        conflict("batch " + std::to_string(batch_id) + " is " + b->state + ", not sending", "一括照会は送信済みです。");
    Journal j(*db_);
    sql::Stmt set(*db_, "UPDATE bulk_items SET check_id = ? WHERE id = ?");
    for (const auto& item : b->items) {
        Json row = {{"karte", item.karte},    {"card_id", item.card_id ? Json(item.card_id) : Json()},
                    {"checked_at", at},       {"method", to_code(CheckMethod::Bulk)},
                    {"message", "照会中"},    {"staff_id", staff_id},
                    {"status", "processing"}, {"request", request}};
        const int64_t check_id = j.insert("checks", row).get<int64_t>();
        set.reset();
        set.bind(1, check_id).bind(2, item.id);
        set.run();
    }
    sql::Stmt st(*db_, "UPDATE bulk_batches SET state = 'sent', request = ? WHERE id = ?");
    st.bind(1, request).bind(2, batch_id);
    st.run();
    int64_t audit = write_audit(*db_, j, at, staff_id, "check.bulk", "",
                                "一括照会 " + std::to_string(b->items.size()) + "件 " + request);
    tx.commit();
    return audit;
}

void LedgerStore::update_bulk(const BulkBatch& b) {
    static constexpr const char* kStates[] = {"sending", "sent", "polling", "done", "failed", "uncertain"};
    bool known = false;
    for (const char* s : kStates) known = known || b.state == s;
    if (!known) invalid("unknown 一括照会 state '" + b.state + "'", "一括照会の状態が不正です。");
    sql::Stmt st(*db_,
                 "UPDATE bulk_batches SET state = ?, reception_number = ?, poll_request = ?, polls = ?, "
                 "message = ? WHERE id = ?");
    st.bind(1, b.state)
        .bind(2, b.reception_number)
        .bind(3, b.poll_request)
        .bind(4, b.polls)
        .bind(5, b.message)
        .bind(6, b.id);
    st.run();
    if (db_->changes() != 1) not_found("no 一括照会 batch " + std::to_string(b.id), "一括照会の記録がありません。");
}

std::optional<BulkBatch> LedgerStore::bulk(int64_t batch_id) const {
    if (schema_version_ < 3) return std::nullopt;
    sql::Stmt st(*db_, select_sql(kBatchColumns) + " FROM bulk_batches WHERE id = ?");
    st.bind(1, batch_id);
    if (!st.step()) return std::nullopt;
    return read_batch(*db_, st);
}

std::vector<BulkBatch> LedgerStore::unfinished_bulks() const {
    if (schema_version_ < 3) return {};
    sql::Stmt st(*db_, select_sql(kBatchColumns) +
                           " FROM bulk_batches WHERE state IN ('sending', 'sent', 'polling') ORDER BY id");
    std::vector<BulkBatch> out;
    while (st.step()) out.push_back(read_batch(*db_, st));
    return out;
}

}  // namespace onshi::ledger
