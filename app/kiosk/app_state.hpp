#pragma once
// The kiosk's state, split the hello_imgui way (docs/flow.md, "Where things live"):
//   Options      set once from the command line / config (RunnerParams-like), never changed by a frame;
//   View         what the screens draw from: read-only to them (the visit, device status, clocks …);
//   FrameOutput  what one frame asked for: intents to the flow, kiosk actions, animating / wake_at / quit;
//   Entries      screen-local digits and steppers, edited by the pads before they become an intent.
// Draw functions take `const View&`, `FrameOutput&` and `Entries&`: they cannot reach the ledger, the files
// or a device. Kiosk actions that do I/O run after the frame (Frontend::on_action), slow ones on a worker.
#include <chrono>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "app/kiosk/fonts.hpp"
#include "core/console/console.hpp"
#include "core/flow/inputs.hpp"
#include "core/flow/visit.hpp"
#include "core/text/messages_ja.hpp"

namespace onshi::kiosk {

struct Options {
    bool demo = false;        // 研修モード: card emulator, simulated OQS terminal, sample ledger
    bool fullscreen = false;  // kiosk mode: fullscreen on the primary monitor, cursor hidden
    bool headless = false;    // GPU-less: no window, no GL (tests)
    std::string script;       // --script FILE
    std::string screenshot_dir = "screenshots";
    std::string config_file;  // --config FILE (deployment)
    std::string demo_dir;     // --demo-dir DIR: where training mode keeps its ledger and OQS folders
    int width = 1280, height = 800;
    int max_seconds = 300;  // a script run gives up after this long
    double exit_after = 0;  // --exit-after S: quit after S seconds (measurements, tests); 0 never
    bool stats = false;     // --stats: print frames drawn and run time at exit
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
    text::Msg problem = text::Msg::None;  // the most urgent problem, None when all is well
};

// A training scenario (研修モード): what the emulator card and the simulated terminal do.
struct Scenario {
    std::string id;
    text::Msg label = text::Msg::None;
};

// One line of 管理's staff list.
struct StaffLine {
    std::string name, id;
    text::Msg state = text::Msg::None;  // 利用停止 / ロック中 / パスコード未設定, or None
};

// One line of 受付結果: a face/ result the kiosk took in (newest first).
struct ReceptionLine {
    std::string file;    // the face/ file
    std::string time;    // when it was taken in, HH:MM
    std::string name;    // 氏名 from the result; "" when it names nobody or could not be read
    std::string column;  // the 院内患者 column text (a check was recorded), else the status word
    std::string karte;   // "" → 原簿未登録
    bool malformed = false;
};

// Work for the host after the frame: never done inside a draw call.
namespace action {
struct OpenAdmin {};
struct CloseAdmin {};
struct OpenReception {};  // 受付結果
struct CloseReception {};
struct OpenConsole {};  // 受付一覧 (the reception console, core/console)
struct CloseConsole {};
struct PutOnFaceReader {};  // 研修モード: the card on the simulated face-auth reader (a worker)
struct Backup {};           // 管理: 今すぐバックアップ (slow: a worker)
struct PickScenario {       // 研修モード: switch the card and the terminal (slow: a worker)
    std::string id;
};
}  // namespace action
using KioskAction = std::variant<action::OpenAdmin, action::CloseAdmin, action::Backup, action::PickScenario,
                                 action::OpenReception, action::CloseReception, action::PutOnFaceReader,
                                 action::OpenConsole, action::CloseConsole>;

// The outcome of a kiosk action run on a worker, posted back through the UI Mailbox.
struct ActionResult {
    enum class Kind { Backup, Scenario, FaceReader } kind = Kind::Backup;
    bool ok = false;
    text::Message message;                 // shown on 管理 (backup) or under the scenario buttons
    std::string backup_file;               // Backup, ok
    text::Msg scenario = text::Msg::None;  // Scenario, ok: the label of the scenario now in place
};

// What the screens draw from. Filled by the Frontend (visit, clocks, admin), the host's before_frame
// (devices, staff lines) and the results of kiosk actions; screens only read it.
struct View {
    const flow::Visit* visit = nullptr;    // the flow's state; never null while a screen draws
    bool demo = false;                     // 研修モード
    bool admin_open = false;               // 管理
    bool reception_open = false;           // 受付結果
    std::vector<ReceptionLine> reception;  // 受付結果, newest first
    bool console_open = false;             // 受付一覧: shown over カード待ち while staff are signed in
    const console::State* console = nullptr;  // the console's state (the host's); null without a host
    DeviceStatus devices;
    std::vector<StaffLine> staff;   // 管理 only
    bool backup_available = false;  // a ledger to back up
    bool backup_running = false;
    std::string last_backup;               // the file of the last backup written
    text::Message admin_message;           // 管理: the last backup's outcome
    std::vector<Scenario> scenarios;       // 研修モード only
    text::Msg scenario = text::Msg::None;  // the one in place
    bool scenario_switching = false;
    text::Message scenario_message;  // a scenario that could not be set up, or the face reader's outcome
    std::vector<std::string> fatal;  // why the kiosk cannot run (config, ledger): shown, never a crash
    double now = 0;                  // seconds since start (the UI clock)
    int64_t clock_ms = 0;            // the flow's clock (epoch ms): countdowns against its deadlines
};

// What one frame asked for. The Frontend hands the intents to the flow and the actions to the host
// after ImGui::Render().
struct FrameOutput {
    std::vector<flow::Input> intents;
    std::vector<KioskAction> actions;
    std::vector<console::Intent> console;  // intents to the reception console (the host runs its effects)
    bool animating = false;  // set by a screen while something moves; keeps frames coming
    double wake_at = -1;     // a screen's next timed change; -1 none
    bool quit = false;

    void emit(flow::Input in) { intents.push_back(std::move(in)); }
    // Built in place from the action itself (GCC 12 reports a false "may be used uninitialized" in the
    // string of PickScenario when a whole KioskAction is moved in a Release build).
    template <class Action>
    void request(Action&& a) {
        actions.emplace_back(std::forward<Action>(a));
    }
    void to_console(console::Intent i) { console.push_back(std::move(i)); }
    void wake_by(double t) {
        if (wake_at < 0 || t < wake_at) wake_at = t;
    }
};

// Screen-local entries: digits keyed on a pad before they become an intent.
struct Entries {
    std::string passcode;                                   // 職員認証 / ロック
    std::string face;                                       // 照合番号B: 6 + 4 + 4 digits
    std::string karte;                                      // 受付一覧: カルテ番号 pad
    std::string kana;                                       // 受付一覧: kana pad (UTF-8)
    // The 切替日 dialog: 切替日, 保険有効開始日, 限度額開始日 (西暦, shown in 和暦; year 0: not prefilled yet).
    struct Date {
        int year = 0, month = 0, day = 0;
    };
    Date switch_date, valid_from, limit_from;
    bool switch_prefilled = false;
    void clear() { *this = Entries{}; }
};

}  // namespace onshi::kiosk
