// 差分確認: the compact two-column diff of the 患者原簿 against the OQS answer, as on the clinic manual's
// 差分確認 screen: differing rows green, 全表示, 上書き with checkboxes, 更新する with a 切替日 dialog,
// キャンセル, 特健・薬剤等を取得する; a candidate picker when matching is ambiguous; 新患 registration.
// Which of these are offered comes from the flow (flow::state::Diff::actions).
#include "app/kiosk/screens/screens.hpp"
#include "core/oqs/result.hpp"
#include "core/rules/date.hpp"

namespace onshi::kiosk {
namespace {

using flow::state::Diff;

// 資格確認日 as the manual shows it (令和5年6月5日 09:30): the answer's processing time, else its date.
std::string checked_on(const oqs::QualificationResult& r) {
    const std::string t = r.header.process_execution_time.value_or("");
    if (auto d = rules::Date::from_oqs(t.substr(0, 8))) {
        std::string out = wareki(d->iso());
        if (t.size() >= 12) out += " " + t.substr(8, 2) + ":" + t.substr(10, 2);
        return out;
    }
    auto d = rules::Date::from_oqs(r.header.qualification_confirmation_date.value_or(""));
    return d ? wareki(d->iso()) : "";
}

// The clinic manual's header of the answer: 資格確認日, 漢字氏名, カナ氏名, 性別, 生年月日, 保険者番号, 照会番号
// (the one linked in the 原簿, else 未登録).
void answer_header(Ui& ui, const Diff& v) {
    const oqs::QualificationRecord* rec = v.record_index < v.result.records.size() ? &v.result.records[v.record_index]
                                                                                  : nullptr;
    auto value = [&](const oqs::Text oqs::QualificationRecord::*f) { return rec ? (rec->*f).value_or("") : ""; };
    std::string ref = v.patient && !v.patient->reference_number().empty() ? v.patient->reference_number()
                                                                          : ja(Msg::NotRegistered);
    std::string sex = rec && rec->sex1 ? ja(sex_label(*rec->sex1)) : "";
    std::string birth;
    if (auto d = rules::Date::from_oqs(value(&oqs::QualificationRecord::birthdate))) birth = wareki(d->iso());
    ui::fields(ui, {{ja(Msg::HeaderCheckedOn), checked_on(v.result)},
                    {ja(Msg::HeaderKanjiName), value(&oqs::QualificationRecord::name)},
                    {ja(Msg::HeaderKanaName), value(&oqs::QualificationRecord::name_kana)},
                    {ja(Msg::HeaderSex), sex},
                    {ja(Msg::HeaderBirth), birth},
                    {ja(Msg::HeaderInsurer), value(&oqs::QualificationRecord::insurer_number)},
                    {ja(Msg::HeaderReference), ref}});
}

void candidate_picker(FrameOutput& out, Ui& ui, const Diff& v) {
    ui::text(ui, ja(Msg::ChooseCandidatePrompt), ui.fonts.body());
    for (const auto& c : v.match.candidates) {
        std::string id = "candidate:" + c.karte;
        std::string label = ja(Msg::CandidateLabel, -1, -1, c.karte) + "  " +
                            ja(Msg::CandidateNames, -1, -1, c.kanji_name, c.kana_name) + "  " + wareki(c.birth);
        if (ui::button(ui, id.c_str(), label, ImVec2(ImGui::GetContentRegionAvail().x, ui.px(64))))
            out.emit(flow::in::ChooseCandidate{c.karte});
    }
    if (ui::button(ui, "new-patient", ja(Msg::NoneOfThem), ImVec2(ui.px(420), ui.px(64)), Tone::Quiet))
        out.emit(flow::in::ChooseNewPatient{});
}

void switch_dialog(FrameOutput& out, Entries& e, Ui& ui, const Diff& v) {
    if (e.switch_year == 0) {  // prefill once from the flow (資格取得日 / 保険有効開始日)
        auto d = rules::Date::from_iso(v.switch_date);
        if (d) e.switch_year = d->year, e.switch_month = d->month, e.switch_day = d->day;
    }
    ImGui::Separator();
    ui::text(ui, ja(Msg::SwitchDatePrompt), ui.fonts.body());
    ui::text(ui, ja(Msg::SwitchDateHint), ui.fonts.body(), ui::kGrey);
    rules::Date d{e.switch_year, e.switch_month, e.switch_day};
    std::string shown = d.valid() ? wareki(d.iso()) : ja(Msg::SwitchDateInvalidShown);
    ui::text(ui, ja(Msg::SwitchDateShown, -1, -1, shown), ui.fonts.title(), ui::kBlue);
    // Touch steppers instead of a text field: no keyboard at the counter.
    struct Part {
        const char* id;
        Msg label;
        int* value;
        int lo, hi;
    };
    Part parts[] = {{"year", Msg::PartYear, &e.switch_year, 1900, 2100},
                    {"month", Msg::PartMonth, &e.switch_month, 1, 12},
                    {"day", Msg::PartDay, &e.switch_day, 1, 31}};
    for (auto& p : parts) {
        std::string minus = std::string("switch:") + p.id + ":-", plus = std::string("switch:") + p.id + ":+";
        if (ui::button(ui, minus.c_str(), ja(Msg::StepDown, -1, -1, ja(p.label)), ImVec2(ui.px(110), ui.px(60))))
            *p.value = std::max(p.lo, *p.value - 1);
        ImGui::SameLine();
        if (ui::button(ui, plus.c_str(), ja(Msg::StepUp, -1, -1, ja(p.label)), ImVec2(ui.px(110), ui.px(60))))
            *p.value = std::min(p.hi, *p.value + 1);
        ImGui::SameLine(0, ui.px(32));
    }
    ImGui::NewLine();
    if (ui::button(ui, "switch:ok", ja(Msg::SwitchOk), ImVec2(ui.px(300), ui.px(72)), Tone::Primary, d.valid()))
        out.emit(flow::in::ConfirmSwitch{d.iso()});
    ImGui::SameLine();
    if (ui::button(ui, "switch:cancel", ja(Msg::Cancel), ImVec2(ui.px(200), ui.px(72)), Tone::Quiet)) {
        out.emit(flow::in::CancelSwitch{});
        e.switch_year = 0;
    }
}

void diff_table(FrameOutput& out, Ui& ui, const Diff& v, float height) {
    const auto& d = *v.diff;
    // A row holds its 上書き checkbox whole: never under the touch minimum, never over the next row.
    const float row_h = v.overwrite_mode ? std::max(ui.px(38), ui.min_target() + ui.px(2)) : ui.px(38);
    const float pad = ImGui::GetStyle().WindowPadding.x;
    const float label_w = ui.px(190);
    // Column starts are measured from the rows region's left edge; the headers sit `pad` further out.
    const float width = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    const float check_w = v.overwrite_mode ? ui.min_target() + ui.px(12) : 0;
    const float col = (width - label_w - check_w) / 2;
    ui::text(ui, ja(Msg::ColumnField), ui.fonts.body(), ui::kGrey);
    ImGui::SameLine(pad + label_w);
    ui::text(ui, ja(Msg::ColumnCurrent), ui.fonts.body(), ui::kGrey);
    ImGui::SameLine(pad + label_w + col);
    ui::text(ui, ja(Msg::ColumnOnline), ui.fonts.body(), ui::kGrey);
    // The rows scroll inside their own region so the action row below never leaves the screen;
    // a finger drags it (ImGui has no touch scrolling of its own).
    ImGui::BeginChild("##rows", ImVec2(0, height), false, ImGuiWindowFlags_NoScrollWithMouse);
    if (ImGui::IsWindowHovered() && ImGui::IsMouseDragging(ImGuiMouseButton_Left))
        ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float wx = ImGui::GetWindowPos().x;
    int shown = 0;
    for (const auto& row : d.rows) {
        if (!v.show_all && !row.differs) continue;
        ++shown;
        const float y0 = ImGui::GetCursorScreenPos().y;
        if (row.differs)
            dl->AddRectFilled(ImVec2(wx + label_w + col - ui.px(6), y0), ImVec2(wx + width, y0 + row_h), ui::kGreen);
        dl->AddLine(ImVec2(wx, y0 + row_h), ImVec2(wx + width, y0 + row_h), IM_COL32(220, 220, 220, 255));
        float y = ImGui::GetCursorPosY();
        ImGui::SetCursorPosY(y + (row_h - ImGui::GetTextLineHeight()) / 2);
        ui::text(ui, row.label, ui.fonts.body());
        ImGui::SameLine(label_w);
        ui::text(ui, row.current.empty() ? " " : row.current, ui.fonts.body());
        ImGui::SameLine(label_w + col);
        ui::text(ui, row.online.empty() ? " " : row.online, ui.fonts.body());
        if (v.overwrite_mode) {
            ImGui::SameLine(width - check_w + ui.px(6));
            ImGui::SetCursorPosY(y + (row_h - ui.min_target()) / 2);
            std::string id = std::string("overwrite:") + ledger::column_of(row.field);
            if (ui::toggle(ui, id.c_str(), v.checked.count(row.field) > 0, ui.min_target(),
                           row.online_carried))
                out.emit(flow::in::ToggleField{row.field});
        }
        ImGui::SetCursorPosY(y + row_h + ui.px(2));
    }
    if (shown == 0) ui::text(ui, ja(Msg::NoDifferingRows), ui.fonts.body(), ui::kGrey);
    ImGui::EndChild();
}

}  // namespace

void draw_diff(const View& view, FrameOutput& out, Entries& entries, Ui& ui) {
    staff_header(view, out, ui, Msg::TitleDiff);
    const Diff* found = view.visit->as<Diff>();
    if (!found) return;
    const Diff& v = *found;
    {
        ImU32 color = v.result.status == oqs::Status::Valid ? IM_COL32(0, 120, 60, 255) : ui::kRed;
        ui::text_wrapped(ui, ja(Msg::QualificationStatus, -1, -1, v.result.label()), ui.fonts.title(), color);
        answer_header(ui, v);
    }
    if (v.choosing_patient) {
        candidate_picker(out, ui, v);
        return;
    }
    if (!v.diff) return;
    const auto& d = *v.diff;
    const flow::DiffActions& can = v.actions;
    ui::text(ui, ja(v.headline), ui.fonts.body());
    if (!d.guidance.empty()) ui::text_wrapped(ui, ja(d.guidance), ui.fonts.body(), ui::kRed);
    if (!v.message.empty()) ui::text_wrapped(ui, ja(v.message), ui.fonts.body(), ui::kRed);

    if (v.switch_dialog) {
        switch_dialog(out, entries, ui, v);
        return;
    }
    const ImVec2 tsize(ui.px(150), ui.px(56));
    if (ui::button(ui, "show-all", ja(v.show_all ? Msg::ShowDiffOnly : Msg::ShowAll), tsize,
                   v.show_all ? Tone::Primary : Tone::Normal))
        out.emit(flow::in::SetShowAll{!v.show_all});
    if (can.overwrite_toggle) {
        ImGui::SameLine();
        if (ui::button(ui, "overwrite-mode", ja(Msg::OverwriteMode), tsize,
                       v.overwrite_mode ? Tone::Primary : Tone::Normal))
            out.emit(flow::in::SetOverwriteMode{!v.overwrite_mode});
    }
    // The action row sits at the bottom, always in the same place.
    const ImVec2 act(ui.px(250), ui.px(72));
    const float action_y = ImGui::GetWindowHeight() - act.y - ui.px(20);
    const float header_h = ImGui::GetTextLineHeightWithSpacing();
    if (!v.result.records.empty())  // an エラー answer carries no person: nothing to compare
        diff_table(out, ui, v, std::max(ui.px(80), action_y - ImGui::GetCursorPosY() - header_h - ui.px(24)));
    ImGui::SetCursorPosY(action_y);
    if (can.register_patient) {
        if (ui::button(ui, "register", ja(Msg::RegisterNewPatient), act, Tone::Primary)) out.emit(flow::in::Register{});
        ImGui::SameLine();
    } else if (can.update) {
        if (ui::button(ui, "update", ja(Msg::Update), act, Tone::Primary)) out.emit(flow::in::Update{});
        ImGui::SameLine();
    }
    if (can.fetch_medical_info) {
        if (ui::button(ui, "fetch-medical", ja(Msg::FetchMedicalInfo), ImVec2(ui.px(340), act.y), Tone::Primary))
            out.emit(flow::in::FetchMedicalInfo{});
        ImGui::SameLine();
    }
    if (ui::button(ui, "cancel", ja(can.record_only ? Msg::Acknowledged : Msg::Cancel), act, Tone::Quiet))
        out.emit(flow::in::Cancel{});
}

}  // namespace onshi::kiosk
