// Kiosk actions: a screen's tap only requests the backup or the scenario switch; the work runs after the
// frame (on the action worker), its outcome comes back through the UI mailbox, and nothing it throws reaches
// the frame loop.
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "app/kiosk/actions.hpp"
#include "core/ledger/error.hpp"
#include "tests/app/harness.hpp"

using namespace onshi;
using namespace onshi::kiosk;
using onshi::kiosk::test::Harness;
using namespace std::chrono_literals;

namespace {

// Opens 管理 from カード待ち.
void to_admin(Harness& h) {
    REQUIRE(h.run("wait frames 2\ntap staff\ntap staff:S01\npad 246810\ntap key:ok\n"
                  "wait screen visual_reason\ntap reason:face_and_pin_failed\nwait screen await_card\n"
                  "tap admin\nwait screen admin\n") == 0);
}

// Runs frames until `done` or about 5 s.
template <class F>
bool frames_until(Harness& h, F done) {
    for (int i = 0; i < 500 && !done(); ++i) {
        if (h.run("wait frames 1\n") != 0) return false;
        std::this_thread::sleep_for(10ms);
    }
    return done();
}

}  // namespace

TEST_CASE("actions: 管理's backup tap is a kiosk action run after the frame, never inside the draw") {
    Harness h;
    std::vector<KioskAction> got;
    bool ran_inside_frame = false;
    h.fe.on_action = [&](const KioskAction& a) {
        ran_inside_frame = ran_inside_frame || h.fe.inside_frame();
        got.push_back(a);
        return true;
    };
    to_admin(h);
    const WidgetRect* backup = h.fe.last_frame().find("backup");
    REQUIRE(backup);
    CHECK_FALSE(backup->enabled);  // nothing to back up: no host said there is a ledger
    h.fe.before_frame = [&](View& v, FrameOutput&) {
        h.ui.run_pending();
        v.backup_available = true;
    };
    REQUIRE(h.run("tap backup\nwait frames 2\n") == 0);
    REQUIRE(got.size() == 1);
    CHECK(std::holds_alternative<action::Backup>(got[0]));
    CHECK_FALSE(ran_inside_frame);
    CHECK(h.fe.view().backup_running);
    backup = h.fe.last_frame().find("backup");
    REQUIRE(backup);
    CHECK_FALSE(backup->enabled);  // one backup at a time

    h.fe.take({ActionResult::Kind::Backup, true,
               text::msg(text::Msg::BackupDone, -1, -1, "/b/ledger-2021-08-17.sqlite"), "/b/ledger-2021-08-17.sqlite",
               text::Msg::None});
    REQUIRE(h.run("wait text バックアップしました: /b/ledger-2021-08-17.sqlite\n") == 0);
    CHECK_FALSE(h.fe.view().backup_running);
    REQUIRE(h.run("tap close-admin\nwait screen await_card\ntap admin\nwait screen admin\n"
                  "assert no-text バックアップしました\n") == 0);
}

TEST_CASE("actions: a scenario tap is a kiosk action, and no visit starts until the switch is done") {
    Harness h(true);
    h.fe.set_scenarios({{"valid", text::Msg::ScenarioValid}, {"forged", text::Msg::ScenarioForged}});
    std::vector<std::string> picked;
    bool ran_inside_frame = false;
    h.fe.on_action = [&](const KioskAction& a) {
        ran_inside_frame = ran_inside_frame || h.fe.inside_frame();
        if (const auto* p = std::get_if<action::PickScenario>(&a)) picked.push_back(p->id);
        return true;
    };
    REQUIRE(h.run("wait frames 2\nassert text 研修シナリオ: （未選択）\ntap scenario:forged\nwait frames 2\n") == 0);
    CHECK(picked == std::vector<std::string>{"forged"});
    CHECK_FALSE(ran_inside_frame);
    const WidgetRect* staff = h.fe.last_frame().find("staff");
    REQUIRE(staff);
    CHECK_FALSE(staff->enabled);
    h.fe.take({ActionResult::Kind::Scenario, true, {}, "", text::Msg::ScenarioForged});
    REQUIRE(h.run("wait text 研修シナリオ: 偽造チップ\ntap staff\nwait screen staff_auth\n") == 0);
}

