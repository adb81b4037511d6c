// 一括照会: staff choose 今日 / 明日 / 今月未確認; the batch runs on the host's worker (OQSmuquc01req, then
// OQSmuquc02req polls) and its counts come back as it goes; the statuses land in 受付一覧 as they arrive. A
// batch left unfinished (the kiosk stopped) is taken up again at start-up and shown here as 再開.
#include <algorithm>

#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_console_bulk(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    console_header(view, out, ui);
    const console::BulkView& b = view.console->bulk;
    const ImVec2 size(ui.px(240), ui.px(72));
    using console::BulkSelection;
    if (ui::button(ui, "bulk-today", ja(Msg::ConsoleBulkToday), size, Tone::Normal, !b.running))
        out.to_console(console::in::StartBulk{BulkSelection::Today});
    ImGui::SameLine(0, ui.px(16));
    if (ui::button(ui, "bulk-tomorrow", ja(Msg::ConsoleBulkTomorrow), size, Tone::Normal, !b.running))
        out.to_console(console::in::StartBulk{BulkSelection::Tomorrow});
    ImGui::SameLine(0, ui.px(16));
    if (ui::button(ui, "bulk-due", ja(Msg::ConsoleBulkDue), size, Tone::Normal, !b.running))
        out.to_console(console::in::StartBulk{BulkSelection::DueThisMonth});
    ImGui::Dummy(ImVec2(0, ui.px(24)));
    if (b.resumed) ui::text(ui, ja(Msg::ConsoleBulkResumed), ui.fonts.body(), ui::kBlue);
    if (b.batch_id == 0 && !b.running) {
        if (!b.message.empty()) ui::text_wrapped(ui, ja(b.message), ui.fonts.body(), ui::kRed);
        return;
    }
    const float frac = b.sent ? float(std::min(b.answered, b.sent)) / float(b.sent) : 0.f;
    ImGui::ProgressBar(frac, ImVec2(ImGui::GetContentRegionAvail().x, ui.px(36)), "");
    ui::text(ui, ja(Msg::ConsoleBulkProgress, int(b.sent), int(b.answered)), ui.fonts.body());
    ui::text(ui,
             ja(Msg::ConsoleBulkCounts, int(b.valid), int(b.lost), std::to_string(b.none), std::to_string(b.error)),
             ui.fonts.body());
    ui::text(ui, ja(b.running ? Msg::ConsoleBulkRunning : Msg::ConsoleBulkFinished), ui.fonts.body(),
             b.running ? ui::kGrey : ui::kBlue);
    if (b.running && !b.reception_number.empty())
        ui::text(ui, ja(Msg::ConsoleBulkReception, -1, -1, b.reception_number), ui.fonts.body(), ui::kGrey);
    if (!b.message.empty()) ui::text_wrapped(ui, ja(b.message), ui.fonts.body(), ui::kRed);
}

}  // namespace onshi::kiosk
