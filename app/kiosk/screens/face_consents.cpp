// 受け取った結果: the face result taken for this visit — its status and the consents the patient chose on the
// face-auth reader — then 差分確認 as for every answer.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {

void draw_face_consents(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    const auto* c = view.visit->as<flow::state::FaceConsents>();
    staff_header(view, out, ui, Msg::TitleFaceConsents);
    if (!c) return;
    const auto& result = c->face.result;
    ImGui::Dummy(ImVec2(0, ui.px(8)));
    ImGui::Indent(ui.px(80));
    ui::text(ui, ja(Msg::QualificationStatus, -1, -1, result.label()), ui.fonts.title());
    if (c->record_index < result.records.size()) {
        const auto& rec = result.records[c->record_index];
        ui::text(ui, ja(Msg::ResultName, -1, -1, rec.name.value_or(rec.name_kana.value_or(""))), ui.fonts.body());
    }
    if (c->claimed) ui::text(ui, ja(Msg::ClaimedNote), ui.fonts.body(), ui::kBlue);
    ImGui::Dummy(ImVec2(0, ui.px(8)));
    ui::text(ui, ja(Msg::ConsentsReceived), ui.fonts.body(), ui::kGrey);
    ImGui::Separator();
    const auto& qs = flow::consent_questions();
    for (size_t i = 0; i < flow::kConsentCount; ++i) {
        const auto& answer = view.visit->consents[i];
        ui::text(ui, ja(qs[i].title), ui.fonts.body());
        ImGui::SameLine(ui.px(420));
        const Msg word = !answer ? Msg::ConsentNotAnswered : *answer ? Msg::ConsentGiven : Msg::ConsentRefused;
        ui::text(ui, ja(word), ui.fonts.body(), answer && *answer ? ui::kBlue : ui::kGrey);
    }
    ImGui::Separator();
    ImGui::Dummy(ImVec2(0, ui.px(12)));
    ui::text(ui, ja(Msg::ReaderModeBack), ui.fonts.body(), ui::kGrey);
    ImGui::Unindent(ui.px(80));
    ImGui::Dummy(ImVec2(0, ui.px(8)));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ui.px(300)) / 2);
    if (ui::button(ui, "to-diff", ja(Msg::ToDiff), ImVec2(ui.px(300), ui.px(80)), Tone::Primary))
        out.emit(flow::in::ShowDiff{});
}

}  // namespace onshi::kiosk
