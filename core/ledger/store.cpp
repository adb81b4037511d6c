// Opening the ledger (0600 file, integrity check, WAL, synchronous=FULL, foreign keys) and backups.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>

#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/ledger/schema.hpp"

namespace onshi::ledger {
namespace fs = std::filesystem;

fs::path default_ledger_path() {
    const char* env = std::getenv("ONSHI_LEDGER");
    return env && *env ? fs::path(env) : fs::path("/var/lib/onshi-kiosk/ledger.sqlite");
}

namespace {

std::string local_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
}

LedgerError io_error(const std::string& en) {
    return LedgerError(ErrorCode::Io, en, "患者原簿のファイルを作成・保存できません。");
}

// Creates an empty file with mode 0600 (whatever the umask) so SQLite, its -wal and -shm inherit it.
void create_private(const fs::path& path) {
    int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) throw io_error("cannot create " + path.string() + ": " + std::strerror(errno));
    ::fchmod(fd, 0600);
    ::close(fd);
}

void fsync_path(const fs::path& p, int flags) {
    int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

LedgerError corrupt(const fs::path& path, const std::string& report) {
    return LedgerError(ErrorCode::Corrupt,
                       "ledger " + path.string() + " failed its integrity check (" + report +
                           "); refusing to run. Restore the latest backup.",
                       "患者原簿のファイルが破損しているため使用できません。最新のバックアップから復元してください。");
}

}  // namespace

LedgerStore::LedgerStore(fs::path path, std::unique_ptr<sql::Db> db, Options options)
    : path_(std::move(path)), db_(std::move(db)), options_(std::move(options)) {}
LedgerStore::LedgerStore(LedgerStore&&) noexcept = default;
LedgerStore& LedgerStore::operator=(LedgerStore&&) noexcept = default;
LedgerStore::~LedgerStore() = default;

std::string LedgerStore::now() const { return options_.clock ? options_.clock() : local_now(); }

LedgerStore LedgerStore::open(const fs::path& path, Options options) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        if (!options.create)
            throw LedgerError(ErrorCode::NotFound, "no ledger at " + path.string(), "患者原簿のファイルがありません。");
        if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
        create_private(path);
    } else if (::chmod(path.c_str(), 0600) != 0 && errno != EPERM) {
        throw io_error("cannot set mode 0600 on " + path.string() + ": " + std::strerror(errno));
    }
    auto db = std::make_unique<sql::Db>(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
    sqlite3_busy_timeout(db->get(), options.busy_timeout_ms);
    try {
        std::string report;
        sql::Stmt st(*db, "PRAGMA integrity_check");
        while (st.step()) report += (report.empty() ? "" : "; ") + st.text(0);
        if (report != "ok") throw corrupt(path, report);
    } catch (const LedgerError& e) {
        if (e.code == ErrorCode::Corrupt && std::string(e.what()).find("refusing") == std::string::npos)
            throw corrupt(path, e.what());
        throw;
    }
    if (db->pragma("journal_mode = WAL") != "wal") throw io_error("cannot switch " + path.string() + " to WAL");
    db->exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
    migrate(*db);
    return LedgerStore(path, std::move(db), std::move(options));
}

std::string LedgerStore::integrity_check() const {
    std::string report;
    sql::Stmt st(*db_, "PRAGMA integrity_check");
    while (st.step()) report += (report.empty() ? "" : "; ") + st.text(0);
    return report;
}

void LedgerStore::backup_to(const fs::path& file) const {
    fs::path tmp = file;
    tmp += ".tmp-" + std::to_string(::getpid());
    std::error_code ec;
    fs::remove(tmp, ec);
    create_private(tmp);
    try {
        sql::Db dst(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
        sqlite3_backup* b = sqlite3_backup_init(dst.get(), "main", db_->get(), "main");
        if (!b) sql::fail(dst.get(), sqlite3_errcode(dst.get()), "backup");
        int rc;
        // Copy in slices so writers are held up for milliseconds, not for the whole copy.
        while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            if (rc != SQLITE_OK) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) sql::fail(dst.get(), rc, "backup to " + file.string());
        dst.exec("PRAGMA journal_mode = DELETE");  // a self-contained single file
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
    fsync_path(tmp, O_RDONLY);
    fs::rename(tmp, file, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw io_error("cannot write backup " + file.string());
    }
    fsync_path(file.has_parent_path() ? file.parent_path() : fs::path("."), O_RDONLY | O_DIRECTORY);
}

std::optional<fs::path> LedgerStore::daily_backup(const fs::path& dir, size_t keep) const {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw io_error("cannot create backup folder " + dir.string() + ": " + ec.message());
    const std::string prefix = "ledger-", suffix = ".sqlite";
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
