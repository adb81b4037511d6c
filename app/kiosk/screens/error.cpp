// エラー: what staff do next for each case, and the codes for the help desk.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_error(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* found = view.visit->as<flow::state::Error>();
    staff_header(view, out, ui, Msg::TitleError);
    if (!found) return;
    const flow::state::Error& e = *found;
    ImGui::Dummy(ImVec2(0, ui.px(40)));
    ui::text_centered(ui, ja(e.title), ui.fonts.title(), ui::kRed);
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ImGui::Indent(ui.px(80));
    ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - ui.px(80));
    ui::text_wrapped(ui, ja(e.guidance), ui.fonts.body());
    if (!e.detail.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(12)));
        ui::text_wrapped(ui, ja(Msg::ErrorDetail, -1, -1, e.detail), ui.fonts.body(), ui::kGrey);
    }
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ui.px(80));
    ImGui::Dummy(ImVec2(0, ui.px(32)));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ui.px(240)) / 2);
    if (ui::button(ui, "ok", ja(Msg::Acknowledged), ImVec2(ui.px(240), ui.px(72)), Tone::Primary))
        out.emit(flow::in::Acknowledge{});
}

}  // namespace onshi::kiosk
