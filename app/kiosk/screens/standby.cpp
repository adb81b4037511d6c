// 待機: patient-facing. Nothing personal is ever shown here.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_standby(AppState& app, Ui& ui) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImGui::Dummy(ImVec2(0, avail.y * 0.28f));
    ui::text_centered(ui, "カードを置いてください", ui.fonts.title());
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ui::text_centered(ui, "マイナ保険証をカードリーダーに置いてください", ui.fonts.body(), IM_COL32(80, 80, 80, 255));

    // A discreet staff entry in the bottom-right corner, still a full touch target.
    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowWidth() - size.x - ui.px(24),
                               ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "staff", "職員用", size, Tone::Quiet)) app.go(ScreenId::StaffAuth);
}

}  // namespace onshi::kiosk
