// Opening a ledger file: what is refused before anything is written, modes, read-only opens, two `init`s at
// once, and temporary files left by killed writers (docs/security.md, "Ledger files", "Temporary files").
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "core/util/files.hpp"
#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi::ledger;
using namespace onshi::ledger::test;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const fs::path& p) {
    struct stat s {};
    REQUIRE(::stat(p.c_str(), &s) == 0);
    return s.st_mode & 07777;
}

LedgerStore::Options read_only() {
    LedgerStore::Options o;
    o.read_only = true;
    return o;
}

LedgerStore::Options existing() {
    LedgerStore::Options o;
    o.create = false;
    return o;
}

ErrorCode refusal(const fs::path& p, const LedgerStore::Options& o, std::string* what = nullptr) {
    try {
        LedgerStore::open(p, o);
    } catch (const LedgerError& e) {
        CHECK_FALSE(e.message_ja.empty());
        if (what) *what = e.what();
        return e.code;
    }
    FAIL("expected the open of " << p << " to be refused");
    return ErrorCode::Io;
}

// A ledger in rollback-journal mode (as a backup copy is), so any switch to WAL would show.
fs::path rollback_ledger(const TempDir& d, const std::string& name = "l.sqlite") {
    fs::path p = d.path / name;
    {
        auto db = LedgerStore::open(p);
        db.apply(register_ichiro(), "S01");
    }
    raw(p, "PRAGMA journal_mode = DELETE");
    REQUIRE(raw(p, "PRAGMA journal_mode") == "delete");
    return p;
}

// The id of a process that has exited (and been reaped), for stale temporary files.
pid_t dead_pid() {
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

}  // namespace

TEST_CASE("opening never changes the mode of an existing file", "[sqlite]") {
    TempDir d;
    fs::path p = rollback_ledger(d);
    ::chmod(p.c_str(), 0640);
    { LedgerStore::open(p); }
    CHECK(mode_of(p) == 0640);
    { LedgerStore::open(p, read_only()); }
    CHECK(mode_of(p) == 0640);

    // A folder given as the ledger is refused and keeps its mode.
    fs::create_directory(d.path / "folder");
    ::chmod((d.path / "folder").c_str(), 0755);
    CHECK(refusal(d.path / "folder", LedgerStore::Options{}) == ErrorCode::NotLedger);
    CHECK(refusal(d.path / "folder", read_only()) == ErrorCode::NotLedger);
    CHECK(mode_of(d.path / "folder") == 0755);
}

