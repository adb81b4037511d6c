// 受付一覧 (the manual's 院内患者 list) and adding a patient to it: by カルテ番号 on the number pad, or by the
// first kana of the カナ氏名 and a tap on a search hit. Rows: カルテ番号, 氏名, 年齢, 受付時刻 and the オンライン
// 資格確認 column with its badge; 今月未確認 marked; 原簿未登録 rows offer 新患登録 (差分確認 of the face result,
// matched or registered) and 患者を選ぶ (the kana search, whose hit opens 差分確認 against that patient). The
// list is refreshed by events, never by a timer.
#include <cmath>
#include <string>
#include <utility>

#include "app/kiosk/screens/screens.hpp"
#include "app/kiosk/widgets/pin_pad.hpp"

namespace onshi::kiosk {
namespace {

// The 受付時刻 as HH:MM from the ISO time.
std::string hh_mm(const std::string& iso) { return iso.size() >= 16 ? iso.substr(11, 5) : iso; }

void badge(Ui& ui, const std::string& word, const std::string& key) {
    if (word.empty()) return;
    ImGui::PushFont(ui.fonts.body());
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImVec2 sz = ImGui::CalcTextSize(word.c_str());
    const float pad = ui.px(6);
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x - pad, p.y - ui.px(2)),
                                              ImVec2(p.x + sz.x + pad, p.y + sz.y + ui.px(2)),
                                              console_badge_color(key), ui.px(4));
    ImGui::PopFont();
    ui::text(ui, word, ui.fonts.body(), IM_COL32_WHITE);
}

// The column text without its leading badge word (the badge shows it in colour).
std::string column_rest(const std::string& column, const std::string& word) {
    if (!word.empty() && column.rfind(word, 0) == 0) return column.substr(word.size());
    return column;
}

// The row's actions take two buttons at the right; the status (badge, column text, 今月未確認) goes on the
// row's own line while the space left of them holds it, else on a second line under the name.
struct RowLayout {
    // Where カルテ番号, 氏名, 年齢 and 受付時刻 start, then the status (window coordinates): each column as wide as
    // its header or its usual content, whichever is wider.
    float col[5];
    ImVec2 button;
    float actions_x;  // where the two buttons start (window coordinates)
    bool two_lines;
    float height;
};

// Call with the body font pushed.
RowLayout row_layout(Ui& ui) {
    RowLayout l;
    const std::pair<Msg, float> cols[] = {{Msg::ConsoleColKarte, 90},
                                          {Msg::ConsoleColName, 150},
                                          {Msg::ConsoleColAge, 110},
                                          {Msg::ConsoleColTime, 70}};
    l.col[0] = ImGui::GetCursorPosX();
    for (size_t i = 0; i < std::size(cols); ++i)
        l.col[i + 1] = l.col[i] + std::max(ImGui::CalcTextSize(ja(cols[i].first).c_str()).x, ui.px(cols[i].second)) +
                       ui.px(20);
    l.button = ImVec2(ui.px(150), ui.px(52));
    l.actions_x = ImGui::GetWindowContentRegionMax().x - 2 * l.button.x - ui.px(12);
    l.two_lines = l.actions_x - l.col[4] < ui.px(700);
    l.height = l.two_lines ? std::max(l.button.y, 2 * ImGui::GetTextLineHeightWithSpacing()) + ui.px(12) : ui.px(60);
    return l;
}

