// エラー: the seed's guidance for each case, and the codes for the help desk.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_error(AppState& app, Ui& ui) {
    const flow::Visit& v = *app.visit;
    staff_header(app, ui, "エラー");
    ImGui::Dummy(ImVec2(0, ui.px(40)));
    ui::text_centered(ui, v.error.title_ja, ui.fonts.title(), ui::kRed);
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ImGui::Indent(ui.px(80));
    ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - ui.px(80));
    ui::text_wrapped(ui, v.error.guidance_ja, ui.fonts.body());
    if (!v.error.detail.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(12)));
        ui::text_wrapped(ui, "詳細: " + v.error.detail, ui.fonts.body(), ui::kGrey);
    }
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ui.px(80));
    ImGui::Dummy(ImVec2(0, ui.px(32)));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ui.px(240)) / 2);
    if (ui::button(ui, "ok", "確認しました", ImVec2(ui.px(240), ui.px(72)), Tone::Primary)) app.emit(flow::in::Acknowledge{});
}

}  // namespace onshi::kiosk
