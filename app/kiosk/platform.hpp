#pragma once
// The two ways to run frames: a real GLFW window with OpenGL 3.3, or no window at all.
#include "app/kiosk/frontend.hpp"

namespace onshi::kiosk {

// Wakes the window's event wait from any thread (glfwPostEmptyEvent); a no-op before the window exists.
void wake_ui();

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

// Runs a script in a GPU-less context (screenshots are skipped). With `realtime` the frames follow the wall
// clock at 60 Hz (real devices behind the flow), else a fixed 60 Hz clock as fast as it goes. Exit code.
int run_headless(Frontend& fe, int max_frames, bool realtime = false);

}  // namespace onshi::kiosk
