// 差分確認: the compact two-column diff of the 患者原簿 against the OQS answer, as in the seed:
// differing rows green, 全表示, 上書き with checkboxes, 更新する with a 切替日 dialog, キャンセル,
// 特健・薬剤等を取得する; a candidate picker when matching is ambiguous; 新患 registration.
#include "app/kiosk/screens/screens.hpp"
#include "core/oqs/result.hpp"
#include "core/rules/date.hpp"

namespace onshi::kiosk {
namespace {

using diff::Classification;

const char* headline(Classification c) {
    switch (c) {
        case Classification::Unchanged: return "原簿の内容はオンライン資格確認と同じです";
        case Classification::ExtendOnly: return "有効期限の延長・枝番の追加です（上書き）";
        case Classification::Overwrite: return "緑色の項目が異なります。上書きする項目を選んでください";
        case Classification::SwitchCard: return "保険証が変わっています。更新すると切替日で切り替えます";
        case Classification::NewPatient: return "原簿にいない患者さんです。新患として登録できます";
        case Classification::NoValidCard: return "有効な資格がありません";
        case Classification::Error: return "資格確認でエラーになりました";
    }
    return "";
}

void candidate_picker(AppState& app, Ui& ui, const flow::Visit& v) {
    ui::text(ui, "該当する可能性のある患者さんが複数います。正しい患者さんを選んでください", ui.fonts.body());
    for (const auto& c : v.match.candidates) {
        std::string id = "candidate:" + c.karte;
        std::string label = "カルテ " + c.karte + "  " + c.kanji_name + "（" + c.kana_name + "）  " + wareki(c.birth);
        if (ui::button(ui, id.c_str(), label, ImVec2(ImGui::GetContentRegionAvail().x, ui.px(64))))
            app.emit(flow::in::ChooseCandidate{c.karte});
    }
    if (ui::button(ui, "new-patient", "どれでもない（新患として登録）", ImVec2(ui.px(420), ui.px(64)), Tone::Quiet))
        app.emit(flow::in::ChooseNewPatient{});
}

void switch_dialog(AppState& app, Ui& ui, const flow::Visit& v) {
    Entries& e = app.entries;
    if (e.switch_year == 0) {  // prefill once from the flow (資格取得日 / 保険有効開始日)
        auto d = rules::Date::from_iso(v.switch_date);
        if (d) e.switch_year = d->year, e.switch_month = d->month, e.switch_day = d->day;
    }
    ImGui::Separator();
    ui::text(ui, "[保険] を切り替える日付（切替日）を指定してください", ui.fonts.body());
    ui::text(ui, "新しい保険証が有効になる開始日です。一般的に「資格取得日」「交付日」です。", ui.fonts.body(), ui::kGrey);
    rules::Date d{e.switch_year, e.switch_month, e.switch_day};
    std::string shown = d.valid() ? wareki(d.iso()) : "（日付が正しくありません）";
    ui::text(ui, "切替日: " + shown, ui.fonts.title(), ui::kBlue);
    // Touch steppers instead of a text field: no keyboard at the counter.
    struct Part { const char* id; const char* label; int* value; int lo, hi; };
    Part parts[] = {{"year", "年", &e.switch_year, 1900, 2100}, {"month", "月", &e.switch_month, 1, 12},
                    {"day", "日", &e.switch_day, 1, 31}};
    for (auto& p : parts) {
        std::string minus = std::string("switch:") + p.id + ":-", plus = std::string("switch:") + p.id + ":+";
        if (ui::button(ui, minus.c_str(), std::string("－") + p.label, ImVec2(ui.px(110), ui.px(60)))) *p.value = std::max(p.lo, *p.value - 1);
        ImGui::SameLine();
        if (ui::button(ui, plus.c_str(), std::string("＋") + p.label, ImVec2(ui.px(110), ui.px(60)))) *p.value = std::min(p.hi, *p.value + 1);
        ImGui::SameLine(0, ui.px(32));
    }
    ImGui::NewLine();
    if (ui::button(ui, "switch:ok", "OK（切り替える）", ImVec2(ui.px(300), ui.px(72)), Tone::Primary, d.valid()))
        app.emit(flow::in::ConfirmSwitch{d.iso()});
    ImGui::SameLine();
    if (ui::button(ui, "switch:cancel", "キャンセル", ImVec2(ui.px(200), ui.px(72)), Tone::Quiet)) {
        app.emit(flow::in::CancelSwitch{});
        e.switch_year = 0;
    }
}

void diff_table(AppState& app, Ui& ui, const flow::Visit& v, float height) {
    const auto& d = *v.diff;
    const float row_h = ui.px(38);
    const float pad = ImGui::GetStyle().WindowPadding.x;
    const float label_w = ui.px(190);
    // Column starts are measured from the rows region's left edge; the headers sit `pad` further out.
    const float width = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    const float check_w = v.overwrite_mode ? ui.px(60) : 0;
    const float col = (width - label_w - check_w) / 2;
    ui::text(ui, "項目", ui.fonts.body(), ui::kGrey);
    ImGui::SameLine(pad + label_w);
    ui::text(ui, "現在の情報", ui.fonts.body(), ui::kGrey);
    ImGui::SameLine(pad + label_w + col);
    ui::text(ui, "オンライン資格確認", ui.fonts.body(), ui::kGrey);
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
        if (row.differs) dl->AddRectFilled(ImVec2(wx + label_w + col - ui.px(6), y0), ImVec2(wx + width, y0 + row_h), ui::kGreen);
        dl->AddLine(ImVec2(wx, y0 + row_h), ImVec2(wx + width, y0 + row_h), IM_COL32(220, 220, 220, 255));
        float y = ImGui::GetCursorPosY();
        ImGui::SetCursorPosY(y + ui.px(4));
        ui::text(ui, row.label, ui.fonts.body());
        ImGui::SameLine(label_w);
        ui::text(ui, row.current.empty() ? " " : row.current, ui.fonts.body());
        ImGui::SameLine(label_w + col);
        ui::text(ui, row.online.empty() ? " " : row.online, ui.fonts.body());
        if (v.overwrite_mode) {
            ImGui::SameLine(width - check_w + ui.px(6));
            ImGui::SetCursorPosY(y - ui.px(5));
            std::string id = std::string("overwrite:") + ledger::column_of(row.field);
            if (ui::toggle(ui, id.c_str(), v.checked.count(row.field) > 0, ui::kMinTarget * ui.scale, row.online_carried))
                app.emit(flow::in::ToggleField{row.field});
        }
        ImGui::SetCursorPosY(y + row_h + ui.px(2));
    }
    if (shown == 0) ui::text(ui, "異なる項目はありません（全表示ですべての項目を見られます）", ui.fonts.body(), ui::kGrey);
    ImGui::EndChild();
}

}  // namespace

