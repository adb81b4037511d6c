#include "app/kiosk/frontend.hpp"

#include <filesystem>

#include "app/kiosk/screens/screens.hpp"
#include "core/util/log.hpp"

namespace onshi::kiosk {
namespace {

using flow::Step;

const ScreenView& view_for(Step s) {
    static const ScreenView kViews[] = {
        {"standby", true, draw_standby},     {"staff_auth", false, draw_staff_auth},
        {"await_card", false, draw_await_card}, {"card_face", false, draw_card_face},
        {"consent", true, draw_consent},     {"handback", true, draw_handback},
        {"querying", false, draw_querying},  {"diff", false, draw_diff},
        {"done", false, draw_done},          {"locked", false, draw_locked},
        {"error", false, draw_error},         {"aborted", false, draw_aborted},
    };
    static_assert(sizeof(kViews) / sizeof(kViews[0]) == size_t(Step::Aborted) + 1);
    return kViews[size_t(s)];
}
const ScreenView kAdmin{"admin", false, draw_admin};
const ScreenView kFatal{"fatal", false, draw_fatal};
const std::string kNoFailure;
const flow::Visit kNoVisit;  // what the fatal screen reads: nothing

}  // namespace

void apply_style(float scale) {
    ImGuiStyle& st = ImGui::GetStyle();
    st = ImGuiStyle();
    ImGui::StyleColorsLight(&st);
    st.WindowPadding = ImVec2(24, 16);
    st.FramePadding = ImVec2(12, 10);
    st.ItemSpacing = ImVec2(12, 12);
    st.FrameRounding = 8;
    st.WindowBorderSize = 0;
    st.FrameBorderSize = 1;  // buttons keep an outline on the light background
    st.Colors[ImGuiCol_Border] = ImVec4(0.62f, 0.66f, 0.72f, 1.f);
    st.ScrollbarSize = 40;  // a finger-sized scrollbar
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.f);
    st.Colors[ImGuiCol_Separator] = ImVec4(0.8f, 0.8f, 0.8f, 1.f);
    st.ScaleAllSizes(scale);
}

Frontend::Frontend(Options opts, flow::VisualConfirmFlow* flow) : flow_(flow), fonts_(opts.font), ui_(fonts_) {
    app_.opts = std::move(opts);
}

bool Frontend::init(float scale) {
    ui_.scale = scale;
    apply_style(scale);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing written on a read-only kiosk
    io.LogFilename = nullptr;
    io.MouseDragThreshold = 12.f * scale;  // a finger jitters more than a mouse
    return fonts_.build(scale);
}

void Frontend::load_script(const std::string& text) { script_ = std::make_unique<ScriptRunner>(parse_script(text)); }

const char* Frontend::screen_name() const {
    if (!flow_) return kFatal.name;
    return app_.admin_open ? kAdmin.name : view_for(flow_->visit().step()).name;
}

void Frontend::frame(ImGuiIO& io, double now) {
    app_.now = now;
    app_.animating = false;
    app_.wake_at = app_.opts.exit_after > 0 ? app_.opts.exit_after : -1;
    if (app_.opts.exit_after > 0 && now >= app_.opts.exit_after) app_.quit = true;
    if (before_frame) before_frame(app_);
    if (flow_) {
        flow_->pump();
        flow_->handle(flow::in::Tick{});
    }
    const flow::Visit& v = flow_ ? flow_->visit() : kNoVisit;
    app_.visit = &v;
    app_.clock_ms = flow_ ? flow_->now_ms() : 0;
    const Step step = v.step();
    if (step != app_.last_step) {
        // A new screen starts with empty pads; back on 待機 nothing of the visit stays anywhere.
        app_.entries.clear();
        if (step == Step::Standby || step == Step::Locked || step == Step::Aborted) app_.admin_open = false;
        app_.last_step = step;
    }
    if (script_) script_->before_frame(io, ui_.last, now);

    ImGui::NewFrame();
    const ScreenView& sv = !flow_ ? kFatal : app_.admin_open ? kAdmin : view_for(step);
    ui_.begin_frame(sv.name);
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("##kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    if (app_.opts.demo) ui::banner(ui_, "研修モード（実際の患者情報は使われません）", IM_COL32(200, 110, 0, 255));
    sv.draw(app_, ui_);
    if (ImGui::IsMouseClicked(0)) app_.emit(flow::in::Activity{});  // typing on a pad also keeps the screen awake
    ImGui::End();
    ImGui::Render();
    ui_.end_frame();
    ++frames_;

    std::vector<flow::Input> intents;
    intents.swap(app_.intents);
    if (flow_)
        for (const auto& in : intents) flow_->handle(in);
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

double Frontend::seconds_to_wake(double now) const {
    double t = app_.wake_at < 0 ? -1 : std::max(0.0, app_.wake_at - now);
    int64_t ms = flow_ ? flow_->ms_to_next_timeout() : -1;
    if (ms >= 0) t = t < 0 ? double(ms) / 1000.0 : std::min(t, double(ms) / 1000.0);
    return t;
}

bool Frontend::finished() const { return app_.quit || (script_ && script_->done()); }

int Frontend::exit_code() const { return script_ && script_->failed() ? 3 : 0; }

const std::string& Frontend::script_failure() const {
    return script_ && script_->failed() ? script_->failure() : kNoFailure;
}

}  // namespace onshi::kiosk