TEST_CASE("a file that is not a ledger is refused untouched, whatever it is", "[sqlite]") {
    TempDir d;
    SECTION("a text file (a mistyped path)") {
        fs::path p = d.write("passwd", "root:x:0:0:root:/root:/bin/bash\n");
        ::chmod(p.c_str(), 0644);
        CHECK(refusal(p, LedgerStore::Options{}) == ErrorCode::Corrupt);
        CHECK(mode_of(p) == 0644);
        CHECK(fs::file_size(p) == 32);
        CHECK_FALSE(fs::exists(d.path / "passwd-wal"));
    }
    SECTION("an empty file is refused by every open but init, which makes it a private ledger") {
        fs::path p = d.write("empty.sqlite", "");
        ::chmod(p.c_str(), 0644);
        CHECK(refusal(p, read_only()) == ErrorCode::NotLedger);
        CHECK(refusal(p, existing()) == ErrorCode::NotLedger);
        CHECK(fs::file_size(p) == 0);
        CHECK(mode_of(p) == 0644);
        { LedgerStore::open(p); }  // create: what `onshi ledger init` asks for
        CHECK(raw(p, "PRAGMA user_version") == "7");
        CHECK(mode_of(p) == 0600);
    }
    SECTION("another program's SQLite file gets no tables of ours, even from init") {
        fs::path p = d.path / "other.db";
        raw(p, "CREATE TABLE songs(title TEXT)", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        std::string what;
        CHECK(refusal(p, LedgerStore::Options{}, &what) == ErrorCode::NotLedger);
        CHECK(what.find("another program") != std::string::npos);
        CHECK(raw(p, "SELECT count(*) FROM sqlite_master WHERE name = 'patients'") == "0");
        CHECK(raw(p, "PRAGMA journal_mode") == "delete");
        CHECK(refusal(p, read_only()) == ErrorCode::NotLedger);
    }
    SECTION("an empty SQLite database is a ledger only after init") {
        fs::path p = d.path / "blank.db";
        raw(p, "PRAGMA user_version = 0", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        CHECK(refusal(p, existing()) == ErrorCode::NotLedger);
        { LedgerStore::open(p); }
        CHECK(raw(p, "PRAGMA user_version") == "7");
    }
}

TEST_CASE("a ledger from a newer program is refused before anything is written", "[sqlite]") {
    TempDir d;
    fs::path p = rollback_ledger(d);
    raw(p, "PRAGMA user_version = 9");
    CHECK(refusal(p, LedgerStore::Options{}) == ErrorCode::TooNew);
    CHECK(refusal(p, read_only()) == ErrorCode::TooNew);
    CHECK(raw(p, "PRAGMA journal_mode") == "delete");  // not switched to WAL on the way to the refusal
    CHECK_FALSE(fs::exists(d.path / "l.sqlite-wal"));
}

TEST_CASE("read-only opens change nothing: no WAL switch, no migration, no write", "[sqlite]") {
    TempDir d;
    fs::path p = rollback_ledger(d);
    const std::string before = raw(p, "SELECT count(*) FROM audit");
    {
        auto db = LedgerStore::open(p, read_only());
        CHECK(db.patient("13"));
        CHECK(db.integrity_check() == "ok");
        CHECK_THROWS_AS(db.apply(register_ichiro("14"), "S01"), LedgerError);
        db.backup_to(d.path / "copy.sqlite");  // a read-only ledger is a fine backup source
    }
    CHECK(raw(p, "PRAGMA journal_mode") == "delete");
    CHECK(raw(p, "SELECT count(*) FROM audit") == before);
    CHECK_FALSE(fs::exists(d.path / "l.sqlite-wal"));
    CHECK(refusal(d.path / "missing.sqlite", read_only()) == ErrorCode::NotFound);
    CHECK_FALSE(fs::exists(d.path / "missing.sqlite"));
    auto copy = LedgerStore::open(d.path / "copy.sqlite", read_only());
    CHECK(copy.patient("13"));
}

TEST_CASE("two programs creating the same fresh ledger at once both succeed", "[sqlite]") {
    // Each round: two connections open a path that does not exist yet, released together.
    for (int round = 0; round < 40; ++round) {
        TempDir d;
        const fs::path p = d.path / "ledger.sqlite";
        std::atomic<int> ready{0};
        std::atomic<int> failures{0};
        std::string first_error;
        std::mutex m;
        auto opener = [&] {
            ready.fetch_add(1);
            while (ready.load() < 2) std::this_thread::yield();
            try {
                auto db = LedgerStore::open(p);
                if (db.integrity_check() != "ok") failures.fetch_add(1);
            } catch (const std::exception& e) {
                failures.fetch_add(1);
                std::lock_guard<std::mutex> lock(m);
                first_error = e.what();
            }
        };
        std::thread a(opener), b(opener);
        a.join();
        b.join();
        INFO("round " << round << ": " << first_error);
        REQUIRE(failures.load() == 0);
        REQUIRE(raw(p, "PRAGMA user_version") == "7");
        REQUIRE(mode_of(p) == 0600);
    }
}

TEST_CASE("temporary files of dead processes are removed at open and backup rotation", "[sqlite]") {
    TempDir d;
    Clock c;
    const fs::path p = d.path / "ledger.sqlite";
    { open_with(p, c); }
    const pid_t dead = dead_pid();
    const fs::path stale = d.write("ledger.sqlite.tmp-" + std::to_string(dead), "patient data");
    const fs::path stale_state = d.write("oqs-transport.json.tmp-" + std::to_string(dead), "{}");
    const fs::path live = d.write("control.json.tmp-1", "{}");  // pid 1 runs: maybe mid-write
    const fs::path other = d.write("notes.tmp-abc", "x");       // not a name write_atomic makes
    {
        auto db = open_with(p, c);  // read-only opens remove nothing
        CHECK_FALSE(fs::exists(stale));
        CHECK_FALSE(fs::exists(stale_state));
        CHECK(fs::exists(live));
        CHECK(fs::exists(other));

        fs::create_directory(d.path / "backup");
        const fs::path stale_copy = d.write("backup/ledger-2021-07-26.sqlite.tmp-" + std::to_string(dead), "copy");
        auto f = db.daily_backup(d.path / "backup");
        REQUIRE(f);
        CHECK_FALSE(fs::exists(stale_copy));
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(d.path / "backup")) names.push_back(e.path().filename().string());
        CHECK(names == std::vector<std::string>{"ledger-2021-07-27.sqlite"});
    }
    // A read-only open leaves a stale file where it is.
    const fs::path stale2 = d.write("ledger.sqlite.tmp-" + std::to_string(dead), "patient data");
    { LedgerStore::open(p, read_only()); }
    CHECK(fs::exists(stale2));
}

TEST_CASE("write_atomic replaces a file in one step and leaves no temporary name", "[sqlite]") {
    TempDir d;
    const fs::path f = d.path / "state.json";
    onshi::files::write_atomic(f, "one", 0600);
    CHECK(mode_of(f) == 0600);
    onshi::files::write_atomic(f, "two", 0600);
    std::ifstream in(f);
    std::string text;
    in >> text;
    CHECK(text == "two");
    size_t entries = 0;
    for (const auto& e : fs::directory_iterator(d.path)) {
        (void)e;
        ++entries;
    }
    CHECK(entries == 1);
    CHECK_THROWS_AS(onshi::files::write_atomic(d.path / "no" / "such" / "x", "z"), std::runtime_error);
}
