// GLFW + OpenGL 3.3 core through glad, Dear ImGui's GLFW/OpenGL3 backends from Debian's libimgui.a.
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include <atomic>
#include <cmath>
#include <map>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "app/kiosk/platform.hpp"
#include "app/kiosk/startup_timeline.hpp"
#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "core/text/messages_ja.hpp"
#include "core/util/log.hpp"
#include "core/util/sd_notify.hpp"

namespace onshi::kiosk {
namespace {

int g_settle = 3;  // frames still to draw after an input event (ImGui needs one to settle layout)
// While frames keep coming they are paced (Frontend::busy_frame_seconds; settling after input, 1/60 s). A
// display's vsync (glfwSwapInterval(1)) paces them too; under Xvfb or a software renderer nothing else does,
// and the loop would redraw a spinner hundreds of times a second (docs/performance.md, "Frame pacing").
constexpr double kSettleFrameSeconds = 1.0 / 60;
std::atomic<bool> g_window_ready{false};

// Card photos and card-face images as GL textures, dropped when a frame no longer shows them.
class TextureCache {
public:
    ImTextureID get(const void* key, int w, int h, const unsigned char* rgba) {
        auto it = map_.find(key);
        if (it != map_.end() && it->second.pixels == rgba && it->second.w == w && it->second.h == h) {
            it->second.frame = frame_;
            return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(it->second.tex));
        }
        if (it != map_.end()) glDeleteTextures(1, &it->second.tex);
        Entry e{0, w, h, rgba, frame_};
        glGenTextures(1, &e.tex);
        glBindTexture(GL_TEXTURE_2D, e.tex);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        map_[key] = e;
        return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(e.tex));
    }
    void end_frame() {
        for (auto it = map_.begin(); it != map_.end();) {
            if (it->second.frame != frame_) {
                glDeleteTextures(1, &it->second.tex);
                it = map_.erase(it);
            } else {
                ++it;
            }
        }
        ++frame_;
    }
    void clear() {  // while the GL context is still current
        for (auto& [k, e] : map_) glDeleteTextures(1, &e.tex);
        map_.clear();
    }

private:
    struct Entry {
        GLuint tex;
        int w, h;
        const unsigned char* pixels;
        long frame;
    };
    std::map<const void*, Entry> map_;
    long frame_ = 0;
};

// The font atlas as one 8-bit texture: ImGui's OpenGL3 backend would convert the alpha atlas to RGBA32 for
// its upload (four times the bytes on the CPU and in the driver); a GL_R8 texture swizzled to
// (1, 1, 1, alpha) reads the same in the backend's shader. The CPU copy goes once the GPU has it.
GLuint g_font_texture = 0;

void upload_font_atlas() {
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsAlpha8(&px, &w, &h);
    GLint bound = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    if (!g_font_texture) glGenTextures(1, &g_font_texture);
    glBindTexture(GL_TEXTURE_2D, g_font_texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    const GLint swizzle[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, px);
    glBindTexture(GL_TEXTURE_2D, GLuint(bound));
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(g_font_texture)));
    io.Fonts->ClearTexData();  // the GPU has it
}

void mark_dirty() { g_settle = 3; }
void on_cursor(GLFWwindow*, double, double) { mark_dirty(); }
void on_button(GLFWwindow*, int, int, int) { mark_dirty(); }
void on_key(GLFWwindow*, int, int, int, int) { mark_dirty(); }
void on_char(GLFWwindow*, unsigned) { mark_dirty(); }
void on_scroll(GLFWwindow*, double, double) { mark_dirty(); }
void on_size(GLFWwindow*, int, int) { mark_dirty(); }

bool write_screenshot(const std::string& path, int w, int h) {
    std::vector<unsigned char> px(size_t(w) * size_t(h) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    stbi_flip_vertically_on_write(1);
    bool ok = stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
    if (ok)
        log::info("kiosk", "screenshot " + path);
    else
        log::error("kiosk", "cannot write screenshot " + path);
    return ok;
}

// The UI scale follows the monitor: 1.0 at 1280×800, larger on 1920×1080 (ui_scale_for, app/kiosk/ui.hpp).
float scale_for(int w, int h) { return ui_scale_for(w, h); }

}  // namespace

void wake_ui() {
    if (g_window_ready) glfwPostEmptyEvent();
}

