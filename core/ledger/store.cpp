// Opening the ledger (refusals before any write, 0600 at creation, integrity check, WAL, synchronous=FULL,
// foreign keys, read-only opens) and backups. The rules are in docs/security.md, "Ledger files".
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>

#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/ledger/schema.hpp"
#include "core/ledger/sql_pg.hpp"
#include "core/util/clock.hpp"
#include "core/util/files.hpp"

namespace onshi::ledger {
namespace fs = std::filesystem;

fs::path default_ledger_path() {
    const char* env = std::getenv("ONSHI_LEDGER");
    return env && *env ? fs::path(env) : fs::path("/var/lib/onshi-kiosk/ledger.sqlite");
}

namespace {

LedgerError io_error(const std::string& en) {
    return LedgerError(ErrorCode::Io, en, "患者原簿のファイルを作成・保存できません。");
}

LedgerError not_ledger(const fs::path& path, const std::string& why) {
    return LedgerError(ErrorCode::NotLedger, path.string() + " " + why + "; refusing to touch it",
                       "指定されたファイルは患者原簿ではありません。ファイルの場所を確認してください。");
}

LedgerError corrupt(const fs::path& path, const std::string& report) {
    return LedgerError(ErrorCode::Corrupt,
                       "ledger " + path.string() + " failed its integrity check (" + report +
                           "); refusing to run. Restore the latest backup.",
                       "患者原簿のファイルが破損しているため使用できません。最新のバックアップから復元してください。");
}

// Creates an empty file with mode 0600 (whatever the umask) so SQLite, its -wal and -shm inherit it.
// False when another program created it at the same moment (two `init`s at once).
bool create_private(const fs::path& path) {
    int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return false;
        throw io_error("cannot create " + path.string() + ": " + std::strerror(errno));
    }
    ::fchmod(fd, 0600);
    ::close(fd);
    return true;
}

// Mode 0600 on an empty file that init is about to turn into a ledger (never through a symbolic link).
void make_private(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return;
    ::fchmod(fd, 0600);
    ::close(fd);
}

enum class FileKind { Missing, Empty, Sqlite, NotSqlite, NotRegular };

// What is at `path`, judged from its descriptor and first 16 bytes; nothing is changed.
FileKind inspect(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return FileKind::Missing;
        if (errno == ENXIO) return FileKind::NotRegular;
        throw io_error("cannot open " + path.string() + ": " + std::strerror(errno));
    }
    struct stat st {};
    FileKind kind = FileKind::NotSqlite;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        kind = FileKind::NotRegular;
    } else if (st.st_size == 0) {
        kind = FileKind::Empty;
    } else {
        static const char magic[16] = "SQLite format 3";  // with its NUL: the first 16 bytes of every database
        char head[16] = {};
        ssize_t n = ::pread(fd, head, sizeof head, 0);
        if (n == ssize_t(sizeof head) && std::memcmp(head, magic, sizeof head) == 0) kind = FileKind::Sqlite;
    }
    ::close(fd);
    return kind;
}

// "file:" URI of a path for SQLITE_OPEN_URI (percent-encodes everything but unreserved characters and '/').
std::string file_uri(const fs::path& path, const char* query) {
    std::string abs = fs::absolute(path).string(), out = "file:";
    for (unsigned char c : abs) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out + "?" + query;
}

struct Contents {
    int version = 0;
    std::vector<std::string> tables;  // excluding sqlite_*
};