void row_line(const View& view, FrameOutput& out, Ui& ui, const RowLayout& l, const intake::ReceptionListRow& r,
              size_t index) {
    const console::State& s = *view.console;
    const bool querying = r.registered && s.is_querying(r.karte);
    const std::string word = querying ? ja(Msg::ConsoleQuerying) : r.status;
    const std::string key = querying ? "processing" : r.status_key;
    const float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPosY(y + (l.two_lines ? ui.px(4) : ui.px(12)));
    if (r.registered)
        ui::text(ui, r.karte, ui.fonts.body());
    else
        ui::text(ui, ja(Msg::ReceptionUnregistered), ui.fonts.body(), ui::kRed);
    ImGui::SameLine(l.col[1]);
    ui::text(ui, r.kanji_name.empty() ? r.kana_name : r.kanji_name, ui.fonts.body());
    ImGui::SameLine(l.col[2]);
    ui::text(ui, r.age, ui.fonts.body());
    ImGui::SameLine(l.col[3]);
    ui::text(ui, hh_mm(r.received_at), ui.fonts.body(), ui::kGrey);
    if (l.two_lines) {
        ImGui::SetCursorPosX(l.col[1] + ui.px(6));  // the badge's own padding stays inside the row
    } else {
        ImGui::SameLine(l.col[4]);
    }
    // The status never runs under the buttons: its text wraps at their left edge.
    ImGui::PushTextWrapPos(l.actions_x - ui.px(12));
    badge(ui, word, key);
    ImGui::SameLine();
    ui::text(ui, querying ? std::string() : column_rest(r.column_text, r.status), ui.fonts.body());
    if (r.due_this_month && r.registered) {
        ImGui::SameLine();
        ui::text(ui, ja(Msg::ConsoleDueThisMonth), ui.fonts.body(), IM_COL32(200, 110, 0, 255));
    }
    ImGui::PopTextWrapPos();
    // The row's actions, right-aligned.
    const float right = ImGui::GetWindowContentRegionMax().x;
    const ImVec2 size = l.button;
    if (r.registered) {
        // 患者原簿 of the row (ledger_page.cpp), left of 単件照会.
        ImGui::SetCursorPos(ImVec2(l.actions_x, y));
        const std::string open = "ledger-" + r.karte;
        if (ui::button(ui, open.c_str(), ja(Msg::TitlePatientPage), size)) out.to_console(console::in::OpenPatient{r.karte});
        ImGui::SetCursorPos(ImVec2(right - size.x, y));
        const std::string id = "query-" + r.karte;
        if (ui::button(ui, id.c_str(), ja(Msg::ConsoleSingleQuery), size, Tone::Normal,
                       !querying && !(s.query && !s.query->abandoned)))
            out.to_console(console::in::AskQuery{r.karte});
    } else {
        ImGui::SetCursorPos(ImVec2(l.actions_x, y));
        const std::string reg = "register-" + std::to_string(index), pick = "choose-" + std::to_string(index);
        if (ui::button(ui, reg.c_str(), ja(Msg::ConsoleRegisterNew), size, Tone::Normal))
            out.to_console(console::in::OpenUnregistered{r.file});
        ImGui::SameLine(0, ui.px(12));
        if (ui::button(ui, pick.c_str(), ja(Msg::ConsoleChoosePatient), size, Tone::Normal))
            out.to_console(console::in::ChooseForUnregistered{r.file, r.kanji_name.empty() ? r.kana_name : r.kanji_name});
    }
    ImGui::SetCursorPosY(y + l.height);
}

}  // namespace

void draw_console_list(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    console_header(view, out, ui);
    const console::State& s = *view.console;
    ImGui::PushFont(ui.fonts.body());
    const RowLayout header = row_layout(ui);
    ImGui::PopFont();
    const Msg heads[] = {Msg::ConsoleColKarte, Msg::ConsoleColName, Msg::ConsoleColAge, Msg::ConsoleColTime,
                         Msg::ConsoleColOnline};
    for (size_t i = 0; i < std::size(heads); ++i) {
        if (i) ImGui::SameLine(header.col[i]);
        ui::text(ui, ja(heads[i]), ui.fonts.body(), ui::kGrey);
    }
    ImGui::Separator();
    if (s.rows.empty()) ui::text(ui, ja(Msg::ConsoleListEmpty), ui.fonts.body(), ui::kGrey);
    ImGui::BeginChild("##console-rows", ImVec2(0, 0));
    // Only the rows on screen are laid out (300 patients a day stay well inside a frame).
    ImGui::PushFont(ui.fonts.body());
    const RowLayout layout = row_layout(ui);
    ImGui::PopFont();
    ImGuiListClipper clip;
    clip.Begin(int(s.rows.size()), layout.height);
    while (clip.Step())
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
            ImGui::PushID(i);
            row_line(view, out, ui, layout, s.rows[size_t(i)], size_t(i));
            ImGui::PopID();
        }
    ImGui::EndChild();
}

void draw_console_add_karte(const View& view, FrameOutput& out, Entries& entries, Ui& ui) {
    console_header(view, out, ui);
    ui::text(ui, ja(Msg::ConsoleKarteHint), ui.fonts.body(), ui::kGrey);
    ui::text(ui, entries.karte.empty() ? std::string("-") : entries.karte, ui.fonts.title());
    PinPadSpec spec;
    spec.min_digits = 1;
    spec.max_digits = 10;
    spec.masked = false;
    spec.backspace = true;
    spec.show_entry = false;
    spec.key_px = 80;
    spec.can_submit = !view.console->adding;
    if (pin_pad(ui, entries.karte, spec) == PadResult::Submit) {
        out.to_console(console::in::AddKarte{entries.karte});
        entries.karte.clear();
    }
}

