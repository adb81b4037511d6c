// 受付結果: the face/ results the kiosk took in, newest first — time, name, the 院内患者 column text, and the
// カルテ番号 or 「原簿未登録」. Staff-only (reached from カード待ち, after the passcode). Read-only: a result is
// taken over into the 原簿 only in 差分確認.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_reception(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    ui::text(ui, ja(Msg::ReceptionResults), ui.fonts.title());
    ImGui::Separator();
    if (view.reception.empty()) ui::text(ui, ja(Msg::ReceptionEmpty), ui.fonts.body(), ui::kGrey);
    const float list_h = ImGui::GetContentRegionAvail().y - ui.px(96);
    ImGui::BeginChild("##reception", ImVec2(0, list_h));
    for (size_t i = 0; i < view.reception.size(); ++i) {
        const ReceptionLine& r = view.reception[i];
        ui::text(ui, r.time, ui.fonts.body(), ui::kGrey);
        ImGui::SameLine(ui.px(110));
        ui::text(ui, r.malformed ? ja(Msg::ReceptionMalformed) : r.name, ui.fonts.body());
        ImGui::SameLine(ui.px(330));
        if (r.karte.empty())
            ui::text(ui, ja(Msg::ReceptionUnregistered), ui.fonts.body(), ui::kRed);
        else
            ui::text(ui, ja(Msg::LedgerKarte, -1, -1, r.karte), ui.fonts.body());
        ImGui::SameLine(ui.px(500));
        ui::text(ui, r.column, ui.fonts.body());
    }
    ImGui::EndChild();
    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(
        ImVec2(ImGui::GetWindowWidth() - size.x - ui.px(24), ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "close-reception", ja(Msg::Close), size, Tone::Quiet)) out.request(action::CloseReception{});
}

}  // namespace onshi::kiosk
