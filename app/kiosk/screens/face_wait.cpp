// 結果待ち and 結果が届きません: the visit waits for the face-auth reader's face/ result of this person.
// Nothing is sent from here; 「もう一度待つ」 only starts a new window.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_face_wait(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* w = view.visit->as<flow::state::FaceWait>();
    staff_header(view, out, ui, Msg::TitleFaceWait);
    if (!w) return;
    ImGui::Dummy(ImVec2(0, ui.px(60)));
    // A spinner while waiting: frames keep coming only on this screen.
    ImVec2 c = ImGui::GetCursorScreenPos();
    c.x += ImGui::GetContentRegionAvail().x / 2;
    c.y += ui.px(40);
    const float r = ui.px(32);
    const float a = float(view.now) * 4.f;
    ImGui::GetWindowDrawList()->PathArcTo(c, r, a, a + 4.5f, 32);
    ImGui::GetWindowDrawList()->PathStroke(ui::kBlue, 0, ui.px(8));
    ImGui::Dummy(ImVec2(0, ui.px(96)));
    out.animating = true;
    ui::text_centered(ui, ja(Msg::FaceWaiting), ui.fonts.title());
    ui::text_centered(ui, ja(Msg::FaceWaitPerson, -1, -1, wareki(view.visit->chip_birth)), ui.fonts.body());
    const int left = countdown_seconds(view, out, w->until_ms);
    ui::text_centered(ui, ja(Msg::SecondsLeft, left), ui.fonts.body(), ui::kGrey);
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ImGui::Indent(ui.px(80));
    ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - ui.px(80));
    ui::text_wrapped(ui, ja(Msg::FaceWaitHint), ui.fonts.body(), ui::kGrey);
    if (!w->notice.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(12)));
        ui::text_wrapped(ui, ja(w->notice), ui.fonts.body(), ui::kRed);
    }
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ui.px(80));
    if (w->unnamed) {
        ImGui::Dummy(ImVec2(0, ui.px(16)));
        const ImVec2 big(ui.px(300), ui.px(80));
        const float gap = ui.px(40);
        ImGui::SetCursorPosX((ImGui::GetWindowWidth() - (big.x * 2 + gap)) / 2);
        if (ui::button(ui, "claim-mine", ja(Msg::ClaimMine), big, Tone::Primary)) out.emit(flow::in::ClaimResult{true});
        ImGui::SameLine(0, gap);
        if (ui::button(ui, "claim-not-mine", ja(Msg::ClaimNotMine), big, Tone::Normal))
            out.emit(flow::in::ClaimResult{false});
    }
    // 受付結果: what has arrived meanwhile (a result of somebody else is listed there, never attached here).
    const ImVec2 list_size(ui.px(200), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ui.px(24), ImGui::GetWindowHeight() - list_size.y - ui.px(24)));
    if (ui::button(ui, "reception", ja(Msg::ReceptionResults), list_size, Tone::Quiet))
        out.request(action::OpenReception{});
}

void draw_face_timeout(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* t = view.visit->as<flow::state::FaceTimeout>();
    staff_header(view, out, ui, Msg::TitleFaceTimeout);
    ImGui::Dummy(ImVec2(0, ui.px(40)));
    ImGui::Indent(ui.px(80));
    ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - ui.px(80));
    ui::text_wrapped(ui, ja(Msg::FaceTimeoutHeadline), ui.fonts.title(), ui::kRed);
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    for (Msg m : {Msg::FaceTimeoutCheckMode, Msg::FaceTimeoutCheckPatient, Msg::FaceTimeoutCheckTerminal})
        ui::text_wrapped(ui, ja(m), ui.fonts.body());
    ImGui::Dummy(ImVec2(0, ui.px(12)));
    ui::text_wrapped(ui, ja(Msg::FaceTimeoutNoResend), ui.fonts.body(), ui::kGrey);
    if (t && !t->notice.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(12)));
        ui::text_wrapped(ui, ja(t->notice), ui.fonts.body(), ui::kBlue);
    }
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ui.px(80));
    ImGui::Dummy(ImVec2(0, ui.px(32)));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ui.px(300)) / 2);
    if (ui::button(ui, "wait-again", ja(Msg::WaitAgain), ImVec2(ui.px(300), ui.px(80)), Tone::Primary))
        out.emit(flow::in::WaitAgain{});
    // 受付結果: what has arrived meanwhile (a result of somebody else is listed there, never attached here).
    const ImVec2 list_size(ui.px(200), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ui.px(24), ImGui::GetWindowHeight() - list_size.y - ui.px(24)));
    if (ui::button(ui, "reception", ja(Msg::ReceptionResults), list_size, Tone::Quiet))
        out.request(action::OpenReception{});
}

}  // namespace onshi::kiosk
