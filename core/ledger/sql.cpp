#include "core/ledger/sql.hpp"

#include <sqlite3.h>

#include "core/ledger/sql_pg.hpp"

namespace onshi::ledger {

const char* to_string(ErrorCode c) {
    switch (c) {
        case ErrorCode::Corrupt: return "corrupt";
        case ErrorCode::TooNew: return "too_new";
        case ErrorCode::NotFound: return "not_found";
        case ErrorCode::Conflict: return "conflict";
        case ErrorCode::Invalid: return "invalid";
        case ErrorCode::Busy: return "busy";
        case ErrorCode::Io: return "io";
        case ErrorCode::NotLedger: return "not_ledger";
        case ErrorCode::Stale: return "stale";
        case ErrorCode::Unavailable: return "unavailable";
    }
    return "io";
}

namespace sql {

void fail(sqlite3* db, int rc, const std::string& what) {
    std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    switch (rc & 0xff) {
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            throw LedgerError(ErrorCode::Corrupt, "ledger file is damaged: " + msg,
                              "患者原簿のファイルが破損しています。管理者に連絡してください。");
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw LedgerError(ErrorCode::Busy, "ledger is busy: " + msg,
                              "患者原簿が使用中です。しばらくしてからやり直してください。");
        case SQLITE_CONSTRAINT:
            throw LedgerError(ErrorCode::Conflict, "ledger constraint: " + msg,
                              "患者原簿の内容と矛盾するため保存できません。");
        default: throw LedgerError(ErrorCode::Io, "ledger error: " + msg, "患者原簿の読み書きに失敗しました。");
    }
}

bool is_postgres_url(std::string_view location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Db::Db(const PgParams& params) : pg_(pg::connect(params)) {}

Db::Db(const std::filesystem::path& path, int flags) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        fail(nullptr, rc, "open " + path.string() + " (" + msg + ")");
    }
    sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() {
    if (pg_) {
        pg::close(pg_);
        return;
    }
    for (auto& [sql, p] : prepared_) sqlite3_finalize(p.st);
    sqlite3_close_v2(db_);
}

void Db::exec(std::string_view sql) {
    if (pg_) return pg::exec(*pg_, sql);
    std::string s(sql);
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "exec");
}

std::string Db::pragma(std::string_view name) {
    if (pg_ && name == "user_version") return std::to_string(user_version());
    Stmt st(*this, "PRAGMA " + std::string(name));
    return st.step() ? st.text(0) : std::string();
}

int Db::user_version() {
    if (pg_) return pg::user_version(*pg_);
    return std::stoi(pragma("user_version"));
}

void Db::set_user_version(int version) {
    if (pg_) return pg::set_user_version(*pg_, version);
    exec("PRAGMA user_version = " + std::to_string(version));
}

int64_t Db::last_id() const { return pg_ ? pg::last_id(*pg_) : sqlite3_last_insert_rowid(db_); }
int Db::changes() const { return pg_ ? pg::changes(*pg_) : sqlite3_changes(db_); }

void Db::rollback() noexcept {
    if (pg_) return pg::rollback(*pg_);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Stmt::Stmt(const Db& db, std::string_view sql) : db_(db.get()) {
    if (db.pg_) {
        pc_ = pg::prepare(*db.pg_, sql);
        return;
    }
    auto it = db.prepared_.find(sql);
    if (it != db.prepared_.end() && !it->second.busy) {
        st_ = it->second.st;
        borrowed_ = &it->second.busy;
        *borrowed_ = true;
        return;
    }
    int rc = sqlite3_prepare_v2(db_, sql.data(), int(sql.size()), &st_, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare");
    if (it == db.prepared_.end() && st_ && db.prepared_.size() < Db::kMaxPrepared) {
        Db::Prepared& p = db.prepared_.emplace(std::string(sql), Db::Prepared{st_, true}).first->second;
        borrowed_ = &p.busy;
    }
}

Stmt::~Stmt() {
    if (pc_) {
        pg::finish(pc_);
        return;
    }
    if (!borrowed_) {
        sqlite3_finalize(st_);
        return;
    }
    sqlite3_reset(st_);  // ends its read of the database, like finalize would
    sqlite3_clear_bindings(st_);
    *borrowed_ = false;
}

Stmt& Stmt::bind(int i, std::string_view v) {
    if (pc_) {
        pg::bind_text(*pc_, i, v);
        return *this;
    }
    int rc = sqlite3_bind_text(st_, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
    if (pc_) {
        pg::bind_int(*pc_, i, v);
        return *this;
    }
    int rc = sqlite3_bind_int64(st_, i, v);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}
Stmt& Stmt::bind_null(int i) {
    if (pc_) {
        pg::bind_null(*pc_, i);
        return *this;
    }
    int rc = sqlite3_bind_null(st_, i);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}
Stmt& Stmt::bind_blob(int i, std::string_view v) {
    if (pc_) {
        pg::bind_blob(*pc_, i, v);
        return *this;
    }
    int rc = sqlite3_bind_blob64(st_, i, v.data(), sqlite3_uint64(v.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}
Stmt& Stmt::bind_opt(int i, std::string_view v) { return v.empty() ? bind_null(i) : bind(i, v); }
Stmt& Stmt::bind_value(int i, const Json& v) {
    if (v.is_null()) return bind_null(i);
    if (v.is_number_integer()) return bind(i, v.get<int64_t>());
    if (v.is_string()) return bind(i, std::string_view(v.get_ref<const std::string&>()));
    throw LedgerError(ErrorCode::Invalid, "unsupported value in ledger row: " + v.dump(), "不正な値です。");
}

bool Stmt::step() {
    if (pc_) return pg::step(*pc_);
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(st_);
    fail(db_, rc, "step");
}

void Stmt::reset() {
    if (pc_) return pg::reset(*pc_);
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
}

int Stmt::columns() const { return pc_ ? pg::columns(*pc_) : sqlite3_column_count(st_); }
std::string Stmt::name(int col) const { return pc_ ? pg::name(*pc_, col) : sqlite3_column_name(st_, col); }
bool Stmt::is_null(int col) const { return pc_ ? pg::is_null(*pc_, col) : sqlite3_column_type(st_, col) == SQLITE_NULL; }
std::string Stmt::text(int col) const {
    if (pc_) return pg::text(*pc_, col);
    const unsigned char* p = sqlite3_column_text(st_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(st_, col))) : std::string();
}
int64_t Stmt::integer(int col) const { return pc_ ? pg::integer(*pc_, col) : sqlite3_column_int64(st_, col); }
Json Stmt::value(int col) const {
    if (pc_) return pg::value(*pc_, col);
    switch (sqlite3_column_type(st_, col)) {
        case SQLITE_NULL: return nullptr;
        case SQLITE_INTEGER: return integer(col);
        default: return text(col);
    }
}

Tx::Tx(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
Tx::~Tx() {
    if (!done_) db_.rollback();
}
void Tx::commit() {
    db_.exec("COMMIT");
    done_ = true;
    db_.committed();
}

}  // namespace sql
}  // namespace onshi::ledger
