#include "app/kiosk/screens/screens.hpp"

#include "app/kiosk/widgets/pin_pad.hpp"
#include "core/rules/wareki.hpp"

namespace onshi::kiosk {

std::string wareki(const std::string& iso) {
    auto d = rules::Date::from_iso(iso);
    return d ? rules::format_wareki(*d) : iso;
}

Msg sex_label(const std::string& s) { return s == "1" ? Msg::SexMale : s == "2" ? Msg::SexFemale : Msg::SexUnknown; }

void staff_header(const View& view, FrameOutput& out, Ui& ui, Msg title) {
    const float h = ui.px(64);
    ImGui::PushFont(ui.fonts.title());
    ui::text(ui, ja(title));
    ImGui::PopFont();
    const ImVec2 abort_size(ui.px(150), h);
    float right = ImGui::GetWindowContentRegionMax().x;
    if (view.visit && !view.visit->staff_name.empty()) {
        std::string who = ja(Msg::StaffInCharge, -1, -1, view.visit->staff_name);
        ImGui::SameLine(right - abort_size.x - ImGui::CalcTextSize(who.c_str()).x - ui.px(24));
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ui.px(14));
        ui::text(ui, who, ui.fonts.body(), ui::kGrey);
    }
    ImGui::SameLine(right - abort_size.x);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ui.px(14));
    if (ui::button(ui, "abort", ja(Msg::Abort), abort_size, Tone::Danger)) out.emit(flow::in::Abort{});
    ImGui::Separator();
}

int countdown_seconds(const View& view, FrameOutput& out, int64_t until_ms) {
    int64_t left = until_ms - view.clock_ms;
    if (left <= 0) return 0;
    // Wake at the next whole second so the number changes without redrawing in between.
    double next = view.now + double(left % 1000 == 0 ? 1000 : left % 1000) / 1000.0;
    out.wake_by(next);
    return int((left + 999) / 1000);
}

void passcode_panel(const View& view, FrameOutput& out, Entries& entries, Ui& ui, const flow::AuthPanel& auth) {
    const flow::Visit& v = *view.visit;
    // Staff pick their own name first, so each passcode (and lockout) is theirs.
    if (v.staff.size() > 1) {
        for (const auto& s : v.staff) {
            std::string id = "staff:" + s.id;
            bool chosen = s.id == v.staff_id;
            if (ui::button(ui, id.c_str(), s.name, ImVec2(ui.px(200), ui.px(56)),
                           chosen ? Tone::Primary : Tone::Normal))
                out.emit(flow::in::SelectStaff{s.id});
            ImGui::SameLine();
        }
        ImGui::NewLine();
    }
    if (v.staff_id.empty()) {
        ui::text_centered(ui, ja(Msg::ChooseYourName), ui.fonts.body());
        return;
    }
    ui::text_centered(ui, ja(Msg::PasscodePrompt, int(auth.min_digits), int(auth.max_digits), v.staff_name),
                      ui.fonts.body());
    PinPadSpec spec;
    spec.min_digits = auth.min_digits;
    spec.max_digits = auth.max_digits;
    int left = countdown_seconds(view, out, auth.locked_until_ms);
    if (left > 0) {
        ui::text_centered(ui, auth.message.empty() ? ja(Msg::LockedOut) : ja(auth.message), ui.fonts.body(), ui::kRed);
        ui::text_centered(ui, ja(Msg::LockoutCountdown, left / 60, left % 60), ui.fonts.title(), ui::kRed);
        spec.enabled = false;
    } else if (!auth.message.empty()) {
        ui::text_centered(ui, ja(auth.message), ui.fonts.body(), ui::kRed);
    }
    if (pin_pad(ui, entries.passcode, spec) == PadResult::Submit) {
        out.emit(flow::in::Passcode{entries.passcode});
        entries.passcode.clear();
    }
}

}  // namespace onshi::kiosk
