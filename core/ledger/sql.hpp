#pragma once
// A thin RAII layer over the ledger's two engines, private to the ledger: SQLite (a file) or PostgreSQL
// (libpq, core/ledger/sql_pg.cpp; docs/ledger-postgres.md). The rest of core/ledger writes SQLite's SQL;
// on PostgreSQL each statement is translated once when prepared (placeholders, transactions, DDL types).
// Every failure becomes a LedgerError.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/ledger/error.hpp"
#include "core/util/json.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace onshi::ledger::sql {

[[noreturn]] void fail(sqlite3* db, int rc, const std::string& what);

namespace pg {
struct Conn;
struct Cursor;
}  // namespace pg

// True for "postgresql://…" and "postgres://…" (libpq connection URIs); anything else is a SQLite file.
bool is_postgres_url(std::string_view location);

// A PostgreSQL connection: the URI as configured, the password read from its file ("" = none or in the
// URI's own ways), and how long a writer waits for another one (lock_timeout) before LedgerError(Busy).
struct PgParams {
    std::string url;
    std::string password;
    int lock_timeout_ms = 5000;
    // How long a statement waits for the server's answer before the connection is dropped (Unavailable);
    // at least lock_timeout_ms + 1 s. docs/ledger-postgres.md, "A server that does not answer".
    int answer_timeout_ms = 15000;
    bool read_only = false;
};

class Db {
public:
    Db(const std::filesystem::path& path, int flags);  // SQLite
    explicit Db(const PgParams& params);               // PostgreSQL
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    bool postgres() const { return pg_ != nullptr; }
    sqlite3* get() const { return db_; }  // nullptr on PostgreSQL
    pg::Conn* pg() const { return pg_; }  // nullptr on SQLite
    void exec(std::string_view sql);
    std::string pragma(std::string_view name);  // first column of the first row, "" if none
    // The schema version: PRAGMA user_version on SQLite, the one row of table onshi_schema_version on PostgreSQL.
    int user_version();
    void set_user_version(int version);
    int64_t last_id() const;
    int changes() const;  // rows changed by the last statement
    void rollback() noexcept;  // ends the open transaction, if any, discarding it
    // Called after every Tx commits on this connection (the in-process signal of LedgerWatcher on SQLite).
    void set_on_commit(std::function<void()> f) { on_commit_ = std::move(f); }
    void committed() const {
        if (on_commit_) on_commit_();
    }
private:
    friend class Stmt;
    // Statements prepared once per connection, keyed by their SQL: a Stmt borrows one (a second Stmt
    // with the same SQL while the first is alive prepares its own) and gives it back reset. Finalized
    // before the connection closes. Schema changes are no matter: sqlite3_prepare_v2 statements re-prepare.
    struct Prepared {
        sqlite3_stmt* st = nullptr;
        bool busy = false;
    };
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    static constexpr size_t kMaxPrepared = 128;  // dynamic SQL past this is prepared each time
    mutable std::unordered_map<std::string, Prepared, Hash, std::equal_to<>> prepared_;
    sqlite3* db_ = nullptr;
    pg::Conn* pg_ = nullptr;  // owned; its own statement cache (sql_pg.cpp)
    std::function<void()> on_commit_;
};

class Stmt {
public:
    Stmt(const Db& db, std::string_view sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, std::string_view v);
    Stmt& bind(int i, int64_t v);
    Stmt& bind_null(int i);
    Stmt& bind_blob(int i, std::string_view bytes);
    Stmt& bind_opt(int i, std::string_view v);  // "" → NULL
    Stmt& bind_value(int i, const Json& v);     // string, integer or null
    bool step();                                // true while a row is ready
    void run() {
        while (step()) {}
    }
    void reset();

    int columns() const;
    std::string name(int col) const;
    bool is_null(int col) const;
    std::string text(int col) const;  // NULL → ""; a packed text unpacked (packed_text.hpp)
    int64_t integer(int col) const;
    Json value(int col) const;  // TEXT → string, INTEGER → number, NULL → null
    // Binds `v` as text, or on SQLite, when it is long and packs smaller, as its packed form.
    Stmt& bind_packable(int i, std::string_view v);
private:
    bool is_packed(int col) const;
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
    bool* borrowed_ = nullptr;  // the cache entry's busy flag when st_ belongs to the Db
    pg::Cursor* pc_ = nullptr;  // owned, on PostgreSQL (then st_ is null)
};

// BEGIN IMMEDIATE … COMMIT; rolls back unless commit() ran. On PostgreSQL, BEGIN and the ledger's one
// writer lock (docs/ledger-postgres.md, "Isolation").
class Tx {
public:
    explicit Tx(Db& db);
    ~Tx();
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit();

private:
    Db& db_;
    bool done_ = false;
};

}  // namespace onshi::ledger::sql
