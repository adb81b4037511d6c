// カード待ち: staff ask the patient to place the card; 管理 is reachable from here.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_await_card(AppState& app, Ui& ui) {
    const auto* s = app.visit->as<flow::state::AwaitCard>();
    staff_header(app, ui, Msg::TitleAwaitCard);
    ImGui::Dummy(ImVec2(0, ui.px(120)));
    ui::text_centered(ui, ja(Msg::PlaceMyNumberCard), ui.fonts.title());
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ui::text_centered(ui, ja(Msg::NoPinInVisualMode), ui.fonts.body(), ui::kGrey);
    if (s && !s->message.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(16)));
        ui::text_centered(ui, ja(s->message), ui.fonts.body(), ui::kRed);
    }
    if (!app.devices.message_ja.empty()) ui::text_centered(ui, app.devices.message_ja, ui.fonts.body(), ui::kRed);
    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ui.px(24), ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "admin", ja(Msg::Admin), size, Tone::Quiet)) app.admin_open = true;
}

}  // namespace onshi::kiosk
