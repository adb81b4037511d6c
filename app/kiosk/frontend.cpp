#include "app/kiosk/frontend.hpp"

#include <filesystem>

#include "app/kiosk/screens/screens.hpp"
#include "core/util/log.hpp"

namespace onshi::kiosk {
namespace {
const ScreenView kScreens[] = {
    {ScreenId::Standby, "standby", true, draw_standby},
    {ScreenId::StaffAuth, "staff_auth", false, draw_staff_auth},
};
const ScreenView& view(ScreenId id) {
    for (const auto& s : kScreens)
        if (s.id == id) return s;
    return kScreens[0];
}
const std::string kNoFailure;
}  // namespace

const char* screen_name(ScreenId id) { return view(id).name; }

void apply_style(float scale) {
    ImGuiStyle& st = ImGui::GetStyle();
    st = ImGuiStyle();
    ImGui::StyleColorsLight(&st);
    st.WindowPadding = ImVec2(24, 16);
    st.FramePadding = ImVec2(12, 10);
    st.ItemSpacing = ImVec2(12, 12);
    st.FrameRounding = 8;
    st.WindowBorderSize = 0;
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.f);
    st.ScaleAllSizes(scale);
}

Frontend::Frontend(Options opts) : fonts_(opts.font), ui_(fonts_) { app_.opts = std::move(opts); }

bool Frontend::init(float scale) {
    ui_.scale = scale;
    apply_style(scale);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing written on a read-only kiosk
    io.LogFilename = nullptr;
    return fonts_.build(scale);
}

void Frontend::load_script(const std::string& text) {
    script_ = std::make_unique<ScriptRunner>(parse_script(text));
}

void Frontend::frame(ImGuiIO& io, double now) {
    app_.now = now;
    app_.animating = false;
    app_.wake_at = app_.opts.exit_after > 0 ? app_.opts.exit_after : -1;
    if (app_.opts.exit_after > 0 && now >= app_.opts.exit_after) app_.quit = true;
    if (script_) script_->before_frame(io, ui_.last, now);

    ImGui::NewFrame();
    const ScreenView& v = view(app_.screen);
    ui_.begin_frame(v.name);
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("##kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    if (app_.opts.demo) ui::banner(ui_, "研修モード（実際の患者情報は使われません）", IM_COL32(200, 110, 0, 255));
    v.draw(app_, ui_);
    ImGui::End();
    ImGui::Render();
    ui_.end_frame();
    ++frames_;
}

std::optional<std::string> Frontend::screenshot_path() const {
    if (!script_) return std::nullopt;
    auto req = script_->screenshot_request();
    if (!req) return std::nullopt;
    return (std::filesystem::path(app_.opts.screenshot_dir) / (*req + ".png")).string();
}

void Frontend::screenshot_done(bool ok) {
    if (script_) script_->screenshot_taken(ok);
}

bool Frontend::after_frame() { return fonts_.rebuild_if_needed(); }

bool Frontend::busy() const {
    return (script_ && !script_->done()) || app_.animating || fonts_.rebuild_pending();
}

bool Frontend::finished() const { return app_.quit || (script_ && script_->done()); }

int Frontend::exit_code() const { return script_ && script_->failed() ? 3 : 0; }

const std::string& Frontend::script_failure() const {
    return script_ && script_->failed() ? script_->failure() : kNoFailure;
}

}  // namespace onshi::kiosk
