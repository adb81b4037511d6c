#pragma once
// Touch-first widgets shared by every screen. Each one records what it drew (id, label, rect, text)
// so the script driver can tap by id or label and assert on visible text, with or without a window.
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

// What one frame showed; the script driver reads the last complete frame.
struct FrameRecord {
    std::string screen;
    std::vector<WidgetRect> widgets;
    std::vector<std::string> texts;
    const WidgetRect* find(std::string_view id_or_label) const;
    bool shows_text(std::string_view needle) const;
};

enum class Tone { Normal, Primary, Danger, Quiet };

struct Ui {
    Fonts& fonts;
    float scale = 1.f;
    FrameRecord frame;  // being recorded
    FrameRecord last;   // the previous, complete frame

    explicit Ui(Fonts& f) : fonts(f) {}
    void begin_frame(std::string screen);
    void end_frame() { last = std::move(frame); frame = {}; }
    float px(float v) const { return v * scale; }  // layout units at 1280×800 → pixels
};

namespace ui {

constexpr float kMinTarget = 48.f;  // touch targets are never smaller than this (px at scale 1)

bool button(Ui& ui, const char* id, std::string_view label, ImVec2 size, Tone tone = Tone::Normal,
            bool enabled = true);
void text(Ui& ui, std::string_view s, ImFont* font = nullptr, ImU32 color = 0);
void text_centered(Ui& ui, std::string_view s, ImFont* font = nullptr, ImU32 color = 0);
// A full-width coloured strip with centred text (研修モード, 偽造の疑い …).
void banner(Ui& ui, std::string_view s, ImU32 background, ImU32 color = IM_COL32_WHITE);

}  // namespace ui
}  // namespace onshi::kiosk
