// The baseline for the kiosk's time to first frame: a bare GLFW + OpenGL 3.3 + Dear ImGui window with the
// same Noto Sans CJK JP atlas (Japanese ranges, 28 px), one frame of text, then exit. Prints
// {"first_frame_ms": …} measured from main() to the first swap, like `onshi-kiosk --stats`.
// `--idle S` keeps the window open S seconds (waiting for events) before exiting, so its peak RSS can be
// compared with the kiosk's on 待機.
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"

int main(int argc, char** argv) {
    const auto t0 = std::chrono::steady_clock::now();
    const double idle_s = argc == 3 && std::strcmp(argv[1], "--idle") == 0 ? std::atof(argv[2]) : 0;
    if (!glfwInit()) return 1;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    GLFWwindow* w = glfwCreateWindow(1280, 800, "bare", nullptr, nullptr);
    if (!w) return 1;
    glfwMakeContextCurrent(w);
    gladLoadGL(glfwGetProcAddress);
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    ImFontConfig cfg;
    cfg.OversampleH = 1;
    io.Fonts->AddFontFromFileTTF("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 28.f, &cfg,
                                 io.Fonts->GetGlyphRangesJapanese());
    ImGui_ImplGlfw_InitForOpenGL(w, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    ImGui::Begin("w");
    ImGui::TextUnformatted("カードを置いてください");
    ImGui::End();
    ImGui::Render();
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glfwSwapBuffers(w);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("{\"first_frame_ms\":%.1f}\n", ms);
    std::fflush(stdout);
    for (double end = glfwGetTime() + idle_s; glfwGetTime() < end;) glfwWaitEventsTimeout(end - glfwGetTime());
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(w);
    glfwTerminate();
    return 0;
}
