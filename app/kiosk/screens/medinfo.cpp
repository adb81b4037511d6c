// The 薬剤・健診 page: docs/medinfo.md, "Viewer".
#include "app/kiosk/screens/medinfo.hpp"

#include <algorithm>
#include <cstdio>

#include "app/kiosk/screens/screens.hpp"
#include "core/rules/date.hpp"

namespace onshi::kiosk {
namespace {

using medinfo::Highlight;
using medinfo::PageTab;
using medinfo::Text;
namespace pin = medinfo::page_in;

const char* t(Text x) { return medinfo::text(x); }

std::string fetched_line(const std::optional<ledger::MedinfoRecord>& r) {
    if (!r) return "";
    std::string at = r->fetched_at;
    std::replace(at.begin(), at.end(), 'T', ' ');
    return std::string(t(Text::Fetched)) + " " + at;
}

// A row of cells at fixed x offsets (layout units), each clipped to its column.
void cells(Ui& ui, const std::vector<std::pair<float, std::string>>& row, ImU32 color = 0) {
    const float x0 = ImGui::GetCursorPosX();
    for (size_t i = 0; i < row.size(); ++i) {
        if (i) ImGui::SameLine(x0 + ui.px(row[i].first));
        ui::text(ui, row[i].second, nullptr, color);
    }
}

void draw_drugs(const medinfo::PageState& s, Ui& ui) {
    const medinfo::DrugView& v = *s.data.drugs;
    for (const auto& [name, h] : v.flags)
        ui::banner(ui, std::string(t(Text::Caution)) + " " + medinfo::highlight_label(h) + "　" + name,
                   medinfo_highlight_color(h));
    const std::vector<float> x = {0, 130, 520, 820, 900};
    cells(ui, {{x[0], t(Text::Month)}, {x[1], t(Text::DrugName)}, {x[2], t(Text::Dose)}, {x[3], t(Text::Days)},
               {x[4], t(Text::Prescriber)}},
          ui::kGrey);
    ImGui::BeginChild("##medinfo-drugs", ImVec2(0, 0));
    for (const auto& m : v.months) {
        ui::text(ui, m.label, ui.fonts.title());
        for (const auto& r : m.rows) {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            if (r.highlight != Highlight::None) {
                const float h = ImGui::GetTextLineHeightWithSpacing();
                ImGui::GetWindowDrawList()->AddRectFilled(
                    p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + h),
                    (medinfo_highlight_color(r.highlight) & 0x00FFFFFF) | 0x40000000);
            }
            // The month is the group's heading: the day alone ("5日"); anything else as sent.
            const bool ymd = r.date.size() == 8 && r.date.find_first_not_of("0123456789") == std::string::npos;
            const std::string day = ymd ? std::to_string((r.date[6] - '0') * 10 + (r.date[7] - '0')) + "日" : r.date;
            cells(ui, {{x[0], day},
                       {x[1], r.name},
                       {x[2], r.dose},
                       {x[3], r.days},
                       {x[4], r.institution}},
                  r.highlight != Highlight::None ? ui::kRed : 0);
        }
        ImGui::Spacing();
    }
    ImGui::EndChild();
}

// A small line chart of one item's values (gaps where a year was not measured).
void trend(const medinfo::TrendItem& it, ImVec2 size) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), IM_COL32(200, 200, 200, 255));
    const size_t n = it.values.size();
    const double lo = it.min, hi = it.max > it.min ? it.max : it.min + 1;
    ImVec2 last;
    bool have_last = false;
    for (size_t i = 0; i < n; ++i) {
        if (!it.values[i]) {
            have_last = false;
            continue;
        }
        const float fx = n > 1 ? float(i) / float(n - 1) : 0.5f;
        const float fy = float((*it.values[i] - lo) / (hi - lo));
        const ImVec2 q(p.x + 6 + fx * (size.x - 12), p.y + size.y - 5 - fy * (size.y - 10));
        if (have_last) dl->AddLine(last, q, IM_COL32(0, 90, 160, 255), 2.f);
        dl->AddCircleFilled(q, 3.f, IM_COL32(0, 90, 160, 255));
        last = q;
        have_last = true;
    }
    ImGui::Dummy(size);
}

void draw_checkups(const medinfo::PageState& s, Ui& ui) {
    const medinfo::CheckupView& v = *s.data.checkups;
    const float name_w = 300, col_w = 110;
    std::vector<std::pair<float, std::string>> head = {{0, t(Text::Item)}};
    for (size_t i = 0; i < v.years.size(); ++i) head.push_back({name_w + col_w * float(i), v.years[i] + "年"});
    head.push_back({name_w + col_w * float(v.years.size()), t(Text::Trend)});
    cells(ui, head, ui::kGrey);
    ImGui::BeginChild("##medinfo-checkups", ImVec2(0, 0));
    const float row_h = ui.px(34);
    for (const auto& it : v.items) {
        std::vector<std::pair<float, std::string>> row = {{0, it.name + (it.unit.empty() ? "" : "（" + it.unit + "）")}};
        for (size_t i = 0; i < it.texts.size(); ++i) row.push_back({name_w + col_w * float(i), it.texts[i]});
        const float x0 = ImGui::GetCursorPosX();
        const float y0 = ImGui::GetCursorPosY();
        cells(ui, row);
        ImGui::SameLine(x0 + ui.px(name_w + col_w * float(v.years.size())));
        ImGui::SetCursorPosY(y0);
        trend(it, ImVec2(ui.px(180), row_h - ui.px(6)));
        ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), y0 + row_h));
    }
    ImGui::EndChild();
}

