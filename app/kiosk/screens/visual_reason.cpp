// 目視確認の理由: right after 職員認証, one tap on the clinic manual's case (or その他). The code goes with the
// check into the 患者原簿 and its history; 暗証番号ロック also tells the patient on 登録完了 where the PIN is reset.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_visual_reason(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    staff_header(view, out, ui, Msg::TitleVisualReason);
    if (!view.visit->as<flow::state::ChooseReason>()) return;
    ImGui::Dummy(ImVec2(0, ui.px(8)));
    ui::text_wrapped(ui, ja(Msg::VisualReasonPrompt), ui.fonts.body());
    ImGui::Dummy(ImVec2(0, ui.px(8)));
    // One full-width button a case, as tall as the space allows (never under the touch minimum).
    const auto& reasons = flow::visual_reasons();
    const float gap = ImGui::GetStyle().ItemSpacing.y;
    const float avail = ImGui::GetContentRegionAvail().y - ui.px(8);
    const float h = std::clamp((avail - gap * float(reasons.size() - 1)) / float(reasons.size()), ui.min_target(),
                               ui.px(88));
    const float w = std::min(ImGui::GetContentRegionAvail().x, ui.px(900));
    for (flow::VisualReason r : reasons) {
        ImGui::SetCursorPosX((ImGui::GetWindowWidth() - w) / 2);
        std::string id = std::string("reason:") + flow::visual_reason_key(r);
        if (ui::button(ui, id.c_str(), ja(flow::visual_reason_title(r)), ImVec2(w, h),
                       r == flow::VisualReason::Other ? Tone::Quiet : Tone::Normal))
            out.emit(flow::in::ChooseReason{r});
    }
}

}  // namespace onshi::kiosk
