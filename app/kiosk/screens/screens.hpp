#pragma once
// Every screen is a free draw function over AppState: it reads the flow's Visit and emits intents.
// The table in frontend.cpp maps the flow's step (and 管理) to these. Screens decide nothing: what is
// allowed comes from the flow, and every text from the catalogue (core/text/messages_ja.hpp).
#include "app/kiosk/app_state.hpp"
#include "app/kiosk/ui.hpp"
#include "core/text/messages_ja.hpp"

namespace onshi::kiosk {

struct ScreenView {
    const char* name;        // stable id used by scripts (wait screen standby)
    bool patient_facing;     // turned to the patient: larger, plainer, nothing for staff
    void (*draw)(AppState&, Ui&);
};

void draw_standby(AppState& app, Ui& ui);
void draw_staff_auth(AppState& app, Ui& ui);
void draw_await_card(AppState& app, Ui& ui);
void draw_card_face(AppState& app, Ui& ui);
void draw_consent(AppState& app, Ui& ui);
void draw_handback(AppState& app, Ui& ui);
void draw_querying(AppState& app, Ui& ui);
void draw_diff(AppState& app, Ui& ui);
void draw_done(AppState& app, Ui& ui);
void draw_locked(AppState& app, Ui& ui);
void draw_error(AppState& app, Ui& ui);
void draw_aborted(AppState& app, Ui& ui);
void draw_admin(AppState& app, Ui& ui);
void draw_fatal(AppState& app, Ui& ui);

// Shared pieces.
// The staff screens' top bar: title, who is signed in, and 中止 (which writes nothing).
void staff_header(AppState& app, Ui& ui, text::Msg title);
// Staff picker + passcode pad (職員認証 and ロック).
void passcode_panel(AppState& app, Ui& ui, const flow::AuthPanel& auth);
// Seconds left until `ms_epoch` by the visit clock, for countdowns; asks for a wake-up each second.
int countdown_seconds(AppState& app, int64_t until_ms, int64_t now_ms);
// A date for people: 令和3年8月1日 from ISO ("" stays "").
std::string wareki(const std::string& iso);
// The catalogue's text for a message id (+ its parameters).
using text::ja;
using text::Msg;

}  // namespace onshi::kiosk
