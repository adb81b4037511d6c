// 受付一覧 frames (docs/performance.md, "Reception list"): the console's list page with 300 patients that day,
// drawn GPU-less like BM_DiffFrame in bench/ui_kiosk.cpp (the UI layer only: ImGui::NewFrame → Render, no
// GL). The rows are the list the console model holds (core/console); only those on screen are laid out.
// Goal: frame p99 ≤ 1 ms, reported as the counter p99_us (and p50_us).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "app/kiosk/platform.hpp"
#include "core/console/console.hpp"
#include "tests/flow/fakes.hpp"

namespace {

using namespace onshi;

// 300 rows as the list shows them: a mix of the manual's statuses, some 今月未確認, a few 原簿未登録.
std::vector<intake::ReceptionListRow> rows300() {
    static const char* const kStatus[][3] = {
        {"valid", "有効", "有効 確認日：令和8年12月3日"},
        {"invalid", "喪失", "喪失 確認日：令和8年12月3日【資格有効性:2】無効"},
        {"not_found", "該当なし", "該当なし 確認日：令和8年12月3日【資格有効性:4】該当資格なし"},
        {"processing", "照会中", "照会中 確認日：令和8年12月3日"},
    };
    std::vector<intake::ReceptionListRow> rows;
    for (int i = 0; i < 300; ++i) {
        intake::ReceptionListRow r;
        const auto& st = kStatus[i % 7 == 0 ? 1 + i % 3 : 0];
        r.registered = i % 50 != 49;
        r.karte = r.registered ? std::to_string(1000 + i) : "";
        r.file = r.registered ? "" : "OQSsiquc01res_face_" + std::to_string(i) + ".xml";
        r.kanji_name = i % 2 ? "資格　一郎" : "保険　花子";
        r.kana_name = i % 2 ? "シカク イチロウ" : "ホケン ハナコ";
        r.age = std::to_string(20 + i % 70) + "歳" + std::to_string(i % 12) + "ヶ月";
        char at[32];
        std::snprintf(at, sizeof at, "2026-12-03T%02d:%02d:00", 9 + i / 60, i % 60);
        r.received_at = at;
        r.status_key = st[0];
        r.status = st[1];
        r.column_text = st[2];
        r.due_this_month = i % 3 == 0;
        rows.push_back(std::move(r));
    }
    return rows;
}

void BM_ConsoleListFrame300(benchmark::State& state) {
    using namespace onshi::flow::test;
    kiosk::HeadlessContext ctx(1280, 800);
    ManualClock clock;
    FakeCard card;
    FakeLedger ledger;
    ledger.staff = {{"S01", "受付 花子"}, {"S02", "事務長 太郎"}};  // two: staff pick their name first
    flow::VisualConfirmFlow f(card, ledger, clock.fn());
    console::Console model;
    model.handle(console::in::ListLoaded{"2026-12-03", rows300()});
    kiosk::Options o;
    o.headless = true;
    kiosk::Frontend fe(o, &f);
    fe.before_frame = [&](kiosk::View& v, kiosk::FrameOutput&) { v.console = &model.state(); };
    fe.init(1.f);
    // Signed in as staff, then 受付一覧 over カード待ち, as a clinic opens it.
    fe.load_script(
        "wait frames 2\ntap staff\nwait screen staff_auth\ntap staff:S01\npad 246810\ntap key:ok\n"
        "wait screen visual_reason\ntap reason:face_and_pin_failed\nwait screen await_card\n"
        "tap console\nwait screen console_list\nassert text 資格　一郎\n");
    if (kiosk::run_headless(fe, 2000) != 0 || std::string(fe.screen_name()) != "console_list") {
        state.SkipWithError(("the console list did not open: " + fe.script_failure()).c_str());
        return;
    }
    ImGuiIO& io = ImGui::GetIO();
    double now = 100;
    for (int i = 0; i < 5; ++i) fe.frame(io, now += 1.0 / 60), fe.after_frame();  // glyphs settle
    std::vector<double> us;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        fe.frame(io, now += 1.0 / 60);
        us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(us.begin(), us.end());
    state.counters["rows"] = double(model.state().rows.size());
    state.counters["p50_us"] = us[us.size() / 2];
    state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
}
BENCHMARK(BM_ConsoleListFrame300)->Iterations(2000)->Unit(benchmark::kMicrosecond);

}  // namespace