void draw_pdf(const medinfo::PdfView& v, std::vector<medinfo::PageIntent>& intents,
              Ui& ui) {
    const ImVec2 nav(ui.px(200), ui.px(56));
    if (ui::button(ui, "medinfo:prev", t(Text::PrevPage), nav, Tone::Normal, v.page > 0))
        intents.push_back(pin::PdfPage{-1});
    ImGui::SameLine();
    char pages[32];
    std::snprintf(pages, sizeof pages, "%d / %d", v.page + 1, v.doc ? v.doc->pages() : 0);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ui.px(14));
    ui::text(ui, pages);
    ImGui::SameLine();
    if (ui::button(ui, "medinfo:next", t(Text::NextPage), nav, Tone::Normal, v.doc && v.page + 1 < v.doc->pages()))
        intents.push_back(pin::PdfPage{+1});
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ui::image(ui, &v, v.image.width, v.image.height, v.image.empty() ? nullptr : v.image.pixels.data(),
              ImVec2(avail.x, std::max(avail.y, ui.px(100))), t(Text::PdfUnavailable));
}

}  // namespace

ImU32 medinfo_highlight_color(Highlight h) {
    switch (h) {
        case Highlight::Anticoagulant: return IM_COL32(190, 40, 40, 255);
        case Highlight::Bisphosphonate: return IM_COL32(160, 60, 150, 255);
        case Highlight::Antiresorptive: return IM_COL32(120, 70, 170, 255);
        case Highlight::None: break;
    }
    return 0;
}

void draw_medinfo(const medinfo::PageState& s, std::vector<medinfo::PageIntent>& intents, Ui& ui) {
    ui::text(ui, std::string(t(Text::Title)) + "　" + s.kanji_name + "（" + s.kana_name + "）カルテ番号 " + s.karte,
             ui.fonts.title());
    const ImVec2 tab(ui.px(240), ui.px(56));
    if (ui::button(ui, "medinfo:tab-drugs", t(Text::TabDrugs), tab, s.tab == PageTab::Drugs ? Tone::Primary : Tone::Normal))
        intents.push_back(pin::ShowTab{PageTab::Drugs});
    ImGui::SameLine();
    if (ui::button(ui, "medinfo:tab-checkups", t(Text::TabCheckups), tab,
                   s.tab == PageTab::Checkups ? Tone::Primary : Tone::Normal))
        intents.push_back(pin::ShowTab{PageTab::Checkups});
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ui.px(160));
    if (ui::button(ui, "medinfo:close", t(Text::Close), ImVec2(ui.px(160), tab.y), Tone::Quiet))
        intents.push_back(pin::Close{});

    const bool drugs = s.tab == PageTab::Drugs;
    // 取得する: the tab's kind from OQS (the consent is checked first; a refusal is shown below in red).
    const ImVec2 fetch(ui.px(320), ui.px(56));
    if (ui::button(ui, "medinfo:fetch", t(drugs ? Text::FetchDrugs : Text::FetchCheckups), fetch, Tone::Primary,
                   !s.busy))
        intents.push_back(pin::Fetch{s.tab, s.pdf});
    ImGui::SameLine();
    if (ui::button(ui, "medinfo:pdf", t(Text::AsPdf), ImVec2(ui.px(200), fetch.y),
                   s.pdf ? Tone::Primary : Tone::Normal, !s.busy))
        intents.push_back(pin::TogglePdf{});
    if (s.busy)
        ui::text(ui, t(Text::Fetching), ui.fonts.body(), ui::kGrey);
    else if (!s.message.empty())
        ui::text_wrapped(ui, s.message, ui.fonts.body(), s.refused ? ui::kRed : ui::kBlue);
    const auto& record = drugs ? s.data.drug_record : s.data.checkup_record;
    if (!record) {
        ui::text(ui, t(Text::NoData), ui.fonts.body(), ui::kGrey);
        return;
    }
    ui::text(ui, fetched_line(record), nullptr, ui::kGrey);
    if (record->format == "pdf") {
        draw_pdf(drugs ? s.drug_pdf : s.checkup_pdf, intents, ui);
    } else if (drugs && s.data.drugs) {
        draw_drugs(s, ui);
    } else if (!drugs && s.data.checkups) {
        draw_checkups(s, ui);
    } else {
        ui::text(ui, t(Text::NoData), ui.fonts.body(), ui::kGrey);
    }
}

// ---- in the reception console

