// Staff passcodes on a real SQLite ledger: hashing, lockout, and a restart during lockout.
#include "tests/support/temp_dir.hpp"
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>

#include "core/flow/ledger_port.hpp"
#include "core/flow/passcode.hpp"
#include "core/ledger/error.hpp"

using namespace onshi;
using namespace onshi::flow;

namespace {
using TempDir = onshi::test::TempDir;

PasscodePolicy fast_policy() {
    PasscodePolicy p;
    p.iterations = 1000;  // the default's cost is measured once below; the rest need speed
    return p;
}
}  // namespace

TEST_CASE("passcode: the default policy is PBKDF2-HMAC-SHA256 with at least 600,000 iterations") {
    PasscodePolicy p;
    CHECK(p.iterations >= 600000);
    PasscodeHash h = hash_passcode("24681357", p.iterations);
    CHECK(h.iterations == p.iterations);
    CHECK(h.salt_hex.size() == 32);
    CHECK(h.hash_hex.size() == 64);
    CHECK(passcode_matches("24681357", h.salt_hex, h.hash_hex, h.iterations));
    CHECK_FALSE(passcode_matches("24681358", h.salt_hex, h.hash_hex, h.iterations));
}

TEST_CASE("passcode: salts differ, so equal passcodes give different hashes") {
    auto a = hash_passcode("123456", 1000);
    auto b = hash_passcode("123456", 1000);
    CHECK(a.salt_hex != b.salt_hex);
    CHECK(a.hash_hex != b.hash_hex);
    CHECK_FALSE(passcode_matches("123456", a.salt_hex, b.hash_hex, 1000));
    CHECK_FALSE(passcode_matches("123456", "zz", a.hash_hex, 1000));  // malformed stored values never match
}

TEST_CASE("passcode: only 6 to 8 digits are accepted") {
    PasscodePolicy p;
    CHECK(passcode_problem("246813", p).empty());
    CHECK(passcode_problem("24681357", p).empty());
    CHECK_FALSE(passcode_problem("24681", p).empty());
    CHECK_FALSE(passcode_problem("246813579", p).empty());
    CHECK_THAT(passcode_problem("12a456", p), Catch::Contains("数字"));
    p.min_digits = 8;
    CHECK_FALSE(passcode_problem("246813", p).empty());
    CHECK(check_passcode("246813", p).en == "the passcode must be 8 to 8 digits");
}

TEST_CASE("passcode: trivially guessable passcodes are refused, with reasons for the screen and the CLI") {
    PasscodePolicy p;
    for (const char* same : {"000000", "111111", "99999999"}) {
        INFO(same);
        CHECK_THAT(passcode_problem(same, p), Catch::Contains("同じ数字"));
    }
    for (const char* run : {"123456", "12345678", "987654", "98765432", "890123", "321098", "0123456"}) {
        INFO(run);
        CHECK_THAT(passcode_problem(run, p), Catch::Contains("連続"));
        CHECK_THAT(check_passcode(run, p).en, Catch::Contains("run of digits"));
    }
    CHECK(passcode_problem("135790", p).empty());  // steps of two are not a run
    CHECK(passcode_problem("112233", p).empty());
    // The staff ID, as it is or its digits inside the passcode.
    CHECK_THAT(passcode_problem("204815", p, {"204815", ""}), Catch::Contains("職員ID"));
    CHECK_THAT(passcode_problem("20481599", p, {"S2048", ""}), Catch::Contains("職員ID"));
    CHECK(check_passcode("20481599", p, {"S2048", ""}).en == "the passcode contains the staff ID");
    CHECK(passcode_problem("20481599", p, {"S01", ""}).empty());
    // The birth date in the forms people use: 西暦, 和暦 (昭和55年2月17日 → 550217), day and month first.
    const PasscodeOwner born{"S01", "1980-02-17"};
    for (const char* date : {"19800217", "800217", "550217", "02171980", "17021980", "021780", "170280", "800217"}) {
        INFO(date);
        CHECK_THAT(passcode_problem(date, p, born), Catch::Contains("生年月日"));
        CHECK(check_passcode(date, p, born).en == "the passcode contains the birth date");
    }
    CHECK(passcode_problem("19800217", p).empty());  // birth date unknown: nothing to compare with
    CHECK(passcode_problem("24681357", p, born).empty());
    // Adding a member refuses them too, with the English reason in what() and the Japanese one beside it.
    TempDir dir;
    auto store = ledger::LedgerStore::open(dir.path / "ledger.sqlite");
    Passcode pc(
        store, [] { return int64_t(1627776000000); }, fast_policy());
    try {
        pc.add_staff("S01", "受付 花子", "reception", "123456", "setup");
        FAIL("a run was accepted");
    } catch (const PasscodeRefused& e) {
        CHECK(std::string(e.what()).find("run of digits") != std::string::npos);
        CHECK_THAT(e.message_ja, Catch::Contains("連続"));
    }
    CHECK_THROWS_AS(pc.add_staff("S01", "受付 花子", "reception", "19800217", "setup", "1980-02-17"), PasscodeRefused);
    CHECK_FALSE(store.staff("S01"));
}

