// Staff passcodes on a real SQLite ledger: hashing, lockout, and a restart during lockout.
#include "tests/support/temp_dir.hpp"
#include <catch2/catch.hpp>

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
    CHECK(passcode_problem("123456", p).empty());
    CHECK(passcode_problem("12345678", p).empty());
    CHECK_FALSE(passcode_problem("12345", p).empty());
    CHECK_FALSE(passcode_problem("123456789", p).empty());
    CHECK_THAT(passcode_problem("12a456", p), Catch::Contains("数字"));
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
    Passcode pc(store, [&] { return now; }, fast_policy());
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
    LedgerPort port(store, [&] { return now; }, fast_policy());
    port.passcode().add_staff("S01", "受付 花子", "reception", "246810", "setup");
    port.passcode().add_staff("S02", "事務長 太郎", "admin", "13572468", "setup");
    store.set_staff_active("S02", false, "setup");
    auto staff = port.active_staff();
    REQUIRE(staff.size() == 1);
    CHECK(staff[0].name == "受付 花子");
    CHECK(port.verify_staff("S01", "246810").outcome == AuthOutcome::Accepted);
}

TEST_CASE("passcode: a change is audited, ends a lockout, and the old passcode stops working") {
    TempDir dir;
    auto store = ledger::LedgerStore::open(dir.path / "ledger.sqlite");
    int64_t now = 1627776000000;
    Passcode pc(store, [&] { return now; }, fast_policy());
    pc.add_staff("S01", "受付 花子", "reception", "246810", "setup");
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
