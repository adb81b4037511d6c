// 職員認証: the staff member keys a personal passcode so the audit says who confirmed the patient.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_staff_auth(AppState& app, Ui& ui) {
    staff_header(app, ui, Msg::TitleStaffAuth);
    ImGui::Dummy(ImVec2(0, ui.px(4)));
    if (const auto* s = app.visit->as<flow::state::StaffAuth>()) passcode_panel(app, ui, s->auth);
}

void draw_locked(AppState& app, Ui& ui) {
    staff_header(app, ui, Msg::TitleLockedHeader);
    ui::text_centered(ui, ja(Msg::LockedIdle), ui.fonts.body(), ui::kGrey);
    if (app.visit->lock) passcode_panel(app, ui, app.visit->lock->auth);
}

}  // namespace onshi::kiosk