TEST_CASE("passcode: five failures lock the member for 30 minutes, kept across a restart") {
    TempDir dir;
    const auto db = dir.path / "ledger.sqlite";
    int64_t now = 1627776000000;
    Clock clock = [&] { return now; };
    {
        auto store = ledger::LedgerStore::open(db);
        Passcode pc(store, clock, fast_policy());
        pc.add_staff("S01", "受付 花子", "reception", "246810", "setup");
        CHECK(pc.verify("S01", "246810").outcome == AuthOutcome::Accepted);
        for (int i = 1; i <= 4; ++i) {
            AuthResult r = pc.verify("S01", "111111");
            CHECK(r.outcome == AuthOutcome::Wrong);
            CHECK(r.failures_left == 5 - i);
        }
        AuthResult r = pc.verify("S01", "111111");
        CHECK(r.outcome == AuthOutcome::Locked);
        CHECK(r.locked_for_ms == 30 * 60 * 1000);
        CHECK_THAT(r.message_ja, Catch::Contains("30分間"));
    }
    // The kiosk restarts: the lock is still there, and even the right passcode is refused.
    now += 10 * 60 * 1000;
    {
        auto store = ledger::LedgerStore::open(db);
        Passcode pc(store, clock, fast_policy());
        CHECK(pc.locked_for_ms("S01") == 20 * 60 * 1000);
        CHECK(pc.verify("S01", "246810").outcome == AuthOutcome::Locked);
    }
    // After the 30 minutes the right passcode works and the count starts again.
    now += 20 * 60 * 1000;
    {
        auto store = ledger::LedgerStore::open(db);
        Passcode pc(store, clock, fast_policy());
        CHECK(pc.locked_for_ms("S01") == 0);
        CHECK(pc.verify("S01", "246810").outcome == AuthOutcome::Accepted);
        auto m = store.staff("S01");
        REQUIRE(m);
        CHECK(m->failed_count == 0);
        CHECK(m->locked_until.empty());
        CHECK(pc.verify("S01", "111111").failures_left == 4);
    }
}

TEST_CASE("passcode: unknown and deactivated members are refused with a reason") {
    TempDir dir;
    auto store = ledger::LedgerStore::open(dir.path / "ledger.sqlite");
    int64_t now = 1627776000000;
    Passcode pc(
        store, [&] { return now; }, fast_policy());
    CHECK(pc.verify("S99", "246810").outcome == AuthOutcome::UnknownStaff);
    pc.add_staff("S02", "事務長 太郎", "admin", "13572468", "setup");
    store.set_staff_active("S02", false, "setup");
    CHECK(pc.verify("S02", "13572468").outcome == AuthOutcome::Inactive);
    CHECK_THROWS_AS(pc.add_staff("S03", "x", "reception", "12", "setup"), std::invalid_argument);
}

