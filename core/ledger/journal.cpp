#include "core/ledger/journal.hpp"

#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <optional>

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

// Column names the narrow read in update() takes as they are: lower-case letters, digits and '_', as every
// ledger column is spelled. Anything else goes through the whole row, which names what is wrong.
bool plain_column(const std::string& c) {
    if (c.empty()) return false;
    for (char ch : c)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
    return true;
}

// True when `s` is well-formed UTF-8 (shortest form, no surrogate, at most U+10FFFF) without a control
// character, '"' or '\\': JSON writes such a string as it is, between quotes.
bool verbatim_json(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const unsigned c = *p;
        if (c < 0x80) {
            if (c < 0x20 || c == '"' || c == '\\') return false;
            ++p;
            continue;
        }
        size_t n;
        unsigned cp, min;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, cp = c & 0x1Fu, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, cp = c & 0x0Fu, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, cp = c & 0x07u, min = 0x10000;
        else
            return false;
        if (size_t(end - p) <= n) return false;
        for (size_t k = 1; k <= n; ++k) {
            if ((p[k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        p += n + 1;
    }
    return true;
}

void append_json_string(std::string& out, const std::string& s) {
    if (!verbatim_json(s)) {
        out += Json(s).dump();  // escapes, or refuses bytes that are not UTF-8, exactly as dump() does
        return;
    }
    out += '"';
    out += s;
    out += '"';
}

// The text v.dump() writes, with strings that need no escape copied whole instead of byte by byte (the
// 2 kB raw XML of a check, twice in its audit row, is most of an apply's JSON work otherwise).
void append_json(std::string& out, const Json& v) {
    if (v.is_object()) {
        out += '{';
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (!first) out += ',';
            first = false;
            append_json_string(out, it.key());
            out += ':';
            append_json(out, it.value());
        }
        out += '}';
    } else if (v.is_array()) {
        out += '[';
        bool first = true;
        for (const Json& e : v) {
            if (!first) out += ',';
            first = false;
            append_json(out, e);
        }
        out += ']';
    } else if (v.is_string()) {
        append_json_string(out, v.get_ref<const std::string&>());
    } else {
        out += v.dump();
    }
}

// A value longer than this in a row the journal adds, or as an update's new value, is recorded as
// {"sha256": hex}: undo only compares those with the row as it is now, and the row itself holds the value.
// What undo puts back (an update's old values, a removed row) is recorded whole (docs/performance.md,
// "Ledger plan": the check's raw XML was most of every plan's audit row).
constexpr size_t kDigestOver = 256;

std::string sha256_hex(std::string_view s) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);  // once: an implicit fetch per call costs more than the hash
    if (!sha256 || EVP_Digest(s.data(), s.size(), md, &n, sha256, nullptr) != 1)
        throw LedgerError(ErrorCode::Io, "SHA-256 failed", "監査記録を作成できません。");
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (unsigned i = 0; i < n; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

Json compared_only(Json v) {
    if (v.is_string() && v.get_ref<const std::string&>().size() > kDigestOver)
        return Json{{"sha256", sha256_hex(v.get_ref<const std::string&>())}};
    return v;
}

Json compared_only_row(Json row) {
    if (row.is_object())
        for (auto it = row.begin(); it != row.end(); ++it) it.value() = compared_only(std::move(it.value()));
    return row;
}

// A recorded value (whole, or its digest) against the value now; journals written before the digests hold
// every value whole.
bool same_value(const Json& recorded, const Json& now) {
    if (recorded.is_object())
        return now.is_string() && recorded.value("sha256", "") == sha256_hex(now.get_ref<const std::string&>());
    return recorded == now;
}

bool same_row(const Json& recorded, const Json& now) {
    if (!recorded.is_object() || !now.is_object()) return recorded == now;
    if (recorded.size() != now.size()) return false;
    for (auto it = recorded.begin(); it != recorded.end(); ++it) {
        auto n = now.find(it.key());
        if (n == now.end() || !same_value(it.value(), *n)) return false;
    }
    return true;
}

// A check's raw answer is stored packed on SQLite when it is long (packed_text.hpp); read back, it is text.
bool packable(std::string_view table, std::string_view column) { return table == "checks" && column == "raw_xml"; }

void bind_column(sql::Stmt& st, int i, std::string_view table, std::string_view column, const Json& v) {
    if (v.is_string() && packable(table, column))
        st.bind_packable(i, v.get_ref<const std::string&>());
    else
        st.bind_value(i, v);
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
    for (auto it = values.begin(); it != values.end(); ++it) bind_column(st, i++, t, it.key(), it.value());
    Json stored = Json::object();
    if (st.step())
        for (int c = 0; c < st.columns(); ++c) {
            std::string name = st.name(c);
            // A packable text column reads back as the text given, which need not be unpacked again.
            auto given = packable(t, name) ? values.find(name) : values.end();
            stored[std::move(name)] = given != values.end() && given->is_string() ? *given : st.value(c);
        }
    st.run();
    Json id = values.contains("id") ? values["id"] : Json(db_.last_id());
    ops_.push_back(
        {{"op", "insert"}, {"table", t}, {"id", id}, {"row", compared_only_row(recorded(t, std::move(stored)))}});
    return id;
}

std::string Journal::ops_text() const {
    std::string out;
    append_json(out, ops_);
    return out;
}

// The changed columns of one row as they are now (null when there is no such row): no whole-row read.
// A column that is not one of the table's, or not spelled plainly, gets the whole row, so update() names it.
Json Journal::columns(const std::string& table, const Json& id, const Json& changes) {
    std::string cols;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (!plain_column(it.key())) return row(table, id);
        cols += (cols.empty() ? "\"" : ",\"") + it.key() + "\"";
    }
    if (cols.empty()) return row(table, id);
    std::optional<sql::Stmt> st;
    try {
        st.emplace(db_, "SELECT " + cols + " FROM " + table + " WHERE id = ?");
    } catch (const LedgerError&) {
        return row(table, id);  // "no such column": the whole row says which
    }
    st->bind_value(1, id);
    if (!st->step()) return nullptr;
    Json r = Json::object();
    for (int c = 0; c < st->columns(); ++c) r[st->name(c)] = st->value(c);
    return r;
}

void Journal::update(std::string_view table, const Json& id, const Json& changes) {
    std::string t = checked_table(table);
    Json before_row = columns(t, id, changes);
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
    for (auto it = after.begin(); it != after.end(); ++it) bind_column(st, i++, t, it.key(), it.value());
    st.bind_value(i, id);
    st.run();
    before = recorded(t, std::move(before));
    after = compared_only_row(recorded(t, std::move(after)));
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
            if (!same_row(op.at("row"), recorded(t, row(t, id)))) throw conflict(where);
            remove(t, id);
        } else if (kind == "update") {
            Json now = row(t, id);
            if (now.is_null()) throw conflict(where);
            for (auto a = op.at("after").begin(); a != op.at("after").end(); ++a)
                if (!same_value(a.value(), now.value(a.key(), Json()))) throw conflict(where);
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
