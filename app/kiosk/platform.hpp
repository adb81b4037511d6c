#pragma once
// The two ways to run frames: a real GLFW window with OpenGL 3.3, or no window at all.
#include "app/kiosk/frontend.hpp"

namespace onshi::kiosk {

// Opens the window (fullscreen on the primary monitor with opts.fullscreen) and runs until the window
// closes or the script ends. Returns the process exit code.
int run_window(Frontend& fe);

// A GPU-less ImGui context: builds the font atlas but never uploads it. RAII.
class HeadlessContext {
public:
    HeadlessContext(int width, int height);
    ~HeadlessContext();
    HeadlessContext(const HeadlessContext&) = delete;
    HeadlessContext& operator=(const HeadlessContext&) = delete;

private:
    ImGuiContext* ctx_;
};

// Runs a script in a GPU-less context at a fixed 60 Hz clock (screenshots are skipped). Exit code.
int run_headless(Frontend& fe, int max_frames);

}  // namespace onshi::kiosk