TEST_CASE("passcode: the flow's ledger port lists only active staff and checks through the store") {
    TempDir dir;
    auto store = ledger::LedgerStore::open(dir.path / "ledger.sqlite");
    int64_t now = 1627776000000;
    LedgerPort port(
        store, [&] { return now; }, fast_policy());
    port.passcode().add_staff("S01", "受付 花子", "reception", "246810", "setup");
    port.passcode().add_staff("S02", "事務長 太郎", "admin", "13572468", "setup");
    store.set_staff_active("S02", false, "setup");
    auto staff = port.active_staff();
    REQUIRE(staff.size() == 1);
    CHECK(staff[0].name == "受付 花子");
    CHECK(port.verify_staff("S01", "246810").outcome == AuthOutcome::Accepted);
}

TEST_CASE("passcode: a member without a passcode is not offered and their tries never count toward a lockout") {
    TempDir dir;
    auto store = ledger::LedgerStore::open(dir.path / "ledger.sqlite");
    int64_t now = 1627776000000;
    LedgerPort port(
        store, [&] { return now; }, fast_policy());
    ledger::StaffMember m;
    m.id = "S03";
    m.name = "新人 三郎";
    m.role = "reception";
    store.add_staff(m, "setup");  // no passcode yet
    CHECK(port.active_staff().empty());
    for (int i = 0; i < 6; ++i) {
        auto r = port.verify_staff("S03", "246810");
        CHECK(r.outcome == AuthOutcome::NoPasscode);
        CHECK_THAT(r.message_ja, Catch::Contains("未設定"));
    }
    CHECK(store.staff("S03")->failed_count == 0);
    CHECK(store.staff("S03")->locked_until.empty());
    CHECK(port.staff_locked_for_ms("S03") == 0);
    port.passcode().add_staff("S01", "受付 花子", "reception", "246810", "setup");
    auto staff = port.active_staff();
    REQUIRE(staff.size() == 1);
    CHECK(staff[0].id == "S01");
}

TEST_CASE("passcode: a change is audited, ends a lockout, and the old passcode stops working") {
    TempDir dir;
    auto store = ledger::LedgerStore::open(dir.path / "ledger.sqlite");
    int64_t now = 1627776000000;
    Passcode pc(
        store, [&] { return now; }, fast_policy());
    pc.add_staff("S01", "受付 花子", "reception", "246810", "setup");
    pc.add_staff("S02", "事務長 太郎", "admin", "13572468", "setup");
    for (int i = 0; i < 5; ++i) pc.verify("S01", "000000");
    REQUIRE(pc.locked_for_ms("S01") > 0);
    pc.change("S01", "13579135", "S02");
    CHECK(pc.locked_for_ms("S01") == 0);
    CHECK(pc.verify("S01", "246810").outcome == AuthOutcome::Wrong);
    CHECK(pc.verify("S01", "13579135").outcome == AuthOutcome::Accepted);
    auto log = store.audit_log();
    REQUIRE_FALSE(log.empty());
    CHECK(log.front().action == "staff.passcode");
    CHECK(log.front().staff_id == "S02");
    CHECK_THROWS_AS(pc.change("S01", "1234", "S02"), std::invalid_argument);
    CHECK_THROWS_AS(pc.change("S99", "13579135", "S02"), ledger::LedgerError);
}

TEST_CASE("passcode: a locked member's passcode is reset only by another active administrator") {
    TempDir dir;
    auto store = ledger::LedgerStore::open(dir.path / "ledger.sqlite");
    int64_t now = 1627776000000;
    Passcode pc(
        store, [&] { return now; }, fast_policy());
    pc.add_staff("S01", "受付 花子", "reception", "246810", "setup");
    pc.add_staff("S02", "事務長 太郎", "admin", "13572468", "setup");
    pc.add_staff("S03", "受付 三郎", "reception", "97531864", "setup");
    pc.add_staff("S04", "院長 四郎", "admin", "86420975", "setup");
    // Not locked: a member may change their own passcode; the one who changes must exist and be active.
    pc.change("S01", "25814736", "S01");
    CHECK_THROWS_AS(pc.change("S01", "25814737", "admin"), PasscodeRefused);
    store.set_staff_active("S04", false, "S02");
    CHECK_THROWS_AS(pc.change("S01", "25814737", "S04"), PasscodeRefused);

    for (int i = 0; i < 5; ++i) pc.verify("S01", "000000");
    REQUIRE(pc.locked_for_ms("S01") > 0);
    CHECK_THROWS_AS(pc.change("S01", "25814737", "S01"), PasscodeRefused);  // not the locked member
    CHECK_THROWS_AS(pc.change("S01", "25814737", "S03"), PasscodeRefused);  // not an administrator
    CHECK_THROWS_AS(pc.change("S01", "25814737", "S04"), PasscodeRefused);  // not active
    CHECK(pc.locked_for_ms("S01") > 0);
    pc.change("S01", "25814737", "S02");
    CHECK(pc.locked_for_ms("S01") == 0);
    CHECK(pc.verify("S01", "25814737").outcome == AuthOutcome::Accepted);
}

