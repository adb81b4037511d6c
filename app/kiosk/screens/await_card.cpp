// カード待ち: staff ask the patient to place the card; 管理 and 受付一覧 (the reception console) are reachable
// from here.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_await_card(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* s = view.visit->as<flow::state::AwaitCard>();
    staff_header(view, out, ui, Msg::TitleAwaitCard);
    ImGui::Dummy(ImVec2(0, ui.px(120)));
    ui::text_centered(ui, ja(Msg::PlaceMyNumberCard), ui.fonts.title());
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ui::text_centered(ui, ja(Msg::NoPinInVisualMode), ui.fonts.body(), ui::kGrey);
    if (s && !s->message.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(16)));
        ui::text_centered(ui, ja(s->message), ui.fonts.body(), ui::kRed);
    }
    if (view.devices.problem != Msg::None) ui::text_centered(ui, ja(view.devices.problem), ui.fonts.body(), ui::kRed);
    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ui.px(24), ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "admin", ja(Msg::Admin), size, Tone::Quiet)) out.request(action::OpenAdmin{});
    ImGui::SameLine(0, ui.px(16));
    if (ui::button(ui, "console", ja(Msg::ConsoleOpen), ImVec2(ui.px(200), size.y), Tone::Quiet, view.console != nullptr))
        out.request(action::OpenConsole{});
}

}  // namespace onshi::kiosk
