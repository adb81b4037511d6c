// 待機: patient-facing. Nothing personal is ever shown here.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_standby(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImGui::Dummy(ImVec2(0, avail.y * 0.22f));
    ui::text_centered(ui, ja(Msg::PlaceCard), ui.fonts.title());
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ui::text_centered(ui, ja(Msg::PlaceInsuranceCard), ui.fonts.body(), IM_COL32(80, 80, 80, 255));
    if (view.devices.problem != Msg::None) {
        ImGui::Dummy(ImVec2(0, ui.px(24)));
        ui::text_centered(ui, ja(view.devices.problem), ui.fonts.body(), ui::kRed);
    }

    // 研修モード: pick what the emulator card and the simulated terminal will do. The switch runs after the
    // frame on a worker; until it is done no visit can start (the old card may still be on the reader).
    if (!view.scenarios.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(28)));
        ui::text_centered(
            ui, ja(Msg::TrainingScenario, -1, -1, ja(view.scenario == Msg::None ? Msg::ScenarioNone : view.scenario)),
            ui.fonts.body(), ui::kBlue);
        if (!view.scenario_message.empty()) ui::text_centered(ui, ja(view.scenario_message), ui.fonts.body(), ui::kRed);
        const float w = ui.px(168), h = ui.px(56), gap = ImGui::GetStyle().ItemSpacing.x;
        // As many buttons a row as fit, each row centred: every scenario stays on screen.
        const float usable = ImGui::GetWindowWidth() - 2 * ui.px(12);
        const size_t per_row = std::max<size_t>(1, size_t((usable + gap) / (w + gap)));
        for (size_t i = 0; i < view.scenarios.size(); ++i) {
            const auto& s = view.scenarios[i];
            std::string id = "scenario:" + s.id;
            if (i % per_row == 0) {
                const size_t n = std::min(per_row, view.scenarios.size() - i);
                ImGui::SetCursorPosX((ImGui::GetWindowWidth() - (float(n) * (w + gap) - gap)) / 2);
            } else {
                ImGui::SameLine();
            }
            if (ui::button(ui, id.c_str(), ja(s.label), ImVec2(w, h),
                           s.label == view.scenario ? Tone::Primary : Tone::Quiet, !view.scenario_switching))
                out.request(action::PickScenario{s.id});
        }
    }

    // A discreet staff entry in the bottom-right corner, still a full touch target; only while somebody can sign
    // in (an active member with a passcode), as the face-auth reader shows its own 職員用.
    const auto* st = view.visit->as<flow::state::Standby>();
    if (!st || !st->staff_button) return;
    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(
        ImVec2(ImGui::GetWindowWidth() - size.x - ui.px(24), ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "staff", ja(Msg::StaffButton), size, Tone::Quiet, !view.scenario_switching))
        out.emit(flow::in::StaffButton{});
}

}  // namespace onshi::kiosk
