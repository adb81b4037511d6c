#pragma once
// The kiosk without its platform: screens over the flow, fonts, widgets and the script driver. The GLFW
// window (platform_glfw.cpp) and the GPU-less harness (headless.cpp) both run frames through this class.
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/kiosk/app_state.hpp"
#include "app/kiosk/script.hpp"
#include "app/kiosk/ui.hpp"
#include "core/flow/visual_confirm_flow.hpp"

namespace onshi::kiosk {

class Frontend {
public:
    // Without a flow (bad config, corrupt ledger) the kiosk shows View::fatal and nothing else.
    Frontend(Options opts, flow::VisualConfirmFlow* flow);

    // Needs a current ImGui context. Returns false when the Japanese font is missing.
    bool init(float scale);
    void load_script(const std::string& text);  // throws std::runtime_error on a malformed script

    // Called at the start of every frame, before anything is drawn: the host runs its Mailbox (device
    // events into the flow, action results into take()), refreshes device status and staff lines.
    std::function<void(View&, FrameOutput&)> before_frame;
    // Runs a kiosk action after the frame (backup, scenario switch): true when it was taken (the view shows
    // it running until take() gets its result). Unset, or false: the action is dropped and logged.
    std::function<bool(const KioskAction&)> on_action;
    // The reception console's intents, after the frame (the host hands them to core/console and runs the
    // effects on its worker). Unset: dropped.
    std::function<void(const console::Intent&)> on_console;

    // before_frame, flow timers, script input, ImGui::NewFrame, the screen, ImGui::Render, then the screen's
    // intents go to the flow and its actions to on_action. The platform renders the draw data.
    void frame(ImGuiIO& io, double now);
    // The outcome of an action, on the UI thread (through the host's Mailbox): into the view.
    void take(const ActionResult& r);
    std::optional<std::string> screenshot_path() const;
    void screenshot_done(bool ok);
    bool after_frame();  // rebuilds the font atlas when new glyphs were needed; true when it did

    bool busy() const;                         // wants another frame right away (script, animation, font rebuild)
    // While busy, how soon after the last one the next frame may start: a script acting on the screen 1/60 s,
    // anything that only watches the screen change (a script's wait, an animation) 1/30 s.
    double busy_frame_seconds() const;
    double seconds_to_wake(double now) const;  // next timed change, or negative for none
    bool finished() const;                     // script done or failed, or the app asked to quit
    int exit_code() const;                     // 0, or 3 when the script failed
    const std::string& script_failure() const;

    const Options& options() const { return opts_; }
    const View& view() const { return view_; }
    Entries& entries() { return entries_; }
    void set_fatal(std::vector<std::string> lines) { view_.fatal = std::move(lines); }
    void set_scenarios(std::vector<Scenario> s) { view_.scenarios = std::move(s); }
    Ui& ui() { return ui_; }
    Fonts& fonts() { return fonts_; }
    flow::VisualConfirmFlow* flow() { return flow_; }
    const FrameRecord& last_frame() const { return ui_.last; }
    long frames_drawn() const { return frames_; }
    const char* screen_name() const;
    bool console_shown() const;  // 受付一覧 over カード待ち
    bool inside_frame() const { return inside_frame_; }  // between ImGui::NewFrame and ImGui::Render

private:
    void run_actions(std::vector<KioskAction> actions);

    Options opts_;
    View view_;
    FrameOutput out_;  // the last frame's (animating, wake_at); intents and actions are handed on
    Entries entries_;
    flow::Step last_step_ = flow::Step::Standby;
    bool quit_ = false;
    bool inside_frame_ = false;
    flow::VisualConfirmFlow* flow_;
    Fonts fonts_;
    Ui ui_;
    std::unique_ptr<ScriptRunner> script_;
    long frames_ = 0;
};

void apply_style(float scale);

}  // namespace onshi::kiosk
