#include "core/ledger/sql.hpp"

#include <sqlite3.h>

#include <new>
#include <string>

#include "core/ledger/packed_text.hpp"
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

namespace {

// The ledger's VFS: SQLite's own ("unix") for every file, except that the writes SQLite makes to a WAL file
// are gathered while they follow one another and handed to the kernel as one write when SQLite next syncs,
// reads, sizes, truncates or closes that file (or a write does not follow on). SQLite writes each WAL frame
// as two pieces, a 24-byte header and the page, neither aligned to the page cache: a plan's ten frames were
// twenty write() calls, and the kernel's work for each call cost more than the bytes (docs/performance.md,
// "Ledger plan"). The bytes, their order in the file and every sync stay SQLite's; a commit is visible to
// other connections only after its sync (synchronous=FULL), so nothing they read is still in a buffer.
// A bigger transaction goes out in pieces of this size (the unix VFS writes at most 128 KiB − 1 a call).
constexpr size_t kWalGather = 64 * 1024;

struct WalFile {
    sqlite3_file base;  // base.pMethods = &kWalMethods
    sqlite3_file* real = nullptr;  // the "unix" VFS's file, in the same allocation, right after this struct
    // (SQLite's allocations are 8-byte aligned, and so is the size of this struct.)
    std::string pending;
    sqlite3_int64 pending_at = 0;
};

sqlite3_vfs* unix_vfs() {
    static sqlite3_vfs* const u = sqlite3_vfs_find("unix") ? sqlite3_vfs_find("unix") : sqlite3_vfs_find(nullptr);
    return u;
}
WalFile* wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return wal(f)->real; }

int flush(WalFile* w) {
    if (w->pending.empty()) return SQLITE_OK;
    const int rc = w->real->pMethods->xWrite(w->real, w->pending.data(), int(w->pending.size()), w->pending_at);
    w->pending.clear();
    return rc;
}

int wal_close(sqlite3_file* f) {
    WalFile* w = wal(f);
    int rc = flush(w);
    const int closed = w->real->pMethods->xClose(w->real);
    w->~WalFile();
    return rc != SQLITE_OK ? rc : closed;
}
int wal_read(sqlite3_file* f, void* out, int n, sqlite3_int64 at) {
    if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xRead(real(f), out, n, at);
}
int wal_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 at) {
    WalFile* w = wal(f);
    if (!w->pending.empty() &&
        (at != w->pending_at + sqlite3_int64(w->pending.size()) || w->pending.size() + size_t(n) > kWalGather))
        if (int rc = flush(w); rc != SQLITE_OK) return rc;
    if (w->pending.empty()) w->pending_at = at;
    w->pending.append(static_cast<const char*>(p), size_t(n));
    return SQLITE_OK;
}
int wal_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xTruncate(real(f), size);
}
int wal_sync(sqlite3_file* f, int flags) {
    if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xSync(real(f), flags);
}
int wal_size(sqlite3_file* f, sqlite3_int64* size) {
    if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xFileSize(real(f), size);
}
int wal_lock(sqlite3_file* f, int lock) { return real(f)->pMethods->xLock(real(f), lock); }
int wal_unlock(sqlite3_file* f, int lock) { return real(f)->pMethods->xUnlock(real(f), lock); }
int wal_reserved(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int wal_control(sqlite3_file* f, int op, void* arg) {
    if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int wal_sector(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int wal_device(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int wal_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
}
int wal_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void wal_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int wal_shm_unmap(sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); }
int wal_fetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out) {
    if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xFetch(real(f), at, n, out);
}
int wal_unfetch(sqlite3_file* f, sqlite3_int64 at, void* p) { return real(f)->pMethods->xUnfetch(real(f), at, p); }

const sqlite3_io_methods kWalMethods = {3,           wal_close,      wal_read,       wal_write,     wal_truncate,
                                        wal_sync,    wal_size,       wal_lock,       wal_unlock,    wal_reserved,
                                        wal_control, wal_sector,     wal_device,     wal_shm_map,   wal_shm_lock,
                                        wal_shm_barrier, wal_shm_unmap, wal_fetch,   wal_unfetch};

int vfs_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    sqlite3_vfs* u = unix_vfs();
    if (!(flags & SQLITE_OPEN_WAL)) return u->xOpen(u, name, f, flags, out_flags);
    WalFile* w = new (f) WalFile;
    w->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(WalFile));
    w->real->pMethods = nullptr;
    const int rc = u->xOpen(u, name, w->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (w->real->pMethods) w->real->pMethods->xClose(w->real);
        w->~WalFile();
        f->pMethods = nullptr;
        return rc;
    }
    w->base.pMethods = &kWalMethods;
    return SQLITE_OK;
}

