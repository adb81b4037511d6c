#include <chrono>
#include <thread>

#include "app/kiosk/platform.hpp"
#include "core/util/log.hpp"

namespace onshi::kiosk {
namespace {
// The headers we compiled against and the libimgui we link must agree (Debian's 1.86).
ImGuiContext* create_checked_context() {
    IMGUI_CHECKVERSION();
    return ImGui::CreateContext();
}
}  // namespace

HeadlessContext::HeadlessContext(int width, int height) : ctx_(create_checked_context()) {
    ImGui::SetCurrentContext(ctx_);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(float(width), float(height));
    io.DeltaTime = 1.f / 60.f;
    io.IniFilename = nullptr;
}

HeadlessContext::~HeadlessContext() { ImGui::DestroyContext(ctx_); }

int run_headless(Frontend& fe, int max_frames, bool realtime) {
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    fe.fonts().on_rebuilt = [&] { io.Fonts->GetTexDataAsRGBA32(&px, &w, &h); };
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    double now = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < max_frames && !fe.finished(); ++i) {
        io.DeltaTime = 1.f / 60.f;
        if (realtime) {
            std::this_thread::sleep_for(std::chrono::microseconds(16667));
            now = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        } else {
            now += io.DeltaTime;
        }
        fe.frame(io, now);
        if (auto shot = fe.screenshot_path()) {
            log::info("kiosk", "headless: screenshot " + *shot + " skipped (no GL)");
            fe.screenshot_done(true);
        }
        fe.after_frame();
    }
    if (!fe.finished()) {
        log::error("kiosk", "headless: the script did not finish within " + std::to_string(max_frames) + " frames");
        return 3;
    }
    if (fe.exit_code() != 0) log::error("kiosk", fe.script_failure());
    return fe.exit_code();
}

}  // namespace onshi::kiosk