void draw_console_medinfo(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    console_header(view, out, ui);
    const auto& page = view.console->medinfo;
    if (!page) {
        ui::text(ui, ja(Msg::PatientLoading), ui.fonts.body(), ui::kGrey);
        return;
    }
    std::vector<medinfo::PageIntent> intents;
    draw_medinfo(*page, intents, ui);
    for (auto& i : intents) out.to_console(console::in::OnMedinfo{std::move(i)});
}

namespace {

std::string oqs_date(const std::string& yyyymmdd) {
    const auto d = rules::Date::from_oqs(yyyymmdd.substr(0, std::min<size_t>(8, yyyymmdd.size())));
    return d ? wareki(d->iso()) : yyyymmdd;
}

std::string compact(std::string s) {
    return s.size() == 8 ? s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2) : s;
}

}  // namespace

// 訪問等資格確認 (the manual's 訪問オン資同意済一覧): a 確認期間 chosen by touch, 確認申請 + 情報結果取得 in one
// step on the host's worker, then the list; a row opens the usual 差分確認.
void draw_console_homevisit(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    console_header(view, out, ui);
    const console::HomeVisitView& v = view.console->homevisit;
    const rules::Date today = rules::Date::from_iso(view.console->day).value_or(rules::Date{2000, 1, 1});
    const rules::Date first{today.year, today.month, 1};
    const rules::Date last_month_end = first.add_days(-1);
    const rules::Date last_month{last_month_end.year, last_month_end.month, 1};
    auto ymd = [](const rules::Date& d) {
        std::string s = d.iso();
        s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
        return s;
    };
    // 確認期間: the three a clinic asks for; each button is 確認申請 for its period.
    const struct {
        const char* id;
        const char* label;
        rules::Date from, to;
    } periods[] = {{"homevisit:week", "過去7日", today.add_days(-6), today},
                   {"homevisit:month", "今月", first, today},
                   {"homevisit:last-month", "先月", last_month, last_month_end}};
    ui::text(ui, "確認期間を選んで確認申請します（マイナ在宅受付Webで同意した患者様）", ui.fonts.body());
    const ImVec2 size(ui.px(220), ui.px(56));
    for (size_t i = 0; i < std::size(periods); ++i) {
        if (i) ImGui::SameLine(0, ui.px(16));
        if (ui::button(ui, periods[i].id, periods[i].label, size, Tone::Normal, !v.busy))
            out.to_console(console::in::AskHomeVisit{ymd(periods[i].from), ymd(periods[i].to)});
    }
    if (!v.from.empty())
        ui::text(ui, "確認期間: " + wareki(compact(v.from)) + "～" + wareki(compact(v.to)), ui.fonts.body(), ui::kBlue);
    if (v.busy) {
        ui::text(ui, "同意済一覧を取得しています…", ui.fonts.body(), ui::kGrey);
        return;
    }
    if (!v.message.empty()) ui::text_wrapped(ui, ja(v.message), ui.fonts.body(), ui::kRed);
    if (!v.loaded) return;
    if (v.rows.empty()) {
        ui::text(ui, "この期間に同意した患者様はいません", ui.fonts.body(), ui::kGrey);
        return;
    }
    // Layout units; the last column is the row's button.
    const float x[] = {0, 105, 265, 415, 560, 610, 790, 900, 1060};
    cells(ui, {{x[0], "オン資確認"}, {x[1], "資格確認日"}, {x[2], "氏名"}, {x[3], "カナ"}, {x[4], "性別"},
               {x[5], "生年月日"}, {x[6], "保険者番号"}, {x[7], "照会番号"}},
          ui::kGrey);
    ImGui::BeginChild("##homevisit-rows", ImVec2(0, 0));
    for (size_t i = 0; i < v.rows.size(); ++i) {
        const medinfo::HomeVisitRow& r = v.rows[i];
        const float y0 = ImGui::GetCursorPosY();
        const float x0 = ImGui::GetCursorPosX();
        ImGui::SetCursorPosY(y0 + ui.px(14));
        cells(ui, {{x[0], r.confirmed ? "確認済" : "未確認"},
                   {x[1], oqs_date(r.checked_at)},
                   {x[2], r.kanji},
                   {x[3], r.kana},
                   {x[4], ja(sex_label(r.sex))},
                   {x[5], oqs_date(r.birth)},
                   {x[6], r.insurer_number},
                   {x[7], r.reference_number}},
              r.confirmed ? 0 : ui::kRed);
        ImGui::SameLine(x0 + ui.px(x[8]));
        ImGui::SetCursorPosY(y0);
        const std::string id = "homevisit:row-" + std::to_string(i);
        if (ui::button(ui, id.c_str(), r.confirmed ? "差分確認" : "新患登録・選択",
                       ImVec2(ImGui::GetContentRegionAvail().x, ui.px(52)), Tone::Normal, !view.console->review))
            out.to_console(console::in::ReviewHomeVisit{i});
        ImGui::SetCursorPosY(y0 + ui.px(60));
    }
    ImGui::EndChild();
}

}  // namespace onshi::kiosk
