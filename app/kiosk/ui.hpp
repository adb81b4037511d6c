#pragma once
// Touch-first widgets shared by every screen. Each one records what it drew (id, label, rect, text)
// so the script driver can tap by id or label and assert on visible text, with or without a window.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/kiosk/fonts.hpp"
#include "imgui.h"

namespace onshi::kiosk {

struct WidgetRect {
    std::string id;
    std::string label;
    ImVec2 min, max;
    bool enabled = true;
};

// Where a button or a text landed, and the region of its window that shows it: the viewport, or a scrolling
// child region (diff rows, lists) whose rows may lie outside it until scrolled to. The layout test reads these.
struct Placed {
    std::string what;  // the button's id, or the text
    ImVec2 min, max;
    ImVec2 clip_min, clip_max;
    bool button = false;
    bool scrolls = false;  // inside a scrolling child region
};

// What one frame showed; the script driver reads the last complete frame.
struct FrameRecord {
    std::string screen;
    std::vector<WidgetRect> widgets;
    std::vector<std::string> texts;
    std::vector<Placed> placed;  // every button and text, in drawing order
    const WidgetRect* find(std::string_view id_or_label) const;
    bool shows_text(std::string_view needle) const;
};

enum class Tone { Normal, Primary, Danger, Quiet };

struct Ui {
    Fonts& fonts;
    float scale = 1.f;
    // Uploads an RGBA image (card photo …) and returns its texture; null without GL (headless).
    std::function<ImTextureID(const void* key, int w, int h, const unsigned char* rgba)> texture;
    FrameRecord frame;  // being recorded
    FrameRecord last;   // the previous, complete frame

    explicit Ui(Fonts& f) : fonts(f) {}
    void begin_frame(std::string screen);
    void end_frame() {
        last = std::move(frame);
        frame = {};
    }
    float px(float v) const { return v * scale; }  // layout units at 1280×800 → pixels
    float min_target() const;                         // the smallest touch target in pixels at this scale
};

// The UI scale for a viewport: 1.0 at 1280×800, the smaller of the two ratios, kept within [0.75, 1.5] so text
// stays readable on 1024×768 and does not balloon on large screens. Layouts then fit the width they get.
float ui_scale_for(int width, int height);

namespace ui {

// Touch targets are never smaller than this, in pixels, at any scale (and grow with the scale above 1).
constexpr float kMinTarget = 48.f;

bool button(Ui& ui, const char* id, std::string_view label, ImVec2 size, Tone tone = Tone::Normal, bool enabled = true);
void text(Ui& ui, std::string_view s, ImFont* font = nullptr, ImU32 color = 0);
void text_centered(Ui& ui, std::string_view s, ImFont* font = nullptr, ImU32 color = 0);
// A full-width coloured strip with centred text (研修モード, 偽造の疑い …).
void banner(Ui& ui, std::string_view s, ImU32 background, ImU32 color = IM_COL32_WHITE);
// Text wrapped to the available width.
void text_wrapped(Ui& ui, std::string_view s, ImFont* font = nullptr, ImU32 color = 0);
// A square toggle (上書き checkboxes): ✓ when on.
bool toggle(Ui& ui, const char* id, bool on, float size, bool enabled = true);
// Label/value pairs (the 差分確認 header): each cell its grey label then its value, left to right as in the clinic
// manual's header row, a new row when the next cell does not fit the width left.
struct Field {
    std::string label, value;
};
void fields(Ui& ui, const std::vector<Field>& cells);
// Where the next item of `width` goes in a row of items that wraps: SameLine when it still fits the window's
// content width, else a new line. `first` starts the row.
void flow_next(float width, bool first);
// An RGBA image scaled into `size` keeping its aspect; a labelled grey box when it cannot be shown.
void image(Ui& ui, const void* key, int w, int h, const unsigned char* rgba, ImVec2 size,
           std::string_view missing_label);

constexpr ImU32 kGreen = IM_COL32(198, 239, 206, 255);  // differing rows, as on the clinic manual's 差分確認 screen
constexpr ImU32 kRed = IM_COL32(190, 40, 40, 255);
constexpr ImU32 kGrey = IM_COL32(90, 90, 90, 255);
constexpr ImU32 kBlue = IM_COL32(0, 90, 160, 255);

}  // namespace ui
}  // namespace onshi::kiosk