TEST_CASE("passcode: a busy ledger never aborts a try and never loses a wrong one") {
    TempDir dir;
    const auto file = dir.path / "ledger.sqlite";
    int64_t now = 1627776000000;
    ledger::LedgerStore::Options o;
    o.busy_timeout_ms = 50;
    auto store = ledger::LedgerStore::open(file, o);
    Passcode pc(
        store, [&] { return now; }, fast_policy());
    pc.add_staff("S01", "受付 花子", "reception", "246810", "setup");
    REQUIRE(pc.verify("S01", "111111").outcome == AuthOutcome::Wrong);  // one failure stored

    // Another program holds the write lock for longer than the busy timeout.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &other, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);

    AuthResult r;
    REQUIRE_NOTHROW(r = pc.verify("S01", "222222"));
    CHECK(r.outcome == AuthOutcome::Busy);
    CHECK(r.failures_left == 3);
    CHECK_THAT(r.message_ja, Catch::Contains("使用中"));
    REQUIRE_NOTHROW(r = pc.verify("S01", "333333"));
    CHECK(r.outcome == AuthOutcome::Busy);
    CHECK(r.failures_left == 2);                   // the busy try before was counted
    CHECK(store.staff("S01")->failed_count == 1);  // nothing written yet

    // The fifth wrong try locks even while nothing can be written; the right passcode is then refused.
    pc.verify("S01", "444444");
    r = pc.verify("S01", "555555");
    CHECK(r.outcome == AuthOutcome::Locked);
    CHECK(pc.locked_for_ms("S01") == 30 * 60 * 1000);
    CHECK(pc.verify("S01", "246810").outcome == AuthOutcome::Locked);

    // Once the other program lets go, the next write stores the whole count and the lock.
    REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    now += 60 * 1000;
    CHECK(pc.verify("S01", "246810").outcome == AuthOutcome::Locked);
    now += 30 * 60 * 1000;
    r = pc.verify("S01", "666666");
    CHECK(r.outcome == AuthOutcome::Wrong);  // the lock ran out: a fresh count
    CHECK(r.failures_left == 4);
    CHECK(store.staff("S01")->failed_count == 1);
    CHECK(store.staff("S01")->locked_until.empty());
}

TEST_CASE("passcode: wrong tries during a busy ledger reach the file when it frees up") {
    TempDir dir;
    const auto file = dir.path / "ledger.sqlite";
    int64_t now = 1627776000000;
    ledger::LedgerStore::Options o;
    o.busy_timeout_ms = 50;
    auto store = ledger::LedgerStore::open(file, o);
    Passcode pc(
        store, [&] { return now; }, fast_policy());
    pc.add_staff("S01", "受付 花子", "reception", "246810", "setup");
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &other, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    CHECK(pc.verify("S01", "111111").outcome == AuthOutcome::Busy);
    CHECK(pc.verify("S01", "222222").outcome == AuthOutcome::Busy);
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    AuthResult r = pc.verify("S01", "333333");
    CHECK(r.outcome == AuthOutcome::Wrong);
    CHECK(r.failures_left == 2);
    CHECK(store.staff("S01")->failed_count == 3);
    // A kiosk restart now still knows all three.
    auto again = ledger::LedgerStore::open(file);
    Passcode pc2(
        again, [&] { return now; }, fast_policy());
    CHECK(pc2.verify("S01", "444444").failures_left == 1);
}