// Everything but xOpen is the unix VFS's own.
int vfs_delete(sqlite3_vfs*, const char* name, int sync) { return unix_vfs()->xDelete(unix_vfs(), name, sync); }
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return unix_vfs()->xAccess(unix_vfs(), name, flags, out);
}
int vfs_full(sqlite3_vfs*, const char* name, int n, char* out) {
    return unix_vfs()->xFullPathname(unix_vfs(), name, n, out);
}
void* vfs_dlopen(sqlite3_vfs*, const char* name) { return unix_vfs()->xDlOpen(unix_vfs(), name); }
void vfs_dlerror(sqlite3_vfs*, int n, char* out) { unix_vfs()->xDlError(unix_vfs(), n, out); }
void (*vfs_dlsym(sqlite3_vfs*, void* h, const char* name))(void) { return unix_vfs()->xDlSym(unix_vfs(), h, name); }
void vfs_dlclose(sqlite3_vfs*, void* h) { unix_vfs()->xDlClose(unix_vfs(), h); }
int vfs_random(sqlite3_vfs*, int n, char* out) { return unix_vfs()->xRandomness(unix_vfs(), n, out); }
int vfs_sleep(sqlite3_vfs*, int us) { return unix_vfs()->xSleep(unix_vfs(), us); }
int vfs_time(sqlite3_vfs*, double* out) { return unix_vfs()->xCurrentTime(unix_vfs(), out); }
int vfs_error(sqlite3_vfs*, int n, char* out) { return unix_vfs()->xGetLastError(unix_vfs(), n, out); }
int vfs_time64(sqlite3_vfs*, sqlite3_int64* out) { return unix_vfs()->xCurrentTimeInt64(unix_vfs(), out); }

// Registered once, not as the default: only the ledger's connections use it.
static_assert(sizeof(WalFile) % 8 == 0 && alignof(WalFile) <= 8);
const char* ledger_vfs() {
    static const char* const name = [] {
        sqlite3_vfs* u = unix_vfs();
        static sqlite3_vfs v = {2,        int(sizeof(WalFile)) + u->szOsFile,
                                u->mxPathname, nullptr, "onshi-ledger", nullptr,
                                vfs_open, vfs_delete, vfs_access, vfs_full, vfs_dlopen, vfs_dlerror, vfs_dlsym,
                                vfs_dlclose, vfs_random, vfs_sleep, vfs_time, vfs_error, vfs_time64,
                                nullptr, nullptr, nullptr};
        return sqlite3_vfs_register(&v, 0) == SQLITE_OK ? v.zName : nullptr;  // nullptr: SQLite's default
    }();
    return name;
}

}  // namespace

bool is_postgres_url(std::string_view location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Db::Db(const PgParams& params) : pg_(pg::connect(params)) {}

Db::Db(const std::filesystem::path& path, int flags) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, ledger_vfs());
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
Stmt& Stmt::bind_packable(int i, std::string_view v) {
    if (!pc_)
        if (auto stream = packed::pack(v)) return bind_blob(i, *stream);
    return bind(i, v);
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
// A BLOB in a column declared TEXT is a text stored packed (packed_text.hpp); a BLOB column's bytes and
// every other value are read as they are.
bool Stmt::is_packed(int col) const {
    if (sqlite3_column_type(st_, col) != SQLITE_BLOB) return false;
    const char* declared = sqlite3_column_decltype(st_, col);
    return declared && sqlite3_stricmp(declared, "TEXT") == 0;
}
std::string Stmt::text(int col) const {
    if (pc_) return pg::text(*pc_, col);
    if (is_packed(col))
        return packed::unpack({static_cast<const char*>(sqlite3_column_blob(st_, col)),
                               size_t(sqlite3_column_bytes(st_, col))});
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

// On SQLite through the statement cache: sqlite3_exec would parse BEGIN and COMMIT again for every change.
Tx::Tx(Db& db) : db_(db) {
    if (db_.postgres())
        db_.exec("BEGIN IMMEDIATE");
    else
        Stmt(db_, "BEGIN IMMEDIATE").run();
}
Tx::~Tx() {
    if (!done_) db_.rollback();
}
void Tx::commit() {
    if (db_.postgres())
        db_.exec("COMMIT");
    else
        Stmt(db_, "COMMIT").run();
    done_ = true;
    db_.committed();
}

}  // namespace sql
}  // namespace onshi::ledger