int run_window(Frontend& fe) {
    const Options& o = fe.options();
    glfwSetErrorCallback([](int code, const char* msg) { log::error("glfw", std::to_string(code) + ": " + msg); });
    if (!glfwInit()) {
        log::error("kiosk", "cannot open a window: no display (set DISPLAY or use xvfb-run)");
        return 1;
    }
    startup_phase(o.started, "display connected");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);
    GLFWmonitor* monitor = nullptr;
    int w = o.width, h = o.height;
    if (o.fullscreen) {
        monitor = glfwGetPrimaryMonitor();
        if (const GLFWvidmode* m = monitor ? glfwGetVideoMode(monitor) : nullptr) {
            glfwWindowHint(GLFW_RED_BITS, m->redBits);
            glfwWindowHint(GLFW_GREEN_BITS, m->greenBits);
            glfwWindowHint(GLFW_BLUE_BITS, m->blueBits);
            glfwWindowHint(GLFW_REFRESH_RATE, m->refreshRate);
            w = m->width;
            h = m->height;
        }
    }
    GLFWwindow* win = glfwCreateWindow(w, h, text::ja(text::Msg::WindowTitle).c_str(), monitor, nullptr);
    if (!win) {
        log::error("kiosk", "cannot create an OpenGL 3.3 core window");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(win);
    glfwSwapInterval(1);
    if (!gladLoadGL(glfwGetProcAddress)) {
        log::error("kiosk", "cannot load OpenGL 3.3 functions");
        return 1;
    }
    log::info("kiosk", std::string("GL ") + reinterpret_cast<const char*>(glGetString(GL_VERSION)) + " on " +
                           reinterpret_cast<const char*>(glGetString(GL_RENDERER)));
    startup_phase(o.started, "window and GL context created");

    // Our callbacks first: the ImGui backend chains to them, so any input wakes the loop.
    glfwSetCursorPosCallback(win, on_cursor);
    glfwSetMouseButtonCallback(win, on_button);
    glfwSetKeyCallback(win, on_key);
    glfwSetCharCallback(win, on_char);
    glfwSetScrollCallback(win, on_scroll);
    glfwSetFramebufferSizeCallback(win, on_size);

    // The headers we compiled against and the libimgui we link must agree (Debian's 1.86).
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    if (o.fullscreen) {
        // The 1.86 backend resets the cursor every frame unless told not to change it.
        io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
        glfwSetInputMode(win, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    }
    ImGui_ImplGlfw_InitForOpenGL(win, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    // The backend's device objects now, while the atlas is still ImGui's small default font: its own RGBA
    // font texture is dropped at once, and upload_font_atlas() gives the real atlas as an 8-bit texture.
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    int fbw = 0, fbh = 0;
    glfwGetFramebufferSize(win, &fbw, &fbh);
    startup_phase(o.started, "ImGui backends ready");
    fe.init(scale_for(fbw, fbh));
    upload_font_atlas();
    startup_phase(o.started, "fonts ready");
    TextureCache textures;
    fe.ui().texture = [&](const void* key, int iw, int ih, const unsigned char* rgba) {
        return textures.get(key, iw, ih, rgba);
    };
    g_window_ready = true;
    fe.fonts().on_rebuilt = [] { upload_font_atlas(); };  // 1.86 does not re-upload a rebuilt atlas by itself

    const double start = glfwGetTime();
    // systemd: READY after the first frame, then watchdog pings; a hung loop stops pinging and is restarted.
    sd::WatchdogPinger watchdog;
    const double watchdog_s = watchdog.period() ? double(watchdog.period()->count()) / 1e6 : -1;
    bool announced = false;
    double first_frame_ms = 0;
    double frame_started = -1;
    while (!glfwWindowShouldClose(win) && !fe.finished()) {
        if (fe.busy() || g_settle > 0) {
            // Input ends the wait early, so a tap is still drawn at once.
            const double pace = fe.busy() ? fe.busy_frame_seconds() : kSettleFrameSeconds;
            const double wait = frame_started + pace - (glfwGetTime() - start);
            if (wait > 0)
                glfwWaitEventsTimeout(wait);
            else
                glfwPollEvents();
        } else {
            // Sleep until input, a glfwPostEmptyEvent from a worker thread, or a screen's timer:
            // nothing is redrawn while nothing changes (but the watchdog still hears from us).
            double t = fe.seconds_to_wake(glfwGetTime() - start);
            if (watchdog_s > 0) t = t < 0 ? watchdog_s : std::min(t, watchdog_s);
            if (t < 0)
                glfwWaitEvents();
            else
                glfwWaitEventsTimeout(t);
            g_settle = 1;
        }
        watchdog.tick();
        if (glfwGetTime() - start > o.max_seconds && !o.script.empty()) {
            log::error("kiosk", "script did not finish within " + std::to_string(o.max_seconds) + " s");
            break;
        }
        frame_started = glfwGetTime() - start;
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        fe.frame(io, frame_started);  // script input goes in after the backend read the mouse
        glfwGetFramebufferSize(win, &fbw, &fbh);
        glViewport(0, 0, fbw, fbh);
        glClearColor(0.97f, 0.97f, 0.96f, 1.f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (auto shot = fe.screenshot_path()) fe.screenshot_done(write_screenshot(*shot, fbw, fbh));
        glfwSwapBuffers(win);
        textures.end_frame();
        if (!announced) {
            announced = true;
            first_frame_ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - o.started).count();
            startup_phase(o.started, "first frame shown");
            sd::ready();
            sd::status(fe.screen_name());
        }
        if (fe.after_frame()) mark_dirty();
        if (g_settle > 0) --g_settle;
    }
    if (o.stats)
        std::printf("{\"frames\":%ld,\"seconds\":%.3f,\"first_frame_ms\":%.1f}\n", fe.frames_drawn(),
                    glfwGetTime() - start, first_frame_ms);
    int rc = fe.exit_code();
    if (!o.script.empty() && !fe.finished()) rc = 3;
    if (rc != 0 && !fe.script_failure().empty()) log::error("kiosk", fe.script_failure());

    sd::stopping();
    g_window_ready = false;
    fe.ui().texture = nullptr;
    textures.clear();
    if (g_font_texture) glDeleteTextures(1, &g_font_texture);
    g_font_texture = 0;
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(win);
    glfwTerminate();
    return rc;
}

}  // namespace onshi::kiosk
