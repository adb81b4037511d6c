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
    const std::string t = r.header->process_execution_time.value_or("");
    if (auto d = rules::Date::from_oqs(t.substr(0, 8))) {
        std::string out = wareki(d->iso());
        if (t.size() >= 12) out += " " + t.substr(8, 2) + ":" + t.substr(10, 2);
        return out;
    }
    auto d = rules::Date::from_oqs(r.header->qualification_confirmation_date.value_or(""));
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

Entries::Date entry_of(const std::string& iso) {
    auto d = rules::Date::from_iso(iso);
    return d ? Entries::Date{d->year, d->month, d->day} : Entries::Date{};
}

rules::Date date_of(const Entries::Date& e) { return {e.year, e.month, e.day}; }

// One date of the dialog: what it reads as, then touch steppers for 年, 月, 日 (no keyboard at the counter).
// `id` prefixes the buttons ("switch" → switch:year:-, switch:day:+ …).
void date_row(Ui& ui, const std::string& id, Msg shown_as, Entries::Date& e) {
    const rules::Date d = date_of(e);
    const std::string shown = ja(shown_as, -1, -1, d.valid() ? wareki(d.iso()) : ja(Msg::SwitchDateInvalidShown));
    const ImVec2 step(ui.px(92), ui.px(56));
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float steppers = 6 * step.x + 5 * gap + 2 * ui.px(16);
    const float text_w = ui.px(440);
    // The steppers sit right of the date when the line is wide enough, else under it.
    const bool one_line = ImGui::GetContentRegionAvail().x >= text_w + steppers;
    const float y = ImGui::GetCursorPosY();
    if (one_line) ImGui::SetCursorPosY(y + (step.y - ImGui::GetTextLineHeight()) / 2);
    ui::text(ui, shown, ui.fonts.body(), d.valid() ? ui::kBlue : ui::kRed);
    if (one_line) {
        ImGui::SameLine(text_w);
        ImGui::SetCursorPosY(y);
    }
    // A step moves to the next real date: 8月1日 −日 is 7月31日, 1月 −月 the December before, 3月31日 −月 2月28日.
    auto step_month = [](rules::Date x, int by) {
        const int m = x.year * 12 + (x.month - 1) + by;
        x.year = m / 12;
        x.month = m % 12 + 1;
        x.day = std::min(x.day, rules::days_in_month(x.year, x.month));
        return x;
    };
    const std::pair<const char*, Msg> parts[] = {{"year", Msg::PartYear}, {"month", Msg::PartMonth}, {"day", Msg::PartDay}};
    for (size_t i = 0; i < std::size(parts); ++i) {
        if (i) ImGui::SameLine(0, ui.px(16));
        const std::string minus = id + ":" + parts[i].first + ":-", plus = id + ":" + parts[i].first + ":+";
        for (const int by : {-1, 1}) {
            if (by > 0) ImGui::SameLine();
            const std::string& bid = by < 0 ? minus : plus;
            const std::string label = ja(by < 0 ? Msg::StepDown : Msg::StepUp, -1, -1, ja(parts[i].second));
            if (!ui::button(ui, bid.c_str(), label, step, Tone::Normal, d.valid())) continue;
            const rules::Date next = i == 0 ? step_month(d, 12 * by) : i == 1 ? step_month(d, by) : d.add_days(by);
            if (next.year >= 1900 && next.year <= 2100) e = {next.year, next.month, next.day};
        }
    }
}

// 更新 of a different card, as the manual's dialog: 切替日 (prefilled from the answer's 保険有効開始日 row),
// 保険有効開始日 and 限度額開始日 of the new card (from the answer's rows; 限度額 only when it sent one). The flow
// checks them (diff::switch_dates_problem) and says what is wrong.
void switch_dialog(FrameOutput& out, Entries& e, Ui& ui, const Diff& v) {
    if (!e.switch_prefilled) {  // once, from the flow
        e.switch_date = entry_of(v.switch_date);
        e.valid_from = entry_of(v.valid_from.empty() ? v.switch_date : v.valid_from);
        e.limit_from = entry_of(v.limit_from);
        e.switch_prefilled = true;
    }
    ImGui::Separator();
    ui::text_wrapped(ui, ja(Msg::SwitchDatePrompt), ui.fonts.body());
    ui::text_wrapped(ui, ja(Msg::SwitchDateHint), ui.fonts.body(), ui::kGrey);
    date_row(ui, "switch", Msg::SwitchDateShown, e.switch_date);
    date_row(ui, "switch:valid_from", Msg::SwitchValidFromShown, e.valid_from);
    const bool has_limit = !v.limit_from.empty();
    if (has_limit)
        date_row(ui, "switch:limit_from", Msg::SwitchLimitFromShown, e.limit_from);
    else
        ui::text(ui, ja(Msg::SwitchLimitFromNone), ui.fonts.body(), ui::kGrey);
    const rules::Date sw = date_of(e.switch_date), from = date_of(e.valid_from), limit = date_of(e.limit_from);
    const bool ready = sw.valid() && from.valid() && (!has_limit || limit.valid());
    if (ui::button(ui, "switch:ok", ja(Msg::SwitchOk), ImVec2(ui.px(300), ui.px(64)), Tone::Primary, ready))
        out.emit(flow::in::ConfirmSwitch{sw.iso(), from.iso(), has_limit ? limit.iso() : ""});
    ImGui::SameLine();
    if (ui::button(ui, "switch:cancel", ja(Msg::Cancel), ImVec2(ui.px(200), ui.px(64)), Tone::Quiet)) {
        out.emit(flow::in::CancelSwitch{});
        e.switch_prefilled = false;
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
