#include "app/kiosk/frontend.hpp"

#include <filesystem>

#include "app/kiosk/screens/screens.hpp"
#include "core/util/log.hpp"

namespace onshi::kiosk {
namespace {

using flow::Step;

const ScreenView& view_for(Step s) {
    static const ScreenView kViews[] = {
        {"standby", true, draw_standby},
        {"staff_auth", false, draw_staff_auth},
        {"visual_reason", false, draw_visual_reason},
        {"await_card", false, draw_await_card},
        {"card_face", false, draw_card_face},
        {"guidance", false, draw_guidance},
        {"face_wait", false, draw_face_wait},
        {"face_timeout", false, draw_face_timeout},
        {"face_consents", false, draw_face_consents},
        {"diff", false, draw_diff},
        {"done", false, draw_done},
        {"locked", false, draw_locked},
        {"error", false, draw_error},
        {"aborted", false, draw_aborted},
    };
    static_assert(sizeof(kViews) / sizeof(kViews[0]) == size_t(Step::Aborted) + 1);
    return kViews[size_t(s)];
}
const ScreenView kAdmin{"admin", false, draw_admin};
const ScreenView kReception{"reception", false, draw_reception};
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

Frontend::Frontend(Options opts, flow::VisualConfirmFlow* flow)
    : opts_(std::move(opts)), flow_(flow), fonts_(opts_.font), ui_(fonts_) {
    view_.demo = opts_.demo;
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

// The console is a staff overlay of カード待ち: under ロック (or any other step) the flow's screen shows.
bool Frontend::console_shown() const {
    return flow_ && view_.console_open && view_.console && flow_->visit().step() == Step::AwaitCard;
}

const char* Frontend::screen_name() const {
    if (!flow_) return kFatal.name;
    return view_.admin_open       ? kAdmin.name
           : view_.reception_open ? kReception.name
           : console_shown()      ? console_screen(view_.console->page).name
                                  : view_for(flow_->visit().step()).name;
}

void Frontend::frame(ImGuiIO& io, double now) {
    view_.now = now;
    out_ = FrameOutput{};
    if (opts_.exit_after > 0) {
        out_.wake_at = opts_.exit_after;
        if (now >= opts_.exit_after) quit_ = true;
    }
    if (before_frame) before_frame(view_, out_);
    if (flow_) flow_->handle(flow::in::Tick{});
    const flow::Visit& v = flow_ ? flow_->visit() : kNoVisit;
    view_.visit = &v;
    view_.clock_ms = flow_ ? flow_->now_ms() : 0;
    const Step step = v.step();
    if (step != last_step_) {
        // A new screen starts with empty pads; back on 待機 nothing of the visit stays anywhere.
        entries_.clear();
        if (step == Step::Standby || step == Step::Locked || step == Step::Aborted) {
            view_.admin_open = false;
            view_.reception_open = false;
            view_.admin_message = {};
            if (step != Step::Locked) view_.console_open = false;  // ロック keeps it for the same staff's return
        }
        last_step_ = step;
    }
    if (script_) script_->before_frame(io, ui_.last, now);

    ImGui::NewFrame();
    inside_frame_ = true;
    const ScreenView& sv = !flow_                 ? kFatal
                           : view_.admin_open     ? kAdmin
                           : view_.reception_open ? kReception
                           : console_shown()      ? console_screen(view_.console->page)
                                                  : view_for(step);
    ui_.begin_frame(sv.name);
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("##kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    if (view_.demo) {
        ui::banner(ui_, ja(Msg::TrainingBanner), IM_COL32(200, 110, 0, 255));
        // The simulated 顔認証付きカードリーダー: while the visit waits for it, the trainee "puts the card on it".
        const Step s = v.covered();
        if (flow_ && (s == Step::Guidance || s == Step::FaceWait || s == Step::FaceTimeout) && !view_.admin_open &&
            !view_.reception_open) {
            if (ui::button(ui_, "face-reader", ja(Msg::TrainingPutOnReader), ImVec2(ui_.px(300), ui_.px(56)),
                           Tone::Normal, !view_.scenario_switching))
                out_.request(action::PutOnFaceReader{});
        }
    }
    sv.draw(view_, out_, entries_, ui_);
    if (ImGui::IsMouseClicked(0)) out_.emit(flow::in::Activity{});  // typing on a pad also keeps the screen awake
    ImGui::End();
    ImGui::Render();
    inside_frame_ = false;
    ui_.end_frame();
    ++frames_;
    if (out_.quit) quit_ = true;

    // After the frame: the screen's intents to the flow, then its kiosk actions (I/O never runs in a draw).
    std::vector<flow::Input> intents;
    intents.swap(out_.intents);
    if (flow_)
        for (const auto& in : intents) flow_->handle(in);
    std::vector<console::Intent> console;
    console.swap(out_.console);
    if (on_console)
        for (const auto& c : console) on_console(c);
    std::vector<KioskAction> actions;
    actions.swap(out_.actions);
    run_actions(std::move(actions));
}

void Frontend::run_actions(std::vector<KioskAction> actions) {
    for (const auto& a : actions) {
        if (std::holds_alternative<action::OpenAdmin>(a)) {
            view_.admin_open = true;
            continue;
        }
        if (std::holds_alternative<action::CloseAdmin>(a)) {
            view_.admin_open = false;
            view_.admin_message = {};
            continue;
        }
        if (std::holds_alternative<action::OpenConsole>(a) || std::holds_alternative<action::CloseConsole>(a)) {
            view_.console_open = std::holds_alternative<action::OpenConsole>(a);
            continue;
        }
        if (std::holds_alternative<action::OpenReception>(a) || std::holds_alternative<action::CloseReception>(a)) {
            view_.reception_open = std::holds_alternative<action::OpenReception>(a);
            continue;
        }
        const bool backup = std::holds_alternative<action::Backup>(a);
        if ((backup && view_.backup_running) || (!backup && view_.scenario_switching)) continue;  // one at a time
        bool taken = false;
        try {
            taken = on_action && on_action(a);
        } catch (const std::exception& e) {
            log::error("kiosk", std::string("a kiosk action could not be started: ") + e.what());
        } catch (...) {
            log::error("kiosk", "a kiosk action could not be started");
        }
        if (!taken) {
            log::warn("kiosk", backup ? "backup requested but nothing can run it"
                                      : "a training action requested but nothing can run it");
            continue;
        }
        if (backup)
            view_.backup_running = true;
        else
            view_.scenario_switching = true;
    }
}

void Frontend::take(const ActionResult& r) {
    if (r.kind == ActionResult::Kind::Backup) {
        view_.backup_running = false;
        if (r.ok) view_.last_backup = r.backup_file;
        view_.admin_message = r.message;
    } else if (r.kind == ActionResult::Kind::Scenario) {
        view_.scenario_switching = false;
        if (r.ok) view_.scenario = r.scenario;
        view_.scenario_message = r.message;
    } else {
        view_.scenario_switching = false;
        view_.scenario_message = r.message;
    }
}

std::optional<std::string> Frontend::screenshot_path() const {
    if (!script_) return std::nullopt;
    auto req = script_->screenshot_request();
    if (!req) return std::nullopt;
    return (std::filesystem::path(opts_.screenshot_dir) / (*req + ".png")).string();
}

void Frontend::screenshot_done(bool ok) {
    if (script_) script_->screenshot_taken(ok);
}

bool Frontend::after_frame() { return fonts_.rebuild_if_needed(); }

bool Frontend::busy() const { return (script_ && !script_->done()) || out_.animating || fonts_.rebuild_pending(); }

double Frontend::busy_frame_seconds() const {
    return script_ && !script_->done() && !script_->waiting() ? 1.0 / 60 : 1.0 / 30;
}

double Frontend::seconds_to_wake(double now) const {
    double t = out_.wake_at < 0 ? -1 : std::max(0.0, out_.wake_at - now);
    int64_t ms = flow_ ? flow_->ms_to_next_timeout() : -1;
    if (ms >= 0) t = t < 0 ? double(ms) / 1000.0 : std::min(t, double(ms) / 1000.0);
    return t;
}

bool Frontend::finished() const { return quit_ || (script_ && script_->done()); }

int Frontend::exit_code() const { return script_ && script_->failed() ? 3 : 0; }

const std::string& Frontend::script_failure() const {
    return script_ && script_->failed() ? script_->failure() : kNoFailure;
}

}  // namespace onshi::kiosk
