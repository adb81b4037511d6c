#pragma once
// The PostgreSQL engine behind sql::Db / sql::Stmt (libpq), private to core/ledger/sql.cpp and its tests.
// The ledger's SQL is SQLite's; each statement is translated once, when it is prepared:
//  - placeholders ?, ?NNN, :name, @name, $name → $1… with SQLite's numbering (a name keeps its first number);
//  - BEGIN IMMEDIATE → BEGIN (READ COMMITTED) + the ledger's one writer lock; BEGIN → BEGIN REPEATABLE READ
//    (one snapshot for a multi-statement read); COMMIT and ROLLBACK as they are;
//  - CAST(… AS INTEGER) → CAST(… AS NUMERIC) (SQLite's cast never fails on a long カルテ番号);
//  - DDL run through Db::exec: INTEGER PRIMARY KEY → BIGINT identity, INTEGER → BIGINT, BLOB → BYTEA, the
//    append-only triggers (RAISE(ABORT, …)) → a PL/pgSQL trigger function, PRAGMA user_version = N → the
//    onshi_schema_version table.
// docs/ledger-postgres.md has the rules and the isolation choice.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/ledger/sql.hpp"

namespace onshi::ledger::sql::pg {

Conn* connect(const PgParams& params);
void close(Conn* c) noexcept;
void exec(Conn& c, std::string_view sql);
int user_version(Conn& c);
void set_user_version(Conn& c, int version);
int64_t last_id(Conn& c);
int changes(const Conn& c);
void rollback(Conn& c) noexcept;
std::string database_name(const Conn& c);
// Every write transaction (BEGIN IMMEDIATE) sends NOTIFY on this channel as it commits.
constexpr const char* kChannel = "onshi_ledger";
// LISTENs on kChannel now, before the caller goes on: a change committed after this returns is heard.
void subscribe(Conn& c);
// On a connection subscribe() set up: calls `changed` for each notification until `stop_fd` becomes
// readable. A lost connection is opened again (every second until it is back); once it LISTENs again, one
// `changed` (changes made meanwhile were not heard). No polling of the ledger: it waits on the two descriptors.
void listen(Conn& c, int stop_fd, const std::function<void()>& changed);

Cursor* prepare(Conn& c, std::string_view sql);
void finish(Cursor* cur) noexcept;
void bind_text(Cursor& cur, int i, std::string_view v);
void bind_int(Cursor& cur, int i, int64_t v);
void bind_null(Cursor& cur, int i);
void bind_blob(Cursor& cur, int i, std::string_view v);
bool step(Cursor& cur);
void reset(Cursor& cur);
int columns(const Cursor& cur);
std::string name(const Cursor& cur, int col);
bool is_null(const Cursor& cur, int col);
std::string text(const Cursor& cur, int col);
int64_t integer(const Cursor& cur, int col);
Json value(const Cursor& cur, int col);

// The translations above, exposed for their tests. `params` receives the highest placeholder number.
std::string translate(std::string_view sql, int* params);
std::string translate_ddl(std::string_view sql);

// The URI with any password in it replaced by "***" (for messages and logs).
std::string redacted(std::string_view url);

}  // namespace onshi::ledger::sql::pg