TEST_CASE("actions: the worker runs the backup off the UI thread and posts the result back through the mailbox") {
    Harness h;
    ActionWorker::Jobs jobs;
    std::thread::id ran_on;
    jobs.backup = [&] {
        ran_on = std::this_thread::get_id();
        std::this_thread::sleep_for(300ms);  // a slow backup never holds a frame
        return std::string("/b/ledger-2021-08-17.sqlite");
    };
    ActionWorker worker(std::move(jobs), h.ui, [&](const ActionResult& r) { h.fe.take(r); });
    h.fe.on_action = [&](const KioskAction& a) { return worker.run(a); };
    h.fe.before_frame = [&](View& v, FrameOutput&) {
        h.ui.run_pending();
        v.backup_available = true;
    };
    to_admin(h);
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(h.run("tap backup\n") == 0);
    CHECK(std::chrono::steady_clock::now() - t0 < 250ms);
    CHECK(h.fe.view().backup_running);
    REQUIRE(frames_until(h, [&] { return !h.fe.view().backup_running; }));
    CHECK(ran_on != std::this_thread::get_id());
    CHECK(h.fe.view().last_backup == "/b/ledger-2021-08-17.sqlite");
    REQUIRE(h.run("wait text バックアップしました: /b/ledger-2021-08-17.sqlite\n") == 0);
}

TEST_CASE("actions: a failing backup or scenario shows a Japanese message and the frames go on") {
    Harness h(true);
    ActionWorker::Jobs jobs;
    jobs.backup = []() -> std::string {
        throw ledger::LedgerError(ledger::ErrorCode::Io, "disk full", "バックアップ先に書き込めません");
    };
    jobs.pick_scenario = [](const std::string& id) -> text::Msg {
        throw std::runtime_error("cannot start emulator for " + id);
    };
    ActionWorker worker(std::move(jobs), h.ui, [&](const ActionResult& r) { h.fe.take(r); });
    h.fe.set_scenarios({{"valid", text::Msg::ScenarioValid}});
    h.fe.on_action = [&](const KioskAction& a) { return worker.run(a); };
    h.fe.before_frame = [&](View& v, FrameOutput&) {
        h.ui.run_pending();
        v.backup_available = true;
    };
    REQUIRE(h.run("wait frames 2\ntap scenario:valid\n") == 0);
    REQUIRE(frames_until(h, [&] { return !h.fe.view().scenario_switching; }));
    REQUIRE(h.run("wait text 研修シナリオを切り替えられませんでした: cannot start emulator for valid\n"
                  "assert text 研修シナリオ: （未選択）\n") == 0);
    to_admin(h);
    REQUIRE(h.run("tap backup\n") == 0);
    REQUIRE(frames_until(h, [&] { return !h.fe.view().backup_running; }));
    REQUIRE(h.run("wait text バックアップできませんでした: バックアップ先に書き込めません\n") == 0);
    CHECK(h.fe.view().last_backup.empty());
}

TEST_CASE("actions: an action nothing can run is dropped, and one that throws while starting never reaches the loop") {
    Harness h;
    h.fe.before_frame = [&](View& v, FrameOutput&) {
        h.ui.run_pending();
        v.backup_available = true;
    };
    to_admin(h);
    REQUIRE(h.run("tap backup\nwait frames 2\n") == 0);  // no on_action
    CHECK_FALSE(h.fe.view().backup_running);
    h.fe.on_action = [](const KioskAction&) -> bool { throw std::runtime_error("no worker"); };
    REQUIRE(h.run("tap backup\nwait frames 2\n") == 0);
    CHECK_FALSE(h.fe.view().backup_running);
    const WidgetRect* backup = h.fe.last_frame().find("backup");
    REQUIRE(backup);
    CHECK(backup->enabled);
}
