// 管理: staff and their passcode state, reader and OQS folder status, ledger backup.
// Adding staff and setting passcodes is `onshi staff add|passcode` (a keyboard job, not a touch one).
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {
namespace {
void status_line(Ui& ui, const std::string& what, bool ok, const std::string& detail) {
    ui::text(ui, std::string(ok ? "\u25CF " : "\u00D7 ") + what, ui.fonts.body(),
             ok ? IM_COL32(0, 120, 60, 255) : ui::kRed);
    ImGui::SameLine(ui.px(300));
    ui::text(ui, detail, ui.fonts.body());
}
}  // namespace

void draw_admin(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const DeviceStatus& d = view.devices;
    ui::text(ui, ja(Msg::Admin), ui.fonts.title());
    ImGui::Separator();
    ui::text(ui, ja(Msg::DevicesTitle), ui.fonts.body(), ui::kGrey);
    status_line(ui, "pcscd", d.pcscd, ja(d.pcscd ? Msg::Running : Msg::NotStarted));
    status_line(ui, ja(Msg::CardReader), d.reader, d.reader ? d.reader_name : ja(Msg::NotFound));
    status_line(ui, ja(Msg::OqsFolder), d.oqs_folder, d.oqs_root);
    status_line(ui, ja(Msg::Ledger), !d.ledger_path.empty(), d.ledger_path);
    if (!view.last_backup.empty()) status_line(ui, ja(Msg::Backup), true, view.last_backup);
    ImGui::Dummy(ImVec2(0, ui.px(12)));
    ui::text(ui, ja(Msg::StaffTitle), ui.fonts.body(), ui::kGrey);
    for (const auto& s : view.staff) {
        std::string line = ja(Msg::StaffLine, -1, -1, s.name, s.id);
        if (s.state != Msg::None) line += "  " + ja(s.state);
        ui::text(ui, line, ui.fonts.body());
    }
    ui::text(ui, ja(Msg::StaffHowTo), ui.fonts.body(), ui::kGrey);
    ImGui::Dummy(ImVec2(0, ui.px(12)));
    // The backup itself runs after the frame, on a worker: the result comes back as 管理's message.
    if (ui::button(ui, "backup", ja(Msg::BackupNow), ImVec2(ui.px(300), ui.px(64)), Tone::Primary,
                   view.backup_available && !view.backup_running))
        out.request(action::Backup{});
    if (!view.admin_message.empty()) ui::text_wrapped(ui, ja(view.admin_message), ui.fonts.body(), ui::kBlue);
    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(
        ImVec2(ImGui::GetWindowWidth() - size.x - ui.px(24), ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "close-admin", ja(Msg::Close), size, Tone::Quiet)) out.request(action::CloseAdmin{});
}

}  // namespace onshi::kiosk

namespace onshi::kiosk {

// The kiosk cannot run (bad config, corrupt ledger): say what and where, on screen, instead of crashing.
void draw_fatal(const View& view, FrameOutput&, Entries&, Ui& ui) {
    ImGui::Dummy(ImVec2(0, ui.px(60)));
    ui::text_centered(ui, ja(Msg::CannotStart), ui.fonts.title(), ui::kRed);
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ImGui::Indent(ui.px(80));
    ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - ui.px(80));
    for (const auto& line : view.fatal) ui::text_wrapped(ui, line, ui.fonts.body());
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ui::text_wrapped(ui, ja(Msg::CallAdmin), ui.fonts.body(), ui::kGrey);
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ui.px(80));
}

}  // namespace onshi::kiosk
