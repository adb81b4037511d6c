// 管理: staff and their passcode state, reader and OQS folder status, ledger backup.
// Adding staff and setting passcodes is `onshi staff add|passcode` (a keyboard job, not a touch one).
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {
namespace {
void status_line(Ui& ui, const std::string& what, bool ok, const std::string& detail) {
    ui::text(ui, std::string(ok ? "\u25CF " : "\u00D7 ") + what, ui.fonts.body(), ok ? IM_COL32(0, 120, 60, 255) : ui::kRed);
    ImGui::SameLine(ui.px(300));
    ui::text(ui, detail, ui.fonts.body());
}
}  // namespace

void draw_admin(AppState& app, Ui& ui) {
    const DeviceStatus& d = app.devices;
    ui::text(ui, ja(Msg::Admin), ui.fonts.title());
    ImGui::Separator();
    ui::text(ui, ja(Msg::DevicesTitle), ui.fonts.body(), ui::kGrey);
    status_line(ui, "pcscd", d.pcscd, ja(d.pcscd ? Msg::Running : Msg::NotStarted));
    status_line(ui, ja(Msg::CardReader), d.reader, d.reader ? d.reader_name : ja(Msg::NotFound));
    status_line(ui, ja(Msg::OqsFolder), d.oqs_folder, d.oqs_root);
    status_line(ui, ja(Msg::Ledger), !d.ledger_path.empty(), d.ledger_path);
    if (!d.last_backup.empty()) status_line(ui, ja(Msg::Backup), true, d.last_backup);
    ImGui::Dummy(ImVec2(0, ui.px(12)));
    ui::text(ui, ja(Msg::StaffTitle), ui.fonts.body(), ui::kGrey);
    for (const auto& line : app.staff_lines) ui::text(ui, line, ui.fonts.body());
    ui::text(ui, ja(Msg::StaffHowTo), ui.fonts.body(), ui::kGrey);
    ImGui::Dummy(ImVec2(0, ui.px(12)));
    if (ui::button(ui, "backup", ja(Msg::BackupNow), ImVec2(ui.px(300), ui.px(64)), Tone::Primary, bool(app.backup_now)))
        app.admin_message_ja = app.backup_now();
    if (!app.admin_message_ja.empty()) ui::text_wrapped(ui, app.admin_message_ja, ui.fonts.body(), ui::kBlue);
    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowWidth() - size.x - ui.px(24), ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "close-admin", ja(Msg::Close), size, Tone::Quiet)) {
        app.admin_open = false;
        app.admin_message_ja.clear();
    }
}

}  // namespace onshi::kiosk

namespace onshi::kiosk {

// The kiosk cannot run (bad config, corrupt ledger): say what and where, on screen, instead of crashing.
void draw_fatal(AppState& app, Ui& ui) {
    ImGui::Dummy(ImVec2(0, ui.px(60)));
    ui::text_centered(ui, ja(Msg::CannotStart), ui.fonts.title(), ui::kRed);
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ImGui::Indent(ui.px(80));
    ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - ui.px(80));
    for (const auto& line : app.fatal) ui::text_wrapped(ui, line, ui.fonts.body());
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ui::text_wrapped(ui, ja(Msg::CallAdmin), ui.fonts.body(), ui::kGrey);
    ImGui::PopTextWrapPos();
    ImGui::Unindent(ui.px(80));
}

}  // namespace onshi::kiosk
