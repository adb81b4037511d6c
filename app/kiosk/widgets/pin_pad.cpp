#include "app/kiosk/widgets/pin_pad.hpp"

#include "core/text/messages_ja.hpp"

namespace onshi::kiosk {

PadResult pin_pad(Ui& ui, std::string& digits, const PinPadSpec& spec) {
    PadResult result = PadResult::None;

    // The entry line: one ● (or digit) per key press, in the large numeral font.
    if (spec.show_entry) {
        std::string shown;
        for (char c : digits) shown += spec.masked ? "\u25CF" : std::string(1, c);
        for (size_t i = digits.size(); i < spec.min_digits; ++i) shown += "_";
        ui::text_centered(ui, shown, ui.fonts.numerals());
        ImGui::Dummy(ImVec2(0, ui.px(12)));
    }

    const float key = ui.px(spec.key_px), gap = ui.px(12);
    const float width = key * 3 + gap * 2;
    const float left = ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - width) * 0.5f;
    static const char* const kRows[4][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"clear", "0", "ok"}};
    ImGui::PushFont(ui.fonts.numerals());
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
    for (const auto& row : kRows) {
        ImGui::SetCursorPosX(left);
        for (int c = 0; c < 3; ++c) {
            std::string k = row[c];
            std::string id = "key:" + k;
            if (c) ImGui::SameLine();
            if (k == "clear") {
                ImGui::PushFont(ui.fonts.body());
                if (ui::button(ui, id.c_str(), text::ja(text::Msg::PadClear), ImVec2(key, key), Tone::Quiet,
                               spec.enabled && !digits.empty())) {
                    if (spec.backspace)
                        digits.pop_back();
                    else
                        digits.clear();
                    result = PadResult::Changed;
                }
                ImGui::PopFont();
            } else if (k == "ok") {
                ImGui::PushFont(ui.fonts.body());
                bool ready = spec.enabled && spec.can_submit && digits.size() >= spec.min_digits;
                if (ui::button(ui, id.c_str(), text::ja(text::Msg::PadOk), ImVec2(key, key), Tone::Primary, ready))
                    result = PadResult::Submit;
                ImGui::PopFont();
            } else {
                bool room = spec.enabled && digits.size() < spec.max_digits;
                if (ui::button(ui, id.c_str(), k, ImVec2(key, key), Tone::Normal, room)) {
                    digits += k;
                    result = PadResult::Changed;
                }
            }
        }
    }
    ImGui::PopStyleVar();
    ImGui::PopFont();
    return result;
}

}  // namespace onshi::kiosk
