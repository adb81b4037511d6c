#pragma once
// The kiosk without its platform: screens over the flow, fonts, widgets and the script driver. The GLFW
// window (platform_glfw.cpp) and the GPU-less harness (headless.cpp) both run frames through this class.
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/kiosk/app_state.hpp"
#include "app/kiosk/script.hpp"
#include "app/kiosk/ui.hpp"
#include "core/flow/visual_confirm_flow.hpp"

namespace onshi::kiosk {

class Frontend {
public:
    // Without a flow (bad config, corrupt ledger) the kiosk shows AppState::fatal and nothing else.
    Frontend(Options opts, flow::VisualConfirmFlow* flow);

    // Needs a current ImGui context. Returns false when the Japanese font is missing.
    bool init(float scale);
    void load_script(const std::string& text);  // throws std::runtime_error on a malformed script

    // Called at the start of every frame: the host moves device events into the flow, refreshes status.
    std::function<void(AppState&)> before_frame;

    // Host pump, flow timers, script input, ImGui::NewFrame, the screen, ImGui::Render, then the screen's
    // intents go to the flow. The platform renders the draw data.
    void frame(ImGuiIO& io, double now);
    std::optional<std::string> screenshot_path() const;
    void screenshot_done(bool ok);
    bool after_frame();  // rebuilds the font atlas when new glyphs were needed; true when it did

    bool busy() const;         // wants another frame right away (script, animation, font rebuild)
    double seconds_to_wake(double now) const;  // next timed change, or negative for none
    bool finished() const;     // script done or failed, or the app asked to quit
    int exit_code() const;     // 0, or 3 when the script failed
    const std::string& script_failure() const;

    AppState& state() { return app_; }
    Ui& ui() { return ui_; }
    Fonts& fonts() { return fonts_; }
    flow::VisualConfirmFlow* flow() { return flow_; }
    const FrameRecord& last_frame() const { return ui_.last; }
    long frames_drawn() const { return frames_; }
    const char* screen_name() const;

private:
    AppState app_;
    flow::VisualConfirmFlow* flow_;
    Fonts fonts_;
    Ui ui_;
    std::unique_ptr<ScriptRunner> script_;
    long frames_ = 0;
};

void apply_style(float scale);

}  // namespace onshi::kiosk
