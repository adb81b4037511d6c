// 照会中: the card query is with the OQS terminal.
#include <cmath>

#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_querying(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* q = view.visit->as<flow::state::Querying>();
    staff_header(view, out, ui, Msg::TitleQuerying);
    ImGui::Dummy(ImVec2(0, ui.px(140)));
    // A spinner: the only animation in the kiosk, so frames keep coming only here.
    ImVec2 c = ImGui::GetCursorScreenPos();
    c.x += ImGui::GetContentRegionAvail().x / 2;
    c.y += ui.px(40);
    const float r = ui.px(32);
    const float a = float(view.now) * 4.f;
    ImGui::GetWindowDrawList()->PathArcTo(c, r, a, a + 4.5f, 32);
    ImGui::GetWindowDrawList()->PathStroke(ui::kBlue, 0, ui.px(8));
    ImGui::Dummy(ImVec2(0, ui.px(96)));
    out.animating = true;
    ui::text_centered(ui, ja(Msg::QueryingNow), ui.fonts.title());
    int64_t elapsed = q ? std::max<int64_t>(0, (view.clock_ms - q->started_ms) / 1000) : 0;
    ui::text_centered(ui, ja(Msg::SecondsElapsed, int(elapsed)), ui.fonts.body(), ui::kGrey);
}

}  // namespace onshi::kiosk
