// 登録完了: a short summary, then back to 待機 by itself (the flow says when).
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_done(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* d = view.visit->as<flow::state::Done>();
    ImGui::Dummy(ImVec2(0, ui.px(160)));
    ui::text_centered(ui, ja(Msg::TitleDone), ui.fonts.title(), IM_COL32(0, 120, 60, 255));
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    if (d) {
        ui::text_centered(ui, ja(d->summary), ui.fonts.title());
        if (d->applied && !d->applied->karte.empty())
            ui::text_centered(ui, ja(Msg::KarteNumber, -1, -1, d->applied->karte), ui.fonts.body());
        if (view.visit->visual_reason == flow::VisualReason::PinLocked) {
            // The patient cannot reset a locked PIN at the clinic: the municipality's counter does it.
            ImGui::Dummy(ImVec2(0, ui.px(16)));
            ImGui::Indent(ui.px(80));
            ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - ui.px(80));
            ui::text_wrapped(ui, ja(Msg::PinResetAtCityOffice), ui.fonts.body(), ui::kBlue);
            ImGui::PopTextWrapPos();
            ImGui::Unindent(ui.px(80));
        }
        int left = countdown_seconds(view, out, d->clears_at_ms);
        ImGui::Dummy(ImVec2(0, ui.px(24)));
        ui::text_centered(ui, ja(Msg::BackToStandbyIn, left), ui.fonts.body(), ui::kGrey);
    }
    ImGui::Dummy(ImVec2(0, ui.px(24)));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ui.px(240)) / 2);
    if (ui::button(ui, "ok", ja(Msg::Close), ImVec2(ui.px(240), ui.px(72)), Tone::Primary))
        out.emit(flow::in::Acknowledge{});
}

void draw_aborted(const View&, FrameOutput& out, Entries&, Ui& ui) {
    ImGui::Dummy(ImVec2(0, ui.px(200)));
    ui::text_centered(ui, ja(Msg::Aborted), ui.fonts.title());
    ui::text_centered(ui, ja(Msg::NothingRegistered), ui.fonts.body(), ui::kGrey);
    ImGui::Dummy(ImVec2(0, ui.px(24)));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ui.px(240)) / 2);
    if (ui::button(ui, "ok", ja(Msg::ToStandby), ImVec2(ui.px(240), ui.px(72)), Tone::Primary))
        out.emit(flow::in::Acknowledge{});
}

}  // namespace onshi::kiosk
