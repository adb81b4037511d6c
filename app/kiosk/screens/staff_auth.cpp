// 職員認証: the staff member keys a personal passcode so the audit says who confirmed the patient.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_staff_auth(const View& view, FrameOutput& out, Entries& entries, Ui& ui) {
    staff_header(view, out, ui, Msg::TitleStaffAuth);
    ImGui::Dummy(ImVec2(0, ui.px(4)));
    if (const auto* s = view.visit->as<flow::state::StaffAuth>()) passcode_panel(view, out, entries, ui, s->auth);
}

void draw_locked(const View& view, FrameOutput& out, Entries& entries, Ui& ui) {
    staff_header(view, out, ui, Msg::TitleLockedHeader);
    ui::text_centered(ui, ja(Msg::LockedIdle), ui.fonts.body(), ui::kGrey);
    if (view.visit->lock) passcode_panel(view, out, entries, ui, view.visit->lock->auth);
}

}  // namespace onshi::kiosk
