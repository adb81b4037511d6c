#include "core/ledger/journal.hpp"

#include <array>
#include <cctype>

namespace onshi::ledger {
namespace {

// Only these tables are journalled; names read back from an audit row are checked against them.
constexpr std::array<std::string_view, 9> kTables = {"patients", "insurance_cards", "kouhi", "kaigo",    "checks",
                                                     "consents", "links",           "staff", "reception"};

std::string checked_table(std::string_view t) {
    for (auto k : kTables)
        if (k == t) return std::string(t);
    throw LedgerError(ErrorCode::Invalid, "unknown ledger table in journal: " + std::string(t), "監査記録が不正です。");
}

std::string quoted(const std::string& column) {
    for (char c : column)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
            throw LedgerError(ErrorCode::Invalid, "bad column name in journal: " + column, "監査記録が不正です。");
    return "\"" + column + "\"";
}

// Columns that never go into the audit: a passcode's salt and hash (secret), and the lockout counters that
// change on every passcode attempt without an audit row. Undo compares rows without them and puts back
// a removed staff row without a passcode (set a new one).
bool unrecorded(std::string_view table, std::string_view column) {
    return table == "staff" &&
           (column == "salt" || column == "hash" || column == "failed_count" || column == "locked_until");
}

Json recorded(std::string_view table, Json row) {
    if (!row.is_object()) return row;
    for (auto it = row.begin(); it != row.end();) {
        if (unrecorded(table, it.key()))
            it = row.erase(it);
        else
            ++it;
    }
    return row;
}

LedgerError conflict(const std::string& what) {
    return LedgerError(ErrorCode::Conflict, "cannot undo: " + what + " was changed afterwards",
                       "後から変更されたため取り消せません。先に後の変更を取り消してください。");
}

}  // namespace

Json Journal::row(std::string_view table, const Json& id) {
    sql::Stmt st(db_, "SELECT * FROM " + checked_table(table) + " WHERE id = ?");
    st.bind_value(1, id);
    if (!st.step()) return nullptr;
    Json r = Json::object();
    for (int c = 0; c < st.columns(); ++c) r[st.name(c)] = st.value(c);
    return r;
}

Json Journal::insert(std::string_view table, const Json& values) {
    std::string t = checked_table(table), cols, marks;
    for (auto it = values.begin(); it != values.end(); ++it) {
        cols += (cols.empty() ? "" : ",") + quoted(it.key());
        marks += marks.empty() ? "?" : ",?";
    }
    // RETURNING * hands back the row as stored (defaults filled in, as `row` would read it): no second query.
    sql::Stmt st(db_, "INSERT INTO " + t + "(" + cols + ") VALUES(" + marks + ") RETURNING *");
    int i = 1;
    for (const auto& v : values) st.bind_value(i++, v);
    Json stored = Json::object();
    if (st.step())
        for (int c = 0; c < st.columns(); ++c) stored[st.name(c)] = st.value(c);
    st.run();
    Json id = values.contains("id") ? values["id"] : Json(db_.last_id());
    ops_.push_back({{"op", "insert"}, {"table", t}, {"id", id}, {"row", recorded(t, std::move(stored))}});
    return id;
}

void Journal::update(std::string_view table, const Json& id, const Json& changes) {
    std::string t = checked_table(table);
    Json before_row = row(t, id);
    if (before_row.is_null())
        throw LedgerError(ErrorCode::NotFound, "no row " + id.dump() + " in " + t, "対象の記録がありません。");
    Json before = Json::object(), after = Json::object();
    std::string sets;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (!before_row.contains(it.key()))
            throw LedgerError(ErrorCode::Invalid, "no column " + it.key() + " in " + t, "監査記録が不正です。");
        if (before_row[it.key()] == it.value()) continue;
        before[it.key()] = before_row[it.key()];
        after[it.key()] = it.value();
        sets += (sets.empty() ? "" : ",") + quoted(it.key()) + "=?";
    }
    if (after.empty()) return;
    sql::Stmt st(db_, "UPDATE " + t + " SET " + sets + " WHERE id = ?");
    int i = 1;
    for (const auto& v : after) st.bind_value(i++, v);
    st.bind_value(i, id);
    st.run();
    before = recorded(t, std::move(before));
    after = recorded(t, std::move(after));
    if (!after.empty())
        ops_.push_back({{"op", "update"}, {"table", t}, {"id", id}, {"before", before}, {"after", after}});
}

void Journal::remove(std::string_view table, const Json& id) {
    std::string t = checked_table(table);
    Json r = row(t, id);
    if (r.is_null())
        throw LedgerError(ErrorCode::NotFound, "no row " + id.dump() + " in " + t, "対象の記録がありません。");
    sql::Stmt st(db_, "DELETE FROM " + t + " WHERE id = ?");
    st.bind_value(1, id);
    st.run();
    ops_.push_back({{"op", "delete"}, {"table", t}, {"id", id}, {"row", recorded(t, r)}});
}

void Journal::reverse(const Json& ops) {
    if (!ops.is_array()) throw LedgerError(ErrorCode::Invalid, "audit changes are not a list", "監査記録が不正です。");
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
        const Json& op = *it;
        std::string kind = op.value("op", ""), t = checked_table(op.value("table", ""));
        const Json& id = op.at("id");
        std::string where = t + " row " + id.dump();
        if (kind == "insert") {
            if (recorded(t, row(t, id)) != op.at("row")) throw conflict(where);
            remove(t, id);
        } else if (kind == "update") {
            Json now = row(t, id);
            if (now.is_null()) throw conflict(where);
            for (auto a = op.at("after").begin(); a != op.at("after").end(); ++a)
                if (now.value(a.key(), Json()) != a.value()) throw conflict(where);
            update(t, id, op.at("before"));
        } else if (kind == "delete") {
            if (!row(t, id).is_null()) throw conflict(where);
            insert(t, op.at("row"));
        } else {
            throw LedgerError(ErrorCode::Invalid, "unknown journal op: " + kind, "監査記録が不正です。");
        }
    }
}

}  // namespace onshi::ledger
