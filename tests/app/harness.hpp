#pragma once
// The kiosk over the flow with in-memory ports, for GPU-less screen tests.
#include <catch2/catch.hpp>

#include "app/kiosk/platform.hpp"
#include "core/util/mailbox.hpp"
#include "tests/flow/fakes.hpp"

namespace onshi::kiosk::test {

using namespace onshi::flow::test;

// The kiosk over the flow with in-memory ports: every screen without devices, window or GL. Device events
// reach the flow as the host's do: posted into the UI mailbox, run before the next frame.
struct Harness {
    HeadlessContext ctx{1280, 800};
    ManualClock clock;
    FakeCard card;
    FakeLedger ledger;
    flow::VisualConfirmFlow flow{card, ledger, clock.fn()};
    Mailbox ui;
    Frontend fe;
    // What the host fills in before each frame (devices, 管理's staff lines …), for screens that show it.
    std::function<void(View&)> host_view;
    // A kiosk of `width`×`height` pixels at the scale the window would pick for it.
    explicit Harness(bool demo = false, int width = 1280, int height = 800) : ctx{width, height}, fe(make(demo), &flow) {
        ledger.staff = {{"S01", "受付 花子"}, {"S02", "事務長 太郎"}};
        fe.before_frame = [this](View& v, FrameOutput&) {
            ui.run_pending();
            if (host_view) host_view(v);
        };
        REQUIRE(fe.init(ui_scale_for(width, height)));
    }
    // A device event, as a worker thread hands it over.
    void post(flow::Input in) {
        ui.post([this, in = std::move(in)] { flow.handle(in); });
    }
    static Options make(bool demo) {
        Options o;
        o.demo = demo;
        o.headless = true;
        return o;
    }
    int run(const std::string& script, int frames = 2000) {
        fe.load_script(script);
        return run_headless(fe, frames);
    }
};
}  // namespace onshi::kiosk::test
