#include "core/ledger/sql_pg.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <regex>
#include <unordered_map>
#include <vector>

namespace onshi::ledger::sql::pg {
namespace {

// The ledger's one writer lock (pg_advisory_xact_lock): a write transaction holds it from BEGIN to its end,
// like SQLite's BEGIN IMMEDIATE holds the file's write lock. Its number spells "onshi".
constexpr const char* kBeginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(478560610409)";
constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ";

// Type OIDs (pg_type.dat) of the results read as integers, and of bytea.
constexpr Oid kInt8 = 20, kInt2 = 21, kInt4 = 23, kNumeric = 1700, kBytea = 17, kBool = 16;

constexpr size_t kMaxPrepared = 128;  // like the SQLite cache: dynamic SQL past this is prepared each time

struct PgResult {
    PGresult* r = nullptr;
    PgResult() = default;
    explicit PgResult(PGresult* p) : r(p) {}
    ~PgResult() { PQclear(r); }
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    PgResult(PgResult&& o) noexcept : r(o.r) { o.r = nullptr; }
    PgResult& operator=(PgResult&& o) noexcept {
        if (this != &o) {
            PQclear(r);
            r = o.r;
            o.r = nullptr;
        }
        return *this;
    }
};

enum class Kind { Prepared, BeginWrite, BeginRead, Commit, Rollback };

}  // namespace

struct Conn {
    PGconn* conn = nullptr;
    std::string where;  // the URI without its password, for messages
    std::string setup;  // the session's SET statements, run again after a reconnect
    int answer_timeout_ms = 15000;  // how long a statement waits for the server's answer (await below)
    int changes = 0;
    uint64_t next_name = 0;
    // Bumped by each reconnect: statements prepared on an older session are prepared again when used.
    uint64_t generation = 1;
    bool in_tx = false;     // between a BEGIN and its COMMIT or ROLLBACK, as the ledger sees it
    bool write_tx = false;  // that transaction began with BEGIN IMMEDIATE: its commit notifies
    struct Entry {
        std::string name;
        std::string text;  // translated
        Kind kind = Kind::Prepared;
        int params = 0;
        bool busy = false;
        uint64_t generation = 0;
    };
    std::unordered_map<std::string, Entry> prepared;
};

struct Cursor {
    Conn* conn = nullptr;
    Conn::Entry own;               // a statement not in the cache (deallocated by finish)
    Conn::Entry* entry = nullptr;  // the cache's or &own
    std::vector<std::optional<std::string>> values;
    std::vector<int> binary;  // 1 for bytea parameters
    PgResult result;
    bool executed = false;
    int row = -1;
    int rows = 0;
};

namespace {

bool in_transaction(const Conn& c) { return PQtransactionStatus(c.conn) != PQTRANS_IDLE; }

void no_notices(void*, const char*) {}

[[noreturn]] void lost(const Conn& c, const std::string& what) {
    throw LedgerError(ErrorCode::Unavailable,
                      "ledger server " + c.where + " unreachable (" + what + "): " + PQerrorMessage(c.conn),
                      "原簿サーバーに接続できません。");
}

// SQLSTATE → the error the ledger's callers already handle (the same ErrorCode as SQLite's result codes).
[[noreturn]] void fail(const Conn& c, const PGresult* r, const std::string& what) {
    if (PQstatus(c.conn) == CONNECTION_BAD) lost(c, what);
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string code = state ? state : "";
    std::string msg = what + ": " + (r ? PQresultErrorMessage(r) : PQerrorMessage(c.conn));
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (!code.empty()) msg += " [" + code + "]";
    if (code == "40001" || code == "40P01" || code == "55P03" || code == "57014")
        throw LedgerError(ErrorCode::Busy, "ledger is busy: " + msg,
                          "患者原簿が使用中です。しばらくしてからやり直してください。");
    if (code.rfind("23", 0) == 0)
        throw LedgerError(ErrorCode::Conflict, "ledger constraint: " + msg, "患者原簿の内容と矛盾するため保存できません。");
    if (code == "XX001" || code == "XX002")
        throw LedgerError(ErrorCode::Corrupt, "ledger database is damaged: " + msg,
                          "患者原簿のファイルが破損しています。管理者に連絡してください。");
    if (code.rfind("08", 0) == 0 || code.rfind("57P", 0) == 0) lost(c, msg);
    throw LedgerError(ErrorCode::Io, "ledger error: " + msg, "患者原簿の読み書きに失敗しました。");
}

void check(const Conn& c, const PgResult& r, const std::string& what) {
    if (!r.r) fail(c, nullptr, what);
    const ExecStatusType s = PQresultStatus(r.r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) fail(c, r.r, what);
}

// Shuts the socket down under libpq, which then sees the connection as bad: revive() opens it again.
void drop(Conn& c) {
    ::shutdown(PQsocket(c.conn), SHUT_RDWR);
    PQconsumeInput(c.conn);
}

// Every statement is sent, then its answer awaited for at most `answer_timeout_ms`. TCP keepalives and
// tcp_user_timeout notice a network that is gone, but not a server that is there and does not answer (a
// stopped process, a disk that hangs): its kernel still acknowledges everything, and a blocking PQexec
// would hold the counter for ever. Past the deadline the connection is shut down: the server rolls back
// what that session had open, the caller hears Unavailable as for any lost connection, and the next
// statement connects again (revive). Like PQexec, the answer to several statements is the last one, or
// the first that failed.
PgResult await(Conn& c, bool sent) {
    if (!sent) return PgResult();  // the connection is broken; check() says so
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(c.answer_timeout_ms);
    PgResult answer;
    for (;;) {
        while (PQisBusy(c.conn)) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline - std::chrono::steady_clock::now())
                                  .count();
            if (left <= 0) {
                drop(c);
                throw LedgerError(ErrorCode::Unavailable,
                                  "ledger server " + c.where + " did not answer within " +
                                      std::to_string(c.answer_timeout_ms) + " ms; the connection was dropped",
                                  "原簿サーバーに接続できません。");
            }
            pollfd p{PQsocket(c.conn), POLLIN, 0};
            if (::poll(&p, 1, int(left)) < 0 && errno != EINTR) {
                drop(c);  // check() reports the connection as lost
                return PgResult();
            }
            if (!PQconsumeInput(c.conn)) break;  // the connection failed: PQgetResult reports it
        }
        PGresult* r = PQgetResult(c.conn);
        if (!r) break;
        const bool failed_before =
            answer.r && PQresultStatus(answer.r) != PGRES_COMMAND_OK && PQresultStatus(answer.r) != PGRES_TUPLES_OK;
        if (failed_before)
            PQclear(r);
        else
            answer = PgResult(r);
        if (PQstatus(c.conn) == CONNECTION_BAD) break;
    }
    return answer;
}

