#pragma once
// One app-state struct passed to free draw functions (hello_imgui style): no function-local statics.
// The visit itself lives in the flow; this holds only what the screens edit before they emit an intent.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "app/kiosk/fonts.hpp"
#include "core/flow/inputs.hpp"
#include "core/flow/visit.hpp"

namespace onshi::kiosk {

struct Options {
    bool demo = false;         // 研修モード: card emulator, simulated OQS terminal, sample ledger
    bool fullscreen = false;   // kiosk mode: fullscreen on the primary monitor, cursor hidden
    bool headless = false;     // GPU-less: no window, no GL (tests)
    std::string script;        // --script FILE
    std::string screenshot_dir = "screenshots";
    std::string config_file;   // --config FILE (deployment)
    std::string demo_dir;      // --demo-dir DIR: where training mode keeps its ledger and OQS folders
    int width = 1280, height = 800;
    int max_seconds = 300;     // a script run gives up after this long
    double exit_after = 0;     // --exit-after S: quit after S seconds (measurements, tests); 0 never
    bool stats = false;        // --stats: print frames drawn and run time at exit
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();  // for first-frame time
    FontConfig font;
};

// What the 管理 screen and the status line show about the devices.
struct DeviceStatus {
    bool pcscd = false, reader = false, card = false;
    std::string reader_name;
    bool oqs_folder = false;
    std::string oqs_root;
    std::string ledger_path;
    std::string last_backup;
    std::string message_ja;  // the most urgent problem, "" when all is well
};

// A training scenario (研修モード): what the emulator card and the simulated terminal do.
struct Scenario {
    std::string id, label_ja;
};

// Screen-local entries: digits keyed on a pad before they become an intent.
struct Entries {
    std::string passcode;   // 職員認証 / ロック
    std::string face;       // 照合番号B: 6 + 4 + 4 digits
    int switch_year = 0, switch_month = 0, switch_day = 0;  // 切替日 dialog (西暦, shown in 和暦)
    void clear() { *this = Entries{}; }
};

struct AppState {
    Options opts;
    const flow::Visit* visit = nullptr;     // the flow's state, read-only
    std::vector<flow::Input> intents;       // what the screens asked for this frame
    Entries entries;
    flow::Step last_step = flow::Step::Standby;
    bool admin_open = false;                // 管理
    std::string admin_message_ja;
    DeviceStatus devices;
    std::vector<Scenario> scenarios;        // 研修モード only
    std::string scenario;                   // the one picked
    std::function<void(const std::string&)> pick_scenario;  // set by the host in training mode
    std::function<std::string()> backup_now;                // 管理: returns a message
    std::vector<std::string> staff_lines;                   // 管理: one line a staff member (name, lock state)
    std::vector<std::string> fatal;                         // why the kiosk cannot run (config, ledger): shown, never a crash
    double now = 0;              // seconds since start (the UI clock)
    int64_t clock_ms = 0;        // the flow's clock (epoch ms): countdowns against its deadlines
    bool animating = false;      // set by a screen while something moves; keeps frames coming
    double wake_at = -1;         // a screen's next timed change; -1 none
    bool quit = false;

    void emit(flow::Input in) { intents.push_back(std::move(in)); }
};

}  // namespace onshi::kiosk
