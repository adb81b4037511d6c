#pragma once
// Every screen is a free draw function: it reads the View (the flow's Visit, device status …), edits only its
// pad Entries, and writes what it asks for into the FrameOutput (intents to the flow, kiosk actions). It
// cannot reach the ledger, the files or a device. The table in frontend.cpp maps the flow's step (and 管理)
// to these. Screens decide nothing: what is allowed comes from the flow, and every text from the catalogue
// (core/text/messages_ja.hpp).
#include "app/kiosk/app_state.hpp"
#include "app/kiosk/ui.hpp"
#include "core/text/messages_ja.hpp"

namespace onshi::kiosk {

struct ScreenView {
    const char* name;     // stable id used by scripts (wait screen standby)
    bool patient_facing;  // turned to the patient: larger, plainer, nothing for staff
    void (*draw)(const View&, FrameOutput&, Entries&, Ui&);
};

void draw_standby(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_staff_auth(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_visual_reason(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_await_card(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_card_face(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_guidance(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_face_wait(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_face_timeout(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_face_consents(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_diff(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_done(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_locked(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_error(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_aborted(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_admin(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_reception(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_fatal(const View& view, FrameOutput& out, Entries& entries, Ui& ui);

// The reception console (受付一覧 …, core/console): one ScreenView a console::Page, from the table in
// screens/console.cpp; each page draws from view.console and sends console intents (out.to_console).
const ScreenView& console_screen(console::Page page);
void draw_console_list(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_console_add_karte(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_console_add_kana(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_console_consent(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_console_querying(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_console_bulk(const View& view, FrameOutput& out, Entries& entries, Ui& ui);
void draw_console_patient(const View& view, FrameOutput& out, Entries& entries, Ui& ui);  // ledger_page.cpp
void draw_console_typed(const View& view, FrameOutput& out, Entries& entries, Ui& ui);    // typed_card.cpp
void draw_console_medinfo(const View& view, FrameOutput& out, Entries& entries, Ui& ui);   // medinfo.cpp
void draw_console_homevisit(const View& view, FrameOutput& out, Entries& entries, Ui& ui); // medinfo.cpp
// The console's top bar: title, staff, the page tabs and 閉じる.
void console_header(const View& view, FrameOutput& out, Ui& ui);
// The 院内患者 badge colour of a status key (照会中 / 有効 / 喪失 / 該当なし / エラー).
ImU32 console_badge_color(const std::string& status_key);

// Shared pieces.
// The staff screens' top bar: title, who is signed in, and 中止 (which writes nothing).
void staff_header(const View& view, FrameOutput& out, Ui& ui, text::Msg title);
// Staff picker + passcode pad (職員認証 and ロック).
void passcode_panel(const View& view, FrameOutput& out, Entries& entries, Ui& ui, const flow::AuthPanel& auth);
// Seconds left until `until_ms` by the visit clock, for countdowns; asks for a wake-up each second.
int countdown_seconds(const View& view, FrameOutput& out, int64_t until_ms);
// A date for people: 令和3年8月1日 from ISO ("" stays "").
std::string wareki(const std::string& iso);
// 男 / 女 for the sex codes of the chip and OQS ("1", "2"); — otherwise.
text::Msg sex_label(const std::string& code);
// The catalogue's text for a message id (+ its parameters).
using text::ja;
using text::Msg;

}  // namespace onshi::kiosk
