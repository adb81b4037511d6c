// 単件照会 from the console: 限度額情報の提供 asked first (未確認 / 同意 / 拒否; only 同意 sends the flag), then
// 照会中 until the answer opens 差分確認 for the patient. 「待たずに戻る」 leaves the check 照会中, as the manual
// says of a cancelled 単件照会; a later answer is still recorded.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_console_consent(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    console_header(view, out, ui);
    const console::State& s = *view.console;
    if (!s.query) return;
    const std::string who = s.query->name.empty() ? s.query->karte : s.query->name;
    ImGui::Dummy(ImVec2(0, ui.px(40)));
    ui::text_centered(ui, ja(Msg::ConsoleLimitQuestion, -1, -1, who), ui.fonts.title());
    ImGui::Dummy(ImVec2(0, ui.px(40)));
    const ImVec2 size(ui.px(220), ui.px(88));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - 3 * size.x - 2 * ui.px(24)) * 0.5f);
    using intake::LimitConsent;
    if (ui::button(ui, "limit-unasked", ja(Msg::ConsoleLimitUnasked), size))
        out.to_console(console::in::AnswerConsent{LimitConsent::Unasked});
    ImGui::SameLine(0, ui.px(24));
    if (ui::button(ui, "limit-yes", ja(Msg::ConsoleLimitYes), size, Tone::Primary))
        out.to_console(console::in::AnswerConsent{LimitConsent::Yes});
    ImGui::SameLine(0, ui.px(24));
    if (ui::button(ui, "limit-no", ja(Msg::ConsoleLimitNo), size))
        out.to_console(console::in::AnswerConsent{LimitConsent::No});
    const ImVec2 back(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ui.px(24), ImGui::GetWindowHeight() - back.y - ui.px(24)));
    if (ui::button(ui, "consent-back", ja(Msg::Cancel), back, Tone::Quiet)) out.to_console(console::in::StopWaiting{});
}

void draw_console_querying(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    console_header(view, out, ui);
    const console::State& s = *view.console;
    ImGui::Dummy(ImVec2(0, ui.px(80)));
    if (s.query) {
        const std::string who = s.query->name.empty() ? s.query->karte : s.query->name;
        ui::text_centered(ui, ja(Msg::ConsoleQuerying), ui.fonts.title(), console_badge_color("processing"));
        ImGui::Dummy(ImVec2(0, ui.px(16)));
        ui::text_centered(ui, ja(Msg::ConsoleWaitingAnswer, -1, -1, who), ui.fonts.body());
    }
    const ImVec2 back(ui.px(360), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ui.px(24), ImGui::GetWindowHeight() - back.y - ui.px(24)));
    if (ui::button(ui, "stop-waiting", ja(Msg::ConsoleStopWaiting), back, Tone::Quiet))
        out.to_console(console::in::StopWaiting{});
}

}  // namespace onshi::kiosk