PgResult send(Conn& c, const char* sql) { return await(c, PQsendQuery(c.conn, sql) == 1); }

PgResult run(Conn& c, const std::string& sql, const std::string& what) {
    PgResult r = send(c, sql.c_str());
    check(c, r, what);
    return r;
}

// A connection the server dropped (a restart, the network) is opened again before the next statement, but
// never inside a transaction: that transaction is gone, and the caller hears so (Io) and rolls back.
void revive(Conn& c) {
    if (PQstatus(c.conn) != CONNECTION_BAD) return;
    if (c.in_tx) lost(c, "connection lost in a transaction");
    PQreset(c.conn);
    if (PQstatus(c.conn) != CONNECTION_OK) lost(c, "reconnect");
    PQsetNoticeProcessor(c.conn, no_notices, nullptr);
    ++c.generation;
    run(c, c.setup, "session setup");
}

// PQprepare of a cache entry on the current session. Inside a transaction under a savepoint: a statement
// that cannot be prepared (a column that is not there) must not end the transaction, as on SQLite.
void prepare_entry(Conn& c, Conn::Entry& e) {
    const bool guard = in_transaction(c);
    if (guard) run(c, "SAVEPOINT onshi_prepare", "prepare");
    PgResult r = await(c, PQsendPrepare(c.conn, e.name.c_str(), e.text.c_str(), 0, nullptr) == 1);
    if (!r.r || PQresultStatus(r.r) != PGRES_COMMAND_OK) {
        if (guard) send(c, "ROLLBACK TO SAVEPOINT onshi_prepare; RELEASE SAVEPOINT onshi_prepare");
        fail(c, r.r, "prepare");
    }
    if (guard) run(c, "RELEASE SAVEPOINT onshi_prepare", "prepare");
    e.generation = c.generation;
}