// Schema version and tables in one read snapshot (no write lock, nothing written).
Contents read_contents(sql::Db& db) {
    Contents c;
    db.exec("BEGIN");
    try {
        c.version = std::stoi(db.pragma("user_version"));
        sql::Stmt st(db,
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
        while (st.step()) c.tables.push_back(st.text(0));
    } catch (...) {
        sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    db.exec("COMMIT");
    return c;
}

// Refuses a file that is not (or not yet) a ledger before anything is written to it.
void check_contents(const Contents& c, const fs::path& path, bool may_initialise) {
    if (c.version > kSchemaVersion) throw too_new(c.version);
    if (c.version == 0) {
        if (!c.tables.empty())
            throw not_ledger(path, std::string(sql::is_postgres_url(path.string()) ? "is a database" : "is a SQLite database") +
                                       " of another program (tables " + c.tables.front() +
                                       (c.tables.size() > 1 ? ", …" : "") + ")");
        if (!may_initialise) throw not_ledger(path, "is an empty database (run `onshi ledger init` first)");
        return;
    }
    for (const char* t : kLedgerTables)
        if (std::find(c.tables.begin(), c.tables.end(), t) == c.tables.end())
            throw not_ledger(path, std::string("has schema version ") + std::to_string(c.version) + " but no table " +
                                       t + " (not a ledger)");
}

// Switching to WAL needs the file to itself, and SQLite does not wait for that through the busy handler:
// while another program opens the same fresh file, retry within the busy timeout.
void switch_to_wal(sql::Db& db, const fs::path& path, int busy_timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (;;) {
        try {
            if (db.pragma("journal_mode") == "wal" || db.pragma("journal_mode = WAL") == "wal") return;
            throw io_error("cannot switch " + path.string() + " to WAL");
        } catch (const LedgerError& e) {
            if (e.code != ErrorCode::Busy || std::chrono::steady_clock::now() >= deadline) throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::string integrity_report(const sql::Db& db) {
    std::string report;
    sql::Stmt st(db, "PRAGMA integrity_check");
    while (st.step()) report += (report.empty() ? "" : "; ") + st.text(0);
    return report;
}

}  // namespace

// The password of a PostgreSQL ledger: the file's first line. Refused when others may read it.
std::string detail::read_password_file(const std::string& file) {
    if (file.empty()) return "";
    int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        throw LedgerError(ErrorCode::Io, "cannot read ledger password file " + file + ": " + std::strerror(errno),
                          "原簿サーバーのパスワードファイルを読めません。");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
        ::close(fd);
        throw LedgerError(ErrorCode::Invalid,
                          "ledger password file " + file + " must be a regular file of mode 0600 (chmod 600 " + file +
                              ")",
                          "原簿サーバーのパスワードファイルは所有者だけが読めるようにしてください（0600）。");
    }
    std::string text;
    char buf[512];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < 4096) text.append(buf, size_t(n));
    ::close(fd);
    text = text.substr(0, text.find('\n'));
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return text;
}

namespace {

// Schema version and tables of a PostgreSQL ledger (its current schema, without onshi_schema_version).
Contents read_contents_pg(sql::Db& db) {
    Contents c;
    db.exec("BEGIN");
    try {
        c.version = db.user_version();
        sql::Stmt st(db,
                     "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> "
                     "'onshi_schema_version' ORDER BY tablename");
        while (st.step()) c.tables.push_back(st.text(0));
    } catch (...) {
        db.rollback();
        throw;
    }
    db.exec("COMMIT");
    return c;
}

}  // namespace

LedgerStore::LedgerStore(fs::path path, std::unique_ptr<sql::Db> db, Options options)
    : path_(std::move(path)), db_(std::move(db)), options_(std::move(options)) {}
LedgerStore::LedgerStore(LedgerStore&&) noexcept = default;
LedgerStore& LedgerStore::operator=(LedgerStore&&) noexcept = default;
LedgerStore::~LedgerStore() = default;

std::string LedgerStore::now() const {
    return util::format_local(options_.clock ? options_.clock() : util::system_now_ms());
}

LedgerStore LedgerStore::open(const fs::path& path, Options options) {
    if (options.read_only) options.create = false;
    if (sql::is_postgres_url(path.string())) {
        sql::PgParams params;
        params.url = path.string();
        params.password = detail::read_password_file(options.password_file);
        params.lock_timeout_ms = options.busy_timeout_ms;
        params.answer_timeout_ms = options.answer_timeout_ms;
        params.read_only = options.read_only;
        auto db = std::make_unique<sql::Db>(params);
        const fs::path shown = sql::pg::redacted(params.url);
        Contents contents = read_contents_pg(*db);
        check_contents(contents, shown, options.create);
        if (!options.read_only) migrate(*db);
        const int version = options.read_only ? contents.version : kSchemaVersion;
        LedgerStore store(shown, std::move(db), std::move(options));
        store.schema_version_ = version;
        return store;
    }
    FileKind kind = inspect(path);
    if (kind == FileKind::Missing) {
        if (!options.create)
            throw LedgerError(ErrorCode::NotFound, "no ledger at " + path.string(), "患者原簿のファイルがありません。");
        std::error_code ec;
        if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
        create_private(path);  // false: another program created it just now; it is judged like any file
        kind = inspect(path);
    }
    switch (kind) {
        case FileKind::Missing:
            throw LedgerError(ErrorCode::NotFound, "no ledger at " + path.string(), "患者原簿のファイルがありません。");
        case FileKind::NotRegular: throw not_ledger(path, "is not a regular file");
        case FileKind::NotSqlite: throw corrupt(path, "not a SQLite database");
        case FileKind::Empty:
            if (!options.create) throw not_ledger(path, "is empty (run `onshi ledger init` to create a ledger)");
            make_private(path);  // about to hold patient data
            break;
        case FileKind::Sqlite: break;
    }

    const int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    auto db = std::make_unique<sql::Db>(path, flags);
    sqlite3_busy_timeout(db->get(), options.busy_timeout_ms);
    // 32 MiB of page cache (SQLite's default is 2 MiB): the reception list's 300 patients touch pages of four
    // indexes spread over a 100,000-patient file, and would otherwise be read again on every refresh.
    db->exec("PRAGMA cache_size = -32768");
    Contents contents;
    try {
        contents = read_contents(*db);
    } catch (const LedgerError& e) {
        // A WAL ledger on read-only media has no -shm to share: read it as the immutable file it is there.
        if (!options.read_only || e.code != ErrorCode::Io || ::access(path.c_str(), W_OK) == 0) {
            if (e.code == ErrorCode::Corrupt) throw corrupt(path, e.what());
            throw;
        }
        db = std::make_unique<sql::Db>(file_uri(path, "immutable=1"), flags | SQLITE_OPEN_URI);
        contents = read_contents(*db);
    }
    check_contents(contents, path, options.create);
    try {
        if (std::string report = integrity_report(*db); report != "ok") throw corrupt(path, report);
    } catch (const LedgerError& e) {
        if (e.code == ErrorCode::Corrupt && std::string(e.what()).find("refusing") == std::string::npos)
            throw corrupt(path, e.what());
        throw;
    }
    if (options.read_only) {
        db->exec("PRAGMA query_only = ON; PRAGMA foreign_keys = ON");
    } else {
        switch_to_wal(*db, path, options.busy_timeout_ms);
        db->exec("PRAGMA synchronous = FULL");
        migrate(*db);  // with foreign keys still off: a migration may rebuild a table (it checks them itself)
        db->exec("PRAGMA foreign_keys = ON");
        files::remove_stale_temps(path.has_parent_path() ? path.parent_path() : fs::path("."));
    }
    const int version = options.read_only ? contents.version : kSchemaVersion;
    db->set_on_commit([key = local_key(path)] { notify_local(key); });  // LedgerWatcher's in-process signal
    LedgerStore store(path, std::move(db), std::move(options));
    store.schema_version_ = version;
    return store;
}

std::string LedgerStore::integrity_check() const {
    // PostgreSQL checks its pages itself (data checksums, docs/ledger-postgres.md): a query that reads the
    // catalogue and every table's row count is the check here.
    if (db_->postgres()) {
        for (const char* t : kLedgerTables) sql::Stmt(*db_, std::string("SELECT count(*) FROM ") + t).run();
        return "ok";
    }
    return integrity_report(*db_);
}

void LedgerStore::backup_to(const fs::path& file) const {
    if (db_->postgres())
        throw LedgerError(ErrorCode::Invalid,
                          "a PostgreSQL ledger is backed up with pg_dump (docs/ledger-postgres.md), not to " + file.string(),
                          "原簿サーバーのバックアップは pg_dump で取ります。管理者に連絡してください。");
    // The online backup API copies into memory in slices, so writers are held up for milliseconds, not for
    // the whole copy; the finished image is then written in one go.
    sql::Db mem(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
    sqlite3_backup* b = sqlite3_backup_init(mem.get(), "main", db_->get(), "main");
    if (!b) sql::fail(mem.get(), sqlite3_errcode(mem.get()), "backup");
    int rc;
    while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        if (rc != SQLITE_OK) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) sql::fail(mem.get(), rc, "backup to " + file.string());
    sqlite3_int64 size = 0;
    unsigned char* image = sqlite3_serialize(mem.get(), "main", &size, 0);
    if (!image || size < 100) {
        sqlite3_free(image);
        throw io_error("cannot serialise the backup of " + path_.string());
    }
    // Bytes 18 and 19 of the header: 1 = rollback journal, 2 = WAL. The copy is a self-contained single file.
    image[18] = 1;
    image[19] = 1;
    try {
        files::write_atomic(file, std::string_view(reinterpret_cast<const char*>(image), size_t(size)), 0600);
    } catch (const std::exception& e) {
        sqlite3_free(image);
        throw io_error(std::string("cannot write backup: ") + e.what());
    }
    sqlite3_free(image);
}

std::optional<fs::path> LedgerStore::daily_backup(const fs::path& dir, size_t keep) const {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw io_error("cannot create backup folder " + dir.string() + ": " + ec.message());
    const std::string prefix = "ledger-", suffix = ".sqlite";
    files::remove_stale_temps(dir);
    fs::path file = dir / (prefix + now().substr(0, 10) + suffix);
    if (fs::exists(file)) return std::nullopt;
    backup_to(file);
    std::vector<fs::path> copies;
    for (const auto& e : fs::directory_iterator(dir)) {
        std::string n = e.path().filename().string();
        if (n.size() == prefix.size() + 10 + suffix.size() && n.rfind(prefix, 0) == 0 &&
            n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
            copies.push_back(e.path());
    }
    std::sort(copies.begin(), copies.end());  // ISO dates sort by time
    for (size_t i = 0; keep > 0 && i + keep < copies.size(); ++i) fs::remove(copies[i], ec);
    return file;
}

}  // namespace onshi::ledger
