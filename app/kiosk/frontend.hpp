#pragma once
// The kiosk without its platform: state, fonts, widgets and the script driver. The GLFW window
// (platform_glfw.cpp) and the GPU-less harness (headless.cpp) both run frames through this class.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "app/kiosk/app_state.hpp"
#include "app/kiosk/script.hpp"
#include "app/kiosk/ui.hpp"

namespace onshi::kiosk {

class Frontend {
public:
    explicit Frontend(Options opts);

    // Needs a current ImGui context. Returns false when the Japanese font is missing.
    bool init(float scale);
    void load_script(const std::string& text);  // throws std::runtime_error on a malformed script

    // Script input, ImGui::NewFrame, the screen, ImGui::Render. The platform renders the draw data.
    void frame(ImGuiIO& io, double now);
    // After rendering: the PNG path the script asked for this frame, if any.
    std::optional<std::string> screenshot_path() const;
    void screenshot_done(bool ok);
    // Between frames: rebuilds the font atlas when new glyphs were needed. True when it did.
    bool after_frame();

    bool busy() const;         // wants another frame right away (script, animation, font rebuild)
    // Seconds until the next timed change a screen asked for, or a negative value for none.
    double seconds_to_wake(double now) const { return app_.wake_at < 0 ? -1 : std::max(0.0, app_.wake_at - now); }
    bool finished() const;     // script done or failed, or the app asked to quit
    int exit_code() const;     // 0, or 3 when the script failed
    const std::string& script_failure() const;

    AppState& state() { return app_; }
    Ui& ui() { return ui_; }
    Fonts& fonts() { return fonts_; }
    const FrameRecord& last_frame() const { return ui_.last; }
    long frames_drawn() const { return frames_; }

private:
    AppState app_;
    Fonts fonts_;
    Ui ui_;
    std::unique_ptr<ScriptRunner> script_;
    long frames_ = 0;
};

const char* screen_name(ScreenId id);
void apply_style(float scale);

}  // namespace onshi::kiosk
