#pragma once
// One app-state struct passed to free draw functions (hello_imgui style): no function-local statics.
#include <string>

#include "app/kiosk/fonts.hpp"

namespace onshi::kiosk {

struct Options {
    bool demo = false;         // 研修モード: card emulator, simulated OQS terminal, sample ledger
    bool fullscreen = false;   // kiosk mode: fullscreen on the primary monitor, cursor hidden
    bool headless = false;     // GPU-less: no window, no GL (tests)
    std::string script;        // --script FILE
    std::string screenshot_dir = "screenshots";
    int width = 1280, height = 800;
    int max_seconds = 300;     // a script run gives up after this long
    double exit_after = 0;     // --exit-after S: quit after S seconds (measurements, tests); 0 never
    bool stats = false;        // --stats: print frames drawn and run time at exit
    FontConfig font;
};

enum class ScreenId { Standby, StaffAuth };

struct AppState {
    Options opts;
    ScreenId screen = ScreenId::Standby;
    std::string passcode_entry;  // digits keyed on the pad; cleared on every screen change
    double now = 0;              // seconds since start (the UI clock)
    bool animating = false;      // set by a screen while something moves; keeps frames coming
    double wake_at = -1;         // a screen's next timed change (countdown tick, auto-return); -1 none
    bool quit = false;

    void go(ScreenId s) {
        screen = s;
        passcode_entry.clear();
    }
};

}  // namespace onshi::kiosk