namespace {

// The katakana of the pad, 5 a row (あ段 … ん), then ー and the voiced marks are typed as their own letters.
constexpr const char* kKana[] = {
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ", "チ", "ツ", "テ",
    "ト", "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ", "マ", "ミ", "ム", "メ", "モ", "ヤ", "ユ", "ヨ",
    "ラ", "リ", "ル", "レ", "ロ", "ワ", "ヲ", "ン", "ガ", "ギ", "グ", "ゲ", "ゴ", "ザ", "ジ", "ズ", "ゼ", "ゾ", "ダ",
    "ヂ", "ヅ", "デ", "ド", "バ", "ビ", "ブ", "ベ", "ボ", "パ", "ピ", "プ", "ペ", "ポ", "ャ", "ュ", "ョ", "ッ", "ー"};

void pop_utf8(std::string& s) {
    while (!s.empty()) {
        const unsigned char c = static_cast<unsigned char>(s.back());
        s.pop_back();
        if ((c & 0xC0) != 0x80) break;  // the first byte of the code point
    }
}

}  // namespace

void draw_console_add_kana(const View& view, FrameOutput& out, Entries& entries, Ui& ui) {
    console_header(view, out, ui);
    const console::State& s = *view.console;
    if (!s.choosing_file.empty())  // 患者を選ぶ of a 原簿未登録 row: the hit opens 差分確認 with that patient
        ui::text_wrapped(ui, ja(Msg::ConsoleChooseForFace, -1, -1, s.choosing_name), ui.fonts.body(), ui::kBlue);
    ui::text(ui, ja(Msg::ConsoleKanaHint), ui.fonts.body(), ui::kGrey);
    ui::text(ui, entries.kana.empty() ? std::string("-") : entries.kana, ui.fonts.title());
    ImGui::BeginGroup();
    // The keys fill the height left under the header: 10 a row while every row fits above 消す / 検索, more a
    // row on a short screen; never under the touch minimum, never over half the width (the hits need the rest).
    const float gap = ui.px(4), pitch_y = ImGui::GetStyle().ItemSpacing.y;
    const ImVec2 key(std::max(ui.px(56), ui.min_target()), std::max(ui.px(52), ui.min_target()));
    const float avail_h = ImGui::GetContentRegionAvail().y - key.y - pitch_y;
    const float max_cols = std::max(10.f, std::floor((ImGui::GetContentRegionAvail().x * 0.6f + gap) / (key.x + gap)));
    size_t cols = 10;
    while (float(cols) < max_cols &&
           float((std::size(kKana) + cols - 1) / cols) * (key.y + pitch_y) > avail_h)
        ++cols;
    for (size_t i = 0; i < std::size(kKana); ++i) {
        if (i % cols) ImGui::SameLine(0, gap);
        const std::string id = "kana:" + std::string(kKana[i]);
        if (ui::button(ui, id.c_str(), kKana[i], key)) entries.kana += kKana[i];
    }
    if (ui::button(ui, "kana:clear", ja(Msg::PadClear), ImVec2(ui.px(150), key.y))) pop_utf8(entries.kana);
    ImGui::SameLine(0, ui.px(12));
    if (ui::button(ui, "kana:search", ja(Msg::ConsoleSearch), ImVec2(ui.px(150), key.y), Tone::Primary,
                   !entries.kana.empty()))
        out.to_console(console::in::SearchKana{entries.kana});
    ImGui::EndGroup();
    ImGui::SameLine(0, ui.px(24));
    ImGui::BeginChild("##hits", ImVec2(0, 0));
    if (s.hits_too_many) ui::text_wrapped(ui, ja(Msg::ConsoleTooManyHits), ui.fonts.body(), ui::kRed);
    for (size_t i = 0; i < s.hits.size(); ++i) {
        const console::SearchHit& h = s.hits[i];
        const std::string id = "hit-" + h.karte;
        const std::string label = h.karte + "  " + h.kanji_name + "（" + h.kana_name + "）";
        if (ui::button(ui, id.c_str(), label, ImVec2(ImGui::GetContentRegionAvail().x, ui.px(56)), Tone::Normal,
                       !s.adding)) {
            out.to_console(console::in::AddHit{h.karte});
            entries.kana.clear();
        }
    }
    ImGui::EndChild();
}

}  // namespace onshi::kiosk
