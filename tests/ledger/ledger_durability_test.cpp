// Durability: file mode, WAL, integrity refusal, backups, a reader running while writes happen.
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <thread>

#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi::ledger;
using namespace onshi::ledger::test;
namespace fs = std::filesystem;

namespace {
unsigned mode_of(const fs::path& p) {
    struct stat s {};
    REQUIRE(::stat(p.c_str(), &s) == 0);
    return s.st_mode & 0777;
}

ErrorCode open_error(const fs::path& p, std::string* ja = nullptr) {
    try {
        LedgerStore::open(p);
    } catch (const LedgerError& e) {
        if (ja) *ja = e.message_ja;
        return e.code;
    }
    FAIL("expected the open to be refused");
    return ErrorCode::Io;
}
}  // namespace

TEST_CASE("a new ledger is mode 0600, WAL, the current schema version, whatever the umask", "[sqlite]") {
    TempDir d;
    mode_t old = ::umask(0);
    {
        auto db = LedgerStore::open(d.path / "sub" / "l.sqlite");
        db.apply(register_ichiro(), "S01");
        CHECK(mode_of(d.path / "sub" / "l.sqlite") == 0600);
        CHECK(mode_of(d.path / "sub" / "l.sqlite-wal") == 0600);
    }
    ::umask(old);
    CHECK(raw(d.path / "sub" / "l.sqlite", "PRAGMA journal_mode") == "wal");
    CHECK(raw(d.path / "sub" / "l.sqlite", "PRAGMA user_version") == "7");

    LedgerStore::Options no_create;
    no_create.create = false;
    CHECK_THROWS_AS(LedgerStore::open(d.path / "missing.sqlite", no_create), LedgerError);
    CHECK_FALSE(fs::exists(d.path / "missing.sqlite"));
}

TEST_CASE("default_ledger_path follows ONSHI_LEDGER") {
    ::setenv("ONSHI_LEDGER", "/tmp/x/ledger.sqlite", 1);
    CHECK(default_ledger_path() == "/tmp/x/ledger.sqlite");
    ::unsetenv("ONSHI_LEDGER");
    CHECK(default_ledger_path() == "/var/lib/onshi-kiosk/ledger.sqlite");
}

TEST_CASE("a damaged file is refused with a clear typed error", "[sqlite]") {
    TempDir d;
    SECTION("not a database at all") {
        std::ofstream(d.path / "junk.sqlite") << std::string(8192, 'x');
        std::string ja;
        CHECK(open_error(d.path / "junk.sqlite", &ja) == ErrorCode::Corrupt);
        CHECK(ja.find("破損") != std::string::npos);
    }
    SECTION("a real ledger with an overwritten page") {
        fs::path p = d.path / "l.sqlite";
        {
            auto db = LedgerStore::open(p);
            for (int i = 1; i <= 300; ++i) {
                auto plan = register_ichiro(std::to_string(i));
                plan.reference_number.clear();
                plan.check->raw_xml = std::string(500, 'r');
                db.apply(plan, "S01");
            }
        }
        raw(p, "PRAGMA wal_checkpoint(TRUNCATE)");
        auto size = fs::file_size(p);
        REQUIRE(size > 16 * 4096);
        {
            std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(std::streamoff(size / 2));
            std::string garbage(4096 * 3, '\x5a');
            f.write(garbage.data(), std::streamsize(garbage.size()));
        }
        CHECK(open_error(p) == ErrorCode::Corrupt);
    }
    SECTION("a schema from a newer program") {
        fs::path p = d.path / "l.sqlite";
        { LedgerStore::open(p); }
        raw(p, "PRAGMA user_version = 9");
        CHECK(open_error(p) == ErrorCode::TooNew);
    }
}

TEST_CASE("backup on demand and daily, mode 0600, keeping the newest copies", "[sqlite]") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    db.backup_to(d.path / "copy.sqlite");
    CHECK(mode_of(d.path / "copy.sqlite") == 0600);
    {
        auto copy = LedgerStore::open(d.path / "copy.sqlite");
        CHECK(copy.integrity_check() == "ok");
        REQUIRE(copy.patient("13"));
        CHECK(copy.patient("13")->current_card()->insurer_number == "139980");
    }
    fs::path dir = d.path / "backups";
    for (int day = 1; day <= 5; ++day) {
        c.value = "2021-08-0" + std::to_string(day) + "T23:00:00";
        auto f = db.daily_backup(dir, 3);
        REQUIRE(f);
        CHECK(f->filename() == "ledger-2021-08-0" + std::to_string(day) + ".sqlite");
        CHECK_FALSE(db.daily_backup(dir, 3));  // once a day
    }
    std::vector<std::string> names;
    for (auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names ==
          std::vector<std::string>{"ledger-2021-08-03.sqlite", "ledger-2021-08-04.sqlite", "ledger-2021-08-05.sqlite"});
}