void draw_diff(AppState& app, Ui& ui) {
    const flow::Visit& v = *app.visit;
    staff_header(app, ui, "差分確認");
    if (v.result) {
        std::string status = v.result->label();
        ImU32 color = v.result->status == oqs::Status::Valid ? IM_COL32(0, 120, 60, 255) : ui::kRed;
        ui::text_wrapped(ui, "資格: " + status, ui.fonts.title(), color);
        std::string who = v.patient ? "カルテ " + v.patient->patient.karte + "  " + v.patient->patient.kanji_name
                                    : std::string("原簿の患者: なし");
        std::string ref = v.patient && !v.patient->reference_number().empty() ? v.patient->reference_number() : "未登録";
        ui::text(ui, who + "    照会番号: " + ref, ui.fonts.body(), ui::kGrey);
    }
    if (v.choosing_patient) {
        candidate_picker(app, ui, v);
        return;
    }
    if (!v.diff) return;
    const auto& d = *v.diff;
    ui::text(ui, headline(d.classification), ui.fonts.body());
    if (!d.guidance_ja.empty()) ui::text_wrapped(ui, d.guidance_ja, ui.fonts.body(), ui::kRed);
    if (!v.diff_message_ja.empty()) ui::text_wrapped(ui, v.diff_message_ja, ui.fonts.body(), ui::kRed);

    if (v.switch_dialog) {
        switch_dialog(app, ui, v);
        return;
    }
    const bool writable = d.classification != Classification::NoValidCard && d.classification != Classification::Error;
    const ImVec2 tsize(ui.px(150), ui.px(56));
    if (ui::button(ui, "show-all", v.show_all ? "差分のみ" : "全表示", tsize, v.show_all ? Tone::Primary : Tone::Normal))
        app.emit(flow::in::SetShowAll{!v.show_all});
    if (writable && d.classification != Classification::NewPatient) ImGui::SameLine();
    if (writable && d.classification != Classification::NewPatient &&
        ui::button(ui, "overwrite-mode", "上書き", tsize, v.overwrite_mode ? Tone::Primary : Tone::Normal))
        app.emit(flow::in::SetOverwriteMode{!v.overwrite_mode});
    // The action row sits at the bottom, always in the same place.
    const ImVec2 act(ui.px(250), ui.px(72));
    const float action_y = ImGui::GetWindowHeight() - act.y - ui.px(20);
    const float header_h = ImGui::GetTextLineHeightWithSpacing();
    if (v.result && !v.result->records.empty())  // an エラー answer carries no person: nothing to compare
        diff_table(app, ui, v, std::max(ui.px(80), action_y - ImGui::GetCursorPosY() - header_h - ui.px(24)));
    ImGui::SetCursorPosY(action_y);
    if (d.classification == Classification::NewPatient) {
        if (ui::button(ui, "register", "新患登録する", act, Tone::Primary)) app.emit(flow::in::Register{});
        ImGui::SameLine();
    } else if (writable && d.classification != Classification::Unchanged) {
        if (ui::button(ui, "update", "更新する", act, Tone::Primary)) app.emit(flow::in::Update{});
        ImGui::SameLine();
    } else if (writable && v.overwrite_mode) {
        if (ui::button(ui, "update", "更新する", act, Tone::Primary)) app.emit(flow::in::Update{});
        ImGui::SameLine();
    }
    if (d.offer_medical_info) {
        if (ui::button(ui, "fetch-medical", "特健・薬剤等を取得する", ImVec2(ui.px(340), act.y), Tone::Primary))
            app.emit(flow::in::FetchMedicalInfo{});
        ImGui::SameLine();
    }
    const char* cancel = writable ? "キャンセル" : "確認しました";
    if (ui::button(ui, "cancel", cancel, act, Tone::Quiet)) app.emit(flow::in::Cancel{});
}

}  // namespace onshi::kiosk