std::string trimmed_upper(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && (std::isspace(static_cast<unsigned char>(s[e - 1])) || s[e - 1] == ';')) --e;
    std::string out;
    bool space = false;
    for (size_t i = b; i < e; ++i) {
        const unsigned char ch = static_cast<unsigned char>(s[i]);
        if (std::isspace(ch)) {
            space = true;
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += char(std::toupper(ch));
    }
    return out;
}

Kind kind_of(std::string_view sql) {
    const std::string t = trimmed_upper(sql);
    if (t == "BEGIN IMMEDIATE" || t == "BEGIN EXCLUSIVE" || t == "BEGIN IMMEDIATE TRANSACTION") return Kind::BeginWrite;
    if (t == "BEGIN" || t == "BEGIN DEFERRED" || t == "BEGIN TRANSACTION") return Kind::BeginRead;
    if (t == "COMMIT" || t == "END" || t == "COMMIT TRANSACTION") return Kind::Commit;
    if (t == "ROLLBACK" || t == "ROLLBACK TRANSACTION") return Kind::Rollback;
    return Kind::Prepared;
}

// A transaction-control statement, run as it comes (never prepared). A failed BEGIN leaves no transaction.
void control(Conn& c, Kind k) {
    switch (k) {
        case Kind::BeginWrite:
        case Kind::BeginRead: {
            revive(c);
            PgResult r = send(c, k == Kind::BeginWrite ? kBeginWrite : kBeginRead);
            const bool ok =
                r.r && (PQresultStatus(r.r) == PGRES_TUPLES_OK || PQresultStatus(r.r) == PGRES_COMMAND_OK);
            if (!ok) {
                if (in_transaction(c)) send(c, "ROLLBACK");
                fail(c, r.r, "begin");
            }
            c.in_tx = true;
            c.write_tx = k == Kind::BeginWrite;
            return;
        }
        case Kind::Commit: {
            c.in_tx = false;  // committed or not, the transaction is over
            const bool notify = c.write_tx;
            c.write_tx = false;
            // NOTIFY is delivered at COMMIT, and only if it commits: the kiosks' live lists (LedgerWatcher).
            PgResult r = run(c, notify ? std::string("NOTIFY ") + kChannel + "; COMMIT" : std::string("COMMIT"), "commit");
            // COMMIT of a transaction that failed part-way reports ROLLBACK: nothing was written.
            if (std::string_view(PQcmdStatus(r.r)) == "ROLLBACK")
                throw LedgerError(ErrorCode::Io, "ledger transaction on " + c.where + " was rolled back",
                                  "患者原簿の読み書きに失敗しました。");
            return;
        }
        case Kind::Rollback:
            c.in_tx = false;
            run(c, "ROLLBACK", "rollback");
            return;
        case Kind::Prepared: return;
    }
}

bool ident_start(char ch) { return std::isalpha(static_cast<unsigned char>(ch)) || ch == '_'; }
bool ident_char(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; }

// Outside quotes and comments, `from` (a whole word, upper case as the ledger writes it) becomes `to`.
std::string replace_words(std::string_view sql, std::string_view from, std::string_view to) {
    std::string out;
    size_t i = 0;
    while (i < sql.size()) {
        const char ch = sql[i];
        if (ch == '\'' || ch == '"') {
            size_t j = i + 1;
            while (j < sql.size() && sql[j] != ch) ++j;
            out.append(sql.substr(i, j + 1 - i));
            i = j + 1;
            continue;
        }
        if (ch == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            size_t j = sql.find('\n', i);
            if (j == std::string_view::npos) j = sql.size();
            out.append(sql.substr(i, j - i));
            i = j;
            continue;
        }
        if (sql.compare(i, from.size(), from) == 0 && (i == 0 || !ident_char(sql[i - 1])) &&
            (i + from.size() >= sql.size() || !ident_char(sql[i + from.size()]))) {
            out.append(to);
            i += from.size();
            continue;
        }
        out += ch;
        ++i;
    }
    return out;
}

std::string unescape_bytea(const char* v) {
    size_t n = 0;
    unsigned char* p = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n);
    if (!p) throw LedgerError(ErrorCode::Io, "cannot read a bytea value", "患者原簿の読み書きに失敗しました。");
    std::string out(reinterpret_cast<const char*>(p), n);
    PQfreemem(p);
    return out;
}

}  // namespace

