#pragma once
// Every screen is a free draw function over AppState; the table in frontend.cpp names them.
#include "app/kiosk/app_state.hpp"
#include "app/kiosk/ui.hpp"

namespace onshi::kiosk {

struct ScreenView {
    ScreenId id;
    const char* name;        // stable id used by scripts (wait screen standby)
    bool patient_facing;     // turned to the patient: larger, plainer, nothing for staff
    void (*draw)(AppState&, Ui&);
};

void draw_standby(AppState& app, Ui& ui);
void draw_staff_auth(AppState& app, Ui& ui);

}  // namespace onshi::kiosk
