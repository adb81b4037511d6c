// 登録完了: a short summary, then back to 待機 by itself (the flow clears it after 10 s).
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_done(AppState& app, Ui& ui) {
    const flow::Visit& v = *app.visit;
    ImGui::Dummy(ImVec2(0, ui.px(160)));
    ui::text_centered(ui, "登録完了", ui.fonts.title(), IM_COL32(0, 120, 60, 255));
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ui::text_centered(ui, v.done_summary_ja, ui.fonts.title());
    if (v.applied && !v.applied->karte.empty())
        ui::text_centered(ui, "カルテ番号 " + v.applied->karte, ui.fonts.body());
    int left = countdown_seconds(app, v.step_since_ms + 10000, app.clock_ms);
    ImGui::Dummy(ImVec2(0, ui.px(24)));
    ui::text_centered(ui, std::to_string(left) + "秒後に待機画面に戻ります", ui.fonts.body(), ui::kGrey);
    ImGui::Dummy(ImVec2(0, ui.px(24)));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ui.px(240)) / 2);
    if (ui::button(ui, "ok", "閉じる", ImVec2(ui.px(240), ui.px(72)), Tone::Primary)) app.emit(flow::in::Acknowledge{});
}

void draw_aborted(AppState& app, Ui& ui) {
    ImGui::Dummy(ImVec2(0, ui.px(200)));
    ui::text_centered(ui, "中止しました", ui.fonts.title());
    ui::text_centered(ui, "何も登録していません", ui.fonts.body(), ui::kGrey);
    ImGui::Dummy(ImVec2(0, ui.px(24)));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ui.px(240)) / 2);
    if (ui::button(ui, "ok", "待機画面へ", ImVec2(ui.px(240), ui.px(72)), Tone::Primary)) app.emit(flow::in::Acknowledge{});
}

}  // namespace onshi::kiosk