std::string redacted(std::string_view url) {
    std::string s(url);
    const size_t scheme = s.find("://");
    if (scheme == std::string::npos) return s;
    const size_t start = scheme + 3;
    const size_t at = s.find('@', start), slash = s.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
        const size_t colon = s.find(':', start);
        if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
    }
    const size_t pw = s.find("password=");
    if (pw != std::string::npos) {
        const size_t end = s.find('&', pw);
        s.replace(pw + 9, (end == std::string::npos ? s.size() : end) - pw - 9, "***");
    }
    return s;
}

std::string translate(std::string_view sql, int* params) {
    std::string out;
    out.reserve(sql.size() + 16);
    std::unordered_map<std::string, int> names;
    int max = 0;
    size_t i = 0;
    while (i < sql.size()) {
        const char ch = sql[i];
        if (ch == '\'' || ch == '"') {  // a string or a quoted name: copied as it is ('' and "" included)
            size_t j = i + 1;
            while (j < sql.size() && sql[j] != ch) ++j;
            out.append(sql.substr(i, j + 1 - i));
            i = j + 1;
            continue;
        }
        if (ch == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            size_t j = sql.find('\n', i);
            if (j == std::string_view::npos) j = sql.size();
            out.append(sql.substr(i, j - i));
            i = j;
            continue;
        }
        if (ch == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            size_t j = sql.find("*/", i + 2);
            j = j == std::string_view::npos ? sql.size() : j + 2;
            out.append(sql.substr(i, j - i));
            i = j;
            continue;
        }
        if (ch == '?') {
            size_t j = i + 1;
            while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
            int n = j > i + 1 ? std::atoi(std::string(sql.substr(i + 1, j - i - 1)).c_str()) : max + 1;
            if (n > max) max = n;
            out += '$' + std::to_string(n);
            i = j;
            continue;
        }
        if ((ch == ':' || ch == '@' || ch == '$') && i + 1 < sql.size() && ident_start(sql[i + 1]) &&
            !(i > 0 && sql[i - 1] == ':')) {
            size_t j = i + 1;
            while (j < sql.size() && ident_char(sql[j])) ++j;
            std::string name(sql.substr(i, j - i));
            auto [it, added] = names.emplace(name, max + 1);
            if (added) ++max;
            out += '$' + std::to_string(it->second);
            i = j;
            continue;
        }
        if (ch == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {  // a PostgreSQL cast, as it is
            out += "::";
            i += 2;
            continue;
        }
        out += ch;
        ++i;
    }
    if (params) *params = max;
    return replace_words(out, "AS INTEGER)", "AS NUMERIC)");
}

std::string translate_ddl(std::string_view sql) {
    std::string s(sql);
    // SQLite's append-only triggers: BEFORE UPDATE|DELETE ON t BEGIN SELECT RAISE(ABORT, 'why'); END;
    static const std::regex trigger(
        R"(CREATE TRIGGER (\w+) (BEFORE|AFTER) (UPDATE|DELETE|INSERT) ON (\w+) BEGIN SELECT RAISE\(ABORT, '([^']*)'\); END;)");
    if (std::regex_search(s, trigger)) {
        s = std::regex_replace(s, trigger, "CREATE TRIGGER $1 $2 $3 ON $4 FOR EACH ROW EXECUTE FUNCTION onshi_refuse('$5');");
        // The refusal is a constraint violation (class 23), as SQLite's RAISE(ABORT) is SQLITE_CONSTRAINT.
        s = "CREATE OR REPLACE FUNCTION onshi_refuse() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION "
            "USING ERRCODE = 'integrity_constraint_violation', MESSAGE = TG_ARGV[0]; END $f$;\n" +
            s;
    }
    s = replace_words(s, "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    s = replace_words(s, "INTEGER", "BIGINT");
    s = replace_words(s, "BLOB", "BYTEA");
    return s;
}

Conn* connect(const PgParams& params) {
    auto c = std::make_unique<Conn>();
    c->where = redacted(params.url);
    // Longer than the wait for the writer lock, which the server ends itself (lock_timeout → Busy).
    c->answer_timeout_ms = std::max(params.answer_timeout_ms, params.lock_timeout_ms + 1000);
    // Later keywords override earlier ones: the URI may set its own connect_timeout and application_name;
    // the encoding is always UTF-8, and the password file's password (when there is one) wins.
    // A dropped network is noticed within seconds, not after the system's TCP timeout of many minutes: TCP
    // keepalives and a send timeout (TCP only; a unix socket ignores them).
    std::vector<const char*> keys = {"connect_timeout", "application_name", "keepalives",     "keepalives_idle",
                                     "keepalives_interval", "keepalives_count", "tcp_user_timeout", "dbname",
                                     "client_encoding"};
    std::vector<const char*> values = {"10", "onshi", "1", "5", "2", "3", "10000", params.url.c_str(), "UTF8"};
    if (!params.password.empty()) {
        keys.push_back("password");
        values.push_back(params.password.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    c->conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (!c->conn) throw LedgerError(ErrorCode::Unavailable, "out of memory connecting to " + c->where, "原簿サーバーに接続できません。");
    if (PQstatus(c->conn) != CONNECTION_OK) {
        std::string err = PQerrorMessage(c->conn);
        PQfinish(c->conn);
        while (!err.empty() && err.back() == '\n') err.pop_back();
        throw LedgerError(ErrorCode::Unavailable, "cannot connect to ledger server " + c->where + ": " + err,
                          "原簿サーバーに接続できません。");
    }
    PQsetNoticeProcessor(c->conn, no_notices, nullptr);
    try {
        const char* enc = PQparameterStatus(c->conn, "server_encoding");
        if (!enc || std::string_view(enc) != "UTF8")
            throw LedgerError(ErrorCode::Invalid,
                              "ledger database " + c->where + " has encoding " + (enc ? enc : "?") +
                                  "; create it with ENCODING 'UTF8' (docs/ledger-postgres.md)",
                              "原簿データベースの文字コードが UTF-8 ではありません。管理者に連絡してください。");
        // Text is ordered byte by byte, as in SQLite (kana keys, カルテ番号): the database's collation is C.
        PgResult coll = run(*c, "SELECT datcollate FROM pg_database WHERE datname = current_database()", "collation");
        const std::string collate = PQntuples(coll.r) == 1 ? PQgetvalue(coll.r, 0, 0) : "";
        if (collate != "C" && collate != "POSIX" && collate != "C.UTF-8" && collate != "C.utf8")
            throw LedgerError(ErrorCode::Invalid,
                              "ledger database " + c->where + " has collation '" + collate +
                                  "'; create it with LOCALE 'C' (docs/ledger-postgres.md)",
                              "原簿データベースの照合順序が C ではありません。管理者に連絡してください。");
        c->setup = "SET lock_timeout = " + std::to_string(params.lock_timeout_ms > 0 ? params.lock_timeout_ms : 1) +
                   "; SET client_min_messages = warning";
        if (params.read_only) c->setup += "; SET default_transaction_read_only = on";
        run(*c, c->setup, "session setup");
    } catch (...) {
        PQfinish(c->conn);
        throw;
    }
    return c.release();
}

void close(Conn* c) noexcept {
    if (!c) return;
    PQfinish(c->conn);
    delete c;
}

std::string database_name(const Conn& c) { return PQdb(c.conn) ? PQdb(c.conn) : ""; }

void exec(Conn& c, std::string_view sql) {
    const Kind k = kind_of(sql);
    if (k != Kind::Prepared) return control(c, k);
    static const std::regex version(R"(^\s*PRAGMA\s+user_version\s*=\s*(\d+)\s*;?\s*$)", std::regex::icase);
    std::string s(sql);
    std::smatch m;
    if (std::regex_match(s, m, version)) return set_user_version(c, std::stoi(m[1].str()));
    revive(c);
    run(c, translate_ddl(s), "exec");
}

int user_version(Conn& c) {
    revive(c);
    PgResult t = run(c, "SELECT to_regclass('onshi_schema_version') IS NOT NULL", "schema version");
    if (std::string_view(PQgetvalue(t.r, 0, 0)) != "t") return 0;
    PgResult v = run(c, "SELECT max(version) FROM onshi_schema_version", "schema version");
    return PQgetisnull(v.r, 0, 0) ? 0 : std::atoi(PQgetvalue(v.r, 0, 0));
}

void set_user_version(Conn& c, int version) {
    run(c,
        "CREATE TABLE IF NOT EXISTS onshi_schema_version (version integer NOT NULL); DELETE FROM "
        "onshi_schema_version; INSERT INTO onshi_schema_version VALUES (" +
            std::to_string(version) + ")",
        "set schema version");
}

int64_t last_id(Conn& c) {
    PgResult r = run(c, "SELECT lastval()", "last id");
    return std::strtoll(PQgetvalue(r.r, 0, 0), nullptr, 10);
}

int changes(const Conn& c) { return c.changes; }

void subscribe(Conn& c) { run(c, std::string("LISTEN ") + kChannel, "listen"); }

void listen(Conn& c, int stop_fd, const std::function<void()>& changed) {
    bool listening = true, missed = false;
    for (;;) {
        if (!listening) {
            try {
                revive(c);
                subscribe(c);
                listening = true;
            } catch (const LedgerError&) {
                pollfd s{stop_fd, POLLIN, 0};
                if (::poll(&s, 1, 1000) > 0) return;  // the server is away: try again in a second
                continue;
            }
            // Listening again after a loss: what was written while the connection was down went unheard, so
            // one change is reported now, after LISTEN, and a read it prompts sees all of it
            // (docs/ledger-postgres.md, "Live lists").
            if (missed) {
                missed = false;
                changed();
            }
        }
        pollfd fds[2] = {{stop_fd, POLLIN, 0}, {PQsocket(c.conn), POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[0].revents) return;
        if (!PQconsumeInput(c.conn) || PQstatus(c.conn) == CONNECTION_BAD) {
            listening = false;
            missed = true;
            continue;
        }
        bool any = false;
        while (PGnotify* n = PQnotifies(c.conn)) {
            any = true;
            PQfreemem(n);
        }
        if (any) changed();
    }
}

void rollback(Conn& c) noexcept {
    c.in_tx = false;
    c.write_tx = false;
    if (!c.conn || !in_transaction(c)) return;
    try {
        send(c, "ROLLBACK");
    } catch (const LedgerError&) {  // no answer in time: the connection is dropped, and the server rolls back
    }
}

Cursor* prepare(Conn& c, std::string_view sql) {
    auto cur = std::make_unique<Cursor>();
    cur->conn = &c;
    auto it = c.prepared.find(std::string(sql));
    if (it != c.prepared.end() && !it->second.busy) {
        cur->entry = &it->second;
    } else {
        Conn::Entry e;
        e.kind = kind_of(sql);
        if (e.kind == Kind::Prepared) {
            revive(c);
            e.text = translate(sql, &e.params);
            e.name = "onshi_" + std::to_string(++c.next_name);
            prepare_entry(c, e);
        }
        if (it == c.prepared.end() && c.prepared.size() < kMaxPrepared) {
            cur->entry = &c.prepared.emplace(std::string(sql), std::move(e)).first->second;
        } else {
            cur->own = std::move(e);
            cur->entry = &cur->own;
        }
    }
    cur->entry->busy = true;
    cur->values.assign(size_t(cur->entry->params), std::nullopt);
    cur->binary.assign(size_t(cur->entry->params), 0);
    return cur.release();
}

void finish(Cursor* cur) noexcept {
    if (!cur) return;
    if (cur->entry == &cur->own) {
        if (cur->own.kind == Kind::Prepared && !cur->own.name.empty() && PQstatus(cur->conn->conn) == CONNECTION_OK &&
            PQtransactionStatus(cur->conn->conn) != PQTRANS_INERROR)
            try {
                send(*cur->conn, ("DEALLOCATE " + cur->own.name).c_str());
            } catch (const LedgerError&) {  // no answer in time: the connection, and the statement, are gone
            }
    } else {
        cur->entry->busy = false;
    }
    delete cur;
}

namespace {
std::optional<std::string>& slot(Cursor& cur, int i, int binary) {
    if (i < 1 || size_t(i) > cur.values.size())
        throw LedgerError(ErrorCode::Io, "ledger error: bind: column index out of range",
                          "患者原簿の読み書きに失敗しました。");
    cur.binary[size_t(i - 1)] = binary;
    return cur.values[size_t(i - 1)];
}
}  // namespace

void bind_text(Cursor& cur, int i, std::string_view v) { slot(cur, i, 0) = std::string(v); }
void bind_int(Cursor& cur, int i, int64_t v) { slot(cur, i, 0) = std::to_string(v); }
void bind_null(Cursor& cur, int i) { slot(cur, i, 0) = std::nullopt; }
void bind_blob(Cursor& cur, int i, std::string_view v) { slot(cur, i, 1) = std::string(v); }

bool step(Cursor& cur) {
    Conn& c = *cur.conn;
    if (!cur.executed) {
        cur.executed = true;
        cur.row = -1;
        cur.rows = 0;
        if (cur.entry->kind != Kind::Prepared) {
            control(c, cur.entry->kind);
            return false;
        }
        revive(c);
        if (cur.entry->generation != c.generation) prepare_entry(c, *cur.entry);
        const size_t n = cur.values.size();
        std::vector<const char*> vals(n);
        std::vector<int> lens(n), formats(n);
        for (size_t k = 0; k < n; ++k) {
            vals[k] = cur.values[k] ? cur.values[k]->data() : nullptr;
            lens[k] = cur.values[k] ? int(cur.values[k]->size()) : 0;
            formats[k] = cur.binary[k];
        }
        cur.result = await(c, PQsendQueryPrepared(c.conn, cur.entry->name.c_str(), int(n), vals.data(),
                                                  lens.data(), formats.data(), 0) == 1);
        check(c, cur.result, "step");
        const char* tuples = PQcmdTuples(cur.result.r);
        c.changes = tuples && *tuples ? std::atoi(tuples) : 0;
        cur.rows = PQntuples(cur.result.r);
    }
    if (cur.row + 1 < cur.rows) {
        ++cur.row;
        return true;
    }
    cur.row = cur.rows;
    return false;
}

void reset(Cursor& cur) {
    cur.result = PgResult();
    cur.executed = false;
    cur.row = -1;
    cur.rows = 0;
    for (auto& v : cur.values) v.reset();
    for (auto& b : cur.binary) b = 0;
}

int columns(const Cursor& cur) {
    if (cur.result.r) return PQnfields(cur.result.r);
    if (cur.entry->kind != Kind::Prepared || cur.entry->name.empty()) return 0;
    // Before the first step, as sqlite3_column_count: from the statement's description.
    PgResult d(PQdescribePrepared(cur.conn->conn, cur.entry->name.c_str()));
    return d.r && PQresultStatus(d.r) == PGRES_COMMAND_OK ? PQnfields(d.r) : 0;
}

std::string name(const Cursor& cur, int col) {
    const char* n = cur.result.r ? PQfname(cur.result.r, col) : nullptr;
    return n ? n : "";
}

namespace {
bool has_value(const Cursor& cur, int col) {
    return cur.result.r && cur.row >= 0 && cur.row < cur.rows && col >= 0 && col < PQnfields(cur.result.r) &&
           !PQgetisnull(cur.result.r, cur.row, col);
}
}  // namespace

bool is_null(const Cursor& cur, int col) { return !has_value(cur, col); }

std::string text(const Cursor& cur, int col) {
    if (!has_value(cur, col)) return {};
    const char* v = PQgetvalue(cur.result.r, cur.row, col);
    const Oid t = PQftype(cur.result.r, col);
    if (t == kBytea) return unescape_bytea(v);
    if (t == kBool) return std::string(v) == "t" ? "1" : "0";
    return std::string(v, size_t(PQgetlength(cur.result.r, cur.row, col)));
}

int64_t integer(const Cursor& cur, int col) {
    if (!has_value(cur, col)) return 0;
    const char* v = PQgetvalue(cur.result.r, cur.row, col);
    if (PQftype(cur.result.r, col) == kBool) return *v == 't' ? 1 : 0;
    return std::strtoll(v, nullptr, 10);
}

Json value(const Cursor& cur, int col) {
    if (!has_value(cur, col)) return nullptr;
    const Oid t = PQftype(cur.result.r, col);
    if (t == kInt8 || t == kInt4 || t == kInt2 || t == kBool) return integer(cur, col);
    if (t == kNumeric) {
        std::string v = PQgetvalue(cur.result.r, cur.row, col);
        if (v.find_first_not_of("-0123456789") == std::string::npos) return integer(cur, col);
        return v;
    }
    return text(cur, col);
}

}  // namespace onshi::ledger::sql::pg
