// カード待ち: staff ask the patient to place the card; 管理 is reachable from here.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_await_card(AppState& app, Ui& ui) {
    const flow::Visit& v = *app.visit;
    staff_header(app, ui, "カード待ち");
    ImGui::Dummy(ImVec2(0, ui.px(120)));
    ui::text_centered(ui, "患者さんのマイナンバーカードをカードリーダーに置いてください", ui.fonts.title());
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ui::text_centered(ui, "目視確認モードでは暗証番号は使いません", ui.fonts.body(), ui::kGrey);
    if (!v.card_message_ja.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(16)));
        ui::text_centered(ui, v.card_message_ja, ui.fonts.body(), ui::kRed);
    }
    if (!app.devices.message_ja.empty()) ui::text_centered(ui, app.devices.message_ja, ui.fonts.body(), ui::kRed);
    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ui.px(24), ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "admin", "管理", size, Tone::Quiet)) app.admin_open = true;
}

}  // namespace onshi::kiosk