namespace {
// The sanitizers' runtime probes whether memory is readable by writing it to a pipe, and /proc/self/io counts
// those writes with the ledger's: the count is only the ledger's in a build without them.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

long write_calls() {  // write-like system calls of this process so far
    std::ifstream io("/proc/self/io");
    std::string key;
    long value = 0;
    while (io >> key >> value)
        if (key == "syscw:") return value;
    return -1;
}
}  // namespace

// The ledger's VFS (core/ledger/sql.cpp) hands a commit's WAL frames to the kernel as one write, just before
// SQLite syncs them; what another connection reads is the same, and a transaction bigger than one write of
// SQLite's unix VFS goes out in pieces.
TEST_CASE("a plan's WAL frames reach the file in one write before the sync, a big commit in pieces", "[sqlite]") {
    TempDir d;
    Clock c;
    const fs::path p = d.path / "l.sqlite";
    auto db = open_with(p, c);
    db.apply(register_ichiro(), "S01");
    OverwritePlan plan;  // the bench's plan: ten pages
    plan.kind = PlanKind::OverwriteFields;
    plan.karte = "13";
    plan.fields = {{Field::Address, "東京都千代田区永田町1-99-7"}, {Field::ValidUntil, "2027-07-31"}};
    plan.check = PlannedCheck{CheckMethod::Visual, "", "1", "1", "", "", std::string(2000, 'x')};
    const long before = write_calls();
    REQUIRE(before >= 0);
    db.apply(plan, "S01");
    if (!kSanitized) CHECK(write_calls() - before <= 2);  // SQLite's own VFS: two a page, 20 or more
    CHECK(raw(p, "SELECT address FROM patients WHERE karte = '13'") == "東京都千代田区永田町1-99-7");

    plan.fields = {{Field::Address, "東京都千代田区永田町1-99-8"}};
    // Letters in no order: nothing for LZ4 to pack (packed_text.hpp), so ~75 pages in one commit.
    const char* kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string letters(300000, ' ');
    uint32_t seed = 12345;
    for (char& ch : letters) ch = kLetters[(seed = seed * 1103515245u + 12345u) >> 26];
    plan.check->raw_xml = letters;
    const int64_t check = db.apply(plan, "S01").check_id;
    CHECK(raw(p, "SELECT typeof(raw_xml) || length(raw_xml) FROM checks WHERE id = " + std::to_string(check)) ==
          "text300000");
    CHECK(raw(p, "PRAGMA integrity_check") == "ok");
    CHECK(db.check(check)->raw_xml == letters);
}

TEST_CASE("a reader running while writes happen always sees whole changes", "[sqlite]") {
    TempDir d;
    fs::path p = d.path / "l.sqlite";
    auto writer = LedgerStore::open(p);
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0};
    std::string failure;
    std::thread reader([&] {
        try {
            auto r = LedgerStore::open(p);
            sqlite3* raw = nullptr;
            sqlite3_open_v2(p.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
            sqlite3_busy_timeout(raw, 5000);
            while (!stop) {
                // One statement = one snapshot: every registered patient comes with its card, check and audit row.
                sqlite3_stmt* st = nullptr;
                sqlite3_prepare_v2(raw,
                                   "SELECT (SELECT count(*) FROM patients), (SELECT count(*) FROM insurance_cards), "
                                   "(SELECT count(*) FROM checks), (SELECT count(*) FROM audit)",
                                   -1, &st, nullptr);
                if (sqlite3_step(st) == SQLITE_ROW) {
                    auto n = sqlite3_column_int(st, 0);
                    if (sqlite3_column_int(st, 1) != n || sqlite3_column_int(st, 2) != n ||
                        sqlite3_column_int(st, 3) != n)
                        failure = "torn read at " + std::to_string(n);
                }
                sqlite3_finalize(st);
                auto h = r.history({}, 100000);
                auto rec = r.patient("1");
                if (rec && !rec->current_card()) failure = "patient without its card";
                (void)h;
                ++reads;
            }
            sqlite3_close(raw);
        } catch (const std::exception& e) {
            failure = e.what();
        }
    });
    for (int i = 1; i <= 150; ++i) {
        auto plan = register_ichiro(std::to_string(i));
        plan.reference_number.clear();
        plan.consents.clear();
        writer.apply(plan, "S01");
    }
    stop = true;
    reader.join();
    CHECK(failure.empty());
    INFO(failure);
    CHECK(reads > 0);
    CHECK(writer.history({}).rows.size() == 150);
}
