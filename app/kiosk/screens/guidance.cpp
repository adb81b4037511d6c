// 顔認証付きカードリーダーへ: staff instructions, one at a time — the reader's 目視確認モード, the card onto
// the reader, the reader turned to the patient for the consents. Then 結果待ち. The kiosk shows the patient
// nothing: the consents are answered on the reader's own screen.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_guidance(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* g = view.visit->as<flow::state::Guidance>();
    staff_header(view, out, ui, Msg::TitleGuidance);
    if (!g) return;
    const auto& steps = flow::guidance_steps();
    const size_t i = std::min(g->index, steps.size() - 1);
    ImGui::Dummy(ImVec2(0, ui.px(48)));
    ui::text_centered(ui, ja(Msg::GuideProgress, int(i + 1), int(steps.size())), ui.fonts.body(), ui::kGrey);
    ImGui::Dummy(ImVec2(0, ui.px(24)));
    ImGui::Indent(ui.px(100));
    ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - ui.px(100));
    ui::text_wrapped(ui, ja(steps[i]), ui.fonts.title());
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ui.px(100));
    ImGui::Dummy(ImVec2(0, ui.px(60)));
    const ImVec2 big(ui.px(320), ui.px(88));
    const float gap = ui.px(40);
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - (big.x * 2 + gap)) / 2);
    if (ui::button(ui, "guide-back", ja(Msg::GuideBack), big, Tone::Normal, i > 0)) out.emit(flow::in::GuidanceBack{});
    ImGui::SameLine(0, gap);
    const bool last = i + 1 == steps.size();
    if (ui::button(ui, last ? "start-waiting" : "guide-next", ja(last ? Msg::GuideStartWaiting : Msg::GuideNext), big,
                   Tone::Primary))
        out.emit(flow::in::GuidanceNext{});
}

}  // namespace onshi::kiosk
