// 待機: patient-facing. Nothing personal is ever shown here.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_standby(AppState& app, Ui& ui) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImGui::Dummy(ImVec2(0, avail.y * 0.22f));
    ui::text_centered(ui, ja(Msg::PlaceCard), ui.fonts.title());
    ImGui::Dummy(ImVec2(0, ui.px(16)));
    ui::text_centered(ui, ja(Msg::PlaceInsuranceCard), ui.fonts.body(), IM_COL32(80, 80, 80, 255));
    if (!app.devices.message_ja.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(24)));
        ui::text_centered(ui, app.devices.message_ja, ui.fonts.body(), ui::kRed);
    }

    // 研修モード: pick what the emulator card and the simulated terminal will do.
    if (!app.scenarios.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(28)));
        ui::text_centered(ui, ja(Msg::TrainingScenario, -1, -1, app.scenario.empty() ? ja(Msg::ScenarioNone) : app.scenario),
                          ui.fonts.body(), ui::kBlue);
        const float w = ui.px(168), h = ui.px(56), gap = ImGui::GetStyle().ItemSpacing.x;
        const float row = float(app.scenarios.size()) * (w + gap) - gap;
        ImGui::SetCursorPosX(std::max(ui.px(12), (ImGui::GetWindowWidth() - std::min(row, ui.px(1200))) / 2));
        float x0 = ImGui::GetCursorPosX();
        for (size_t i = 0; i < app.scenarios.size(); ++i) {
            const auto& s = app.scenarios[i];
            std::string id = "scenario:" + s.id;
            if (i && ImGui::GetCursorPosX() + w < ImGui::GetWindowWidth() - ui.px(12)) ImGui::SameLine();
            else if (i) ImGui::SetCursorPosX(x0);
            if (ui::button(ui, id.c_str(), s.label_ja, ImVec2(w, h), s.label_ja == app.scenario ? Tone::Primary : Tone::Quiet) &&
                app.pick_scenario)
                app.pick_scenario(s.id);
        }
    }

    // A discreet staff entry in the bottom-right corner, still a full touch target.
    const ImVec2 size(ui.px(160), ui.px(64));
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowWidth() - size.x - ui.px(24),
                               ImGui::GetWindowHeight() - size.y - ui.px(24)));
    if (ui::button(ui, "staff", ja(Msg::StaffButton), size, Tone::Quiet)) app.emit(flow::in::StaffButton{});
}

}  // namespace onshi::kiosk
