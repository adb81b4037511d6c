// 職員認証: the staff member keys a personal passcode so the audit says who confirmed the patient.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_staff_auth(AppState& app, Ui& ui) {
    staff_header(app, ui, "職員認証");
    ImGui::Dummy(ImVec2(0, ui.px(4)));
    passcode_panel(app, ui);
}

void draw_locked(AppState& app, Ui& ui) {
    staff_header(app, ui, "ロック中");
    ui::text_centered(ui, "しばらく操作がなかったため画面をロックしました。パスコードで再開します。", ui.fonts.body(), ui::kGrey);
    passcode_panel(app, ui);
}

}  // namespace onshi::kiosk
