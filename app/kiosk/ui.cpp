#include "app/kiosk/ui.hpp"

#include <algorithm>

namespace onshi::kiosk {

const WidgetRect* FrameRecord::find(std::string_view key) const {
    for (const auto& w : widgets)
        if (w.id == key) return &w;
    for (const auto& w : widgets)
        if (w.label == key) return &w;
    return nullptr;
}

bool FrameRecord::shows_text(std::string_view needle) const {
    return std::any_of(texts.begin(), texts.end(),
                       [&](const std::string& t) { return t.find(needle) != std::string::npos; });
}

void Ui::begin_frame(std::string screen) {
    frame = {};
    frame.screen = std::move(screen);
}

float Ui::min_target() const { return std::max(ui::kMinTarget, px(ui::kMinTarget)); }

float ui_scale_for(int width, int height) {
    return std::clamp(std::min(float(width) / 1280.f, float(height) / 800.f), 0.75f, 1.5f);
}

namespace ui {
namespace {
// Records the last item's rectangle with the part of its window that shows it.
void place(Ui& ui, std::string_view what, bool is_button) {
    const ImGuiWindow* w = ImGui::GetCurrentWindow();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    Placed p{std::string(what), ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), vp->Pos,
             ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y), is_button, false};
    if (w && (w->Flags & ImGuiWindowFlags_ChildWindow)) {
        p.clip_min = w->InnerClipRect.Min;
        p.clip_max = w->InnerClipRect.Max;
        p.scrolls = true;
    }
    ui.frame.placed.push_back(std::move(p));
}

struct ToneColors {
    ImU32 base, active, text;
};
ToneColors colors(Tone t) {
    switch (t) {
        case Tone::Primary: return {IM_COL32(0, 105, 180, 255), IM_COL32(0, 70, 130, 255), IM_COL32_WHITE};
        case Tone::Danger: return {IM_COL32(190, 40, 40, 255), IM_COL32(140, 20, 20, 255), IM_COL32_WHITE};
        case Tone::Quiet:
            return {IM_COL32(214, 217, 222, 255), IM_COL32(185, 190, 196, 255), IM_COL32(50, 50, 50, 255)};
        case Tone::Normal: break;
    }
    return {IM_COL32(226, 232, 240, 255), IM_COL32(190, 205, 225, 255), IM_COL32(20, 20, 20, 255)};
}
}  // namespace

bool button(Ui& ui, const char* id, std::string_view label, ImVec2 size, Tone tone, bool enabled) {
    ui.fonts.need(label);
    size.x = std::max(size.x, ui.min_target());
    size.y = std::max(size.y, ui.min_target());
    const ToneColors c = colors(tone);
    // Hover colour equals the base colour: a finger leaves the emulated pointer where it lifted.
    ImGui::PushStyleColor(ImGuiCol_Button, c.base);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, c.base);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, c.active);
    ImGui::PushStyleColor(ImGuiCol_Text, c.text);
    if (!enabled) ImGui::BeginDisabled();
    std::string imgui_label(label);
    imgui_label += "##";
    imgui_label += id;
    bool pressed = ImGui::Button(imgui_label.c_str(), size);
    if (!enabled) ImGui::EndDisabled();
    ImGui::PopStyleColor(4);
    ui.frame.widgets.push_back({id, std::string(label), ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), enabled});
    ui.frame.texts.emplace_back(label);
    place(ui, id, true);
    return pressed && enabled;
}

void text(Ui& ui, std::string_view s, ImFont* font, ImU32 color) {
    ui.fonts.need(s);
    if (font) ImGui::PushFont(font);
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(s.data(), s.data() + s.size());
    if (color) ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
    ui.frame.texts.emplace_back(s);
    place(ui, s, false);
}

void text_centered(Ui& ui, std::string_view s, ImFont* font, ImU32 color) {
    if (font) ImGui::PushFont(font);
    float w = ImGui::CalcTextSize(s.data(), s.data() + s.size()).x;
    float avail = ImGui::GetContentRegionAvail().x;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.f, (avail - w) * 0.5f));
    if (font) ImGui::PopFont();
    text(ui, s, font, color);
}

void banner(Ui& ui, std::string_view s, ImU32 background, ImU32 color) {
    ImGui::PushFont(ui.fonts.body());
    const float h = ImGui::GetTextLineHeight() + ui.px(16);
    ImVec2 p = ImGui::GetCursorScreenPos();
    float w = ImGui::GetContentRegionAvail().x;
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + h), background, ui.px(6));
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + ui.px(8)));
    ImGui::PopFont();
    text_centered(ui, s, ui.fonts.body(), color);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h + ui.px(8)));
}

void text_wrapped(Ui& ui, std::string_view s, ImFont* font, ImU32 color) {
    ui.fonts.need(s);
    if (font) ImGui::PushFont(font);
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::PushTextWrapPos(0.f);
    ImGui::TextUnformatted(s.data(), s.data() + s.size());
    ImGui::PopTextWrapPos();
    if (color) ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
    ui.frame.texts.emplace_back(s);
    place(ui, s, false);
}

void flow_next(float width, bool first) {
    if (first) return;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + width > right + 0.5f) ImGui::NewLine();
}

void fields(Ui& ui, const std::vector<Field>& cells) {
    const float gap = ui.px(28);
    for (size_t i = 0; i < cells.size(); ++i) {
        const Field& f = cells[i];
        ui.fonts.need(f.label);
        ui.fonts.need(f.value);
        ImGui::PushFont(ui.fonts.body());
        const float label_w = ImGui::CalcTextSize(f.label.c_str()).x;
        const float w = label_w + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(f.value.c_str()).x;
        ImGui::PopFont();
        if (i) {
            ImGui::SameLine(0, gap);
            const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
            if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
        }
        text(ui, f.label, ui.fonts.body(), kGrey);
        ImGui::SameLine();
        text(ui, f.value.empty() ? " " : f.value, ui.fonts.body());
    }
}

bool toggle(Ui& ui, const char* id, bool on, float size, bool enabled) {
    return button(ui, id, on ? "\u2713" : " ", ImVec2(size, size), on ? Tone::Primary : Tone::Normal, enabled);
}

void image(Ui& ui, const void* key, int w, int h, const unsigned char* rgba, ImVec2 size, std::string_view missing) {
    ImTextureID tex = (ui.texture && rgba && w > 0 && h > 0) ? ui.texture(key, w, h, rgba) : nullptr;
    ImVec2 p = ImGui::GetCursorScreenPos();
    if (!tex) {
        ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), IM_COL32(215, 215, 215, 255));
        ImGui::Dummy(size);
        ImVec2 after = ImGui::GetCursorScreenPos();
        ImVec2 ts = ImGui::CalcTextSize(missing.data(), missing.data() + missing.size());
        ImGui::SetCursorScreenPos(ImVec2(p.x + (size.x - ts.x) / 2, p.y + (size.y - ts.y) / 2));
        text(ui, missing, nullptr, kGrey);
        ImGui::SetCursorScreenPos(after);
        return;
    }
    float k = std::min(size.x / float(w), size.y / float(h));
    ImVec2 img(float(w) * k, float(h) * k);
    ImGui::SetCursorScreenPos(ImVec2(p.x + (size.x - img.x) / 2, p.y));
    ImGui::Image(tex, img);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + size.y + ImGui::GetStyle().ItemSpacing.y));
}

}  // namespace ui
}  // namespace onshi::kiosk
