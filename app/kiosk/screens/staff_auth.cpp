// 職員認証: the staff member keys a personal passcode so the audit says who confirmed the patient.
#include "app/kiosk/screens/screens.hpp"
#include "app/kiosk/widgets/pin_pad.hpp"

namespace onshi::kiosk {

void draw_staff_auth(AppState& app, Ui& ui) {
    ImGui::Dummy(ImVec2(0, ui.px(8)));
    ui::text_centered(ui, "職員認証", ui.fonts.title());
    ui::text_centered(ui, "職員番号のパスコード（6〜8桁）を入力してください", ui.fonts.body());
    ImGui::Dummy(ImVec2(0, ui.px(12)));
    PinPadSpec spec;
    // Passcodes are checked against the staff table of the ledger; until the flow is wired in,
    // 確定 stays disabled rather than pretending to check anything.
    spec.can_submit = false;
    pin_pad(ui, app.passcode_entry, spec);

    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ui.px(24), ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "back", "戻る", size, Tone::Quiet)) app.go(ScreenId::Standby);
}

}  // namespace onshi::kiosk
