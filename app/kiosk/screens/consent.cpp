// 同意: patient-facing. One plain question per screen, 同意する / 同意しない, progress dots.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_consent(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* c = view.visit->as<flow::state::Consent>();
    const auto& qs = flow::consent_questions();
    const size_t i = std::min(c ? c->index : 0, flow::kConsentCount - 1);
    ImGui::Dummy(ImVec2(0, ui.px(40)));
    // Progress dots: where the patient is, without numbers to read.
    std::string dots;
    for (size_t k = 0; k < flow::kConsentCount; ++k) dots += k == i ? "\u25CF " : "\u25CB ";
    ui::text_centered(ui, dots, ui.fonts.title(), ui::kBlue);
    ImGui::Dummy(ImVec2(0, ui.px(24)));
    ui::text_centered(ui, ja(qs[i].title), ui.fonts.title());
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ImGui::Indent(ui.px(120));
    ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - ui.px(120));
    ui::text_wrapped(ui, ja(qs[i].question), ui.fonts.title());
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ui.px(120));
    ImGui::Dummy(ImVec2(0, ui.px(40)));
    const ImVec2 big(ui.px(340), ui.px(120));
    const float gap = ui.px(60);
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - (big.x * 2 + gap)) / 2);
    ImGui::PushFont(ui.fonts.title());
    if (ui::button(ui, "agree", ja(Msg::Agree), big, Tone::Primary)) out.emit(flow::in::ConsentAnswer{true});
    ImGui::SameLine(0, gap);
    if (ui::button(ui, "disagree", ja(Msg::Disagree), big, Tone::Normal)) out.emit(flow::in::ConsentAnswer{false});
    ImGui::PopFont();
    // The patient (or staff) can stop here too; nothing is written.
    const ImVec2 stop(ui.px(150), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowWidth() - stop.x - ui.px(24), ImGui::GetWindowHeight() - stop.y - ui.px(24)));
    if (ui::button(ui, "abort", ja(Msg::Abort), stop, Tone::Quiet)) out.emit(flow::in::Abort{});
}

void draw_handback(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* h = view.visit->as<flow::state::Handback>();
    ImGui::Dummy(ImVec2(0, ui.px(120)));
    if (h && h->timed_out) {
        ui::text_centered(ui, ja(Msg::ConsentTimedOut), ui.fonts.title(), ui::kRed);
        ui::text_centered(ui, ja(Msg::ConsentUnansweredAsNo), ui.fonts.body(), ui::kGrey);
    } else {
        ui::text_centered(ui, ja(Msg::ThankYou), ui.fonts.title());
        ui::text_centered(ui, ja(Msg::ReturnScreenToStaff), ui.fonts.title());
    }
    ImGui::Dummy(ImVec2(0, ui.px(48)));
    const ImVec2 big(ui.px(360), ui.px(88));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - (big.x * 2 + ui.px(40))) / 2);
    if (ui::button(ui, "take-back", ja(Msg::StaffQueries), big, Tone::Primary)) out.emit(flow::in::TakeBack{});
    ImGui::SameLine(0, ui.px(40));
    if (ui::button(ui, "restart-consent", ja(Msg::RestartConsent), big, Tone::Normal)) out.emit(flow::in::RestartConsent{});
    const ImVec2 size(ui.px(150), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowWidth() - size.x - ui.px(24), ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "abort", ja(Msg::Abort), size, Tone::Danger)) out.emit(flow::in::Abort{});
}

}  // namespace onshi::kiosk
