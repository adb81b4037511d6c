// 受付一覧 (the manual's 院内患者 list) and adding a patient to it: by カルテ番号 on the number pad, or by the
// first kana of the カナ氏名 and a tap on a search hit. Rows: カルテ番号, 氏名, 年齢, 受付時刻 and the オンライン
// 資格確認 column with its badge; 今月未確認 marked; 原簿未登録 rows offer 新患登録 / 患者を選ぶ (both open
// 差分確認, where staff register or pick). The list is refreshed by events, never by a timer.
#include <string>

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

void row_line(const View& view, FrameOutput& out, Ui& ui, const intake::ReceptionListRow& r, size_t index) {
    const console::State& s = *view.console;
    const bool querying = r.registered && s.is_querying(r.karte);
    const std::string word = querying ? ja(Msg::ConsoleQuerying) : r.status;
    const std::string key = querying ? "processing" : r.status_key;
    const float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPosY(y + ui.px(12));
    if (r.registered)
        ui::text(ui, r.karte, ui.fonts.body());
    else
        ui::text(ui, ja(Msg::ReceptionUnregistered), ui.fonts.body(), ui::kRed);
    ImGui::SameLine(ui.px(112));
    ui::text(ui, r.kanji_name.empty() ? r.kana_name : r.kanji_name, ui.fonts.body());
    ImGui::SameLine(ui.px(270));
    ui::text(ui, r.age, ui.fonts.body());
    ImGui::SameLine(ui.px(380));
    ui::text(ui, hh_mm(r.received_at), ui.fonts.body(), ui::kGrey);
    ImGui::SameLine(ui.px(470));
    badge(ui, word, key);
    ImGui::SameLine();
    ui::text(ui, querying ? std::string() : column_rest(r.column_text, r.status), ui.fonts.body());
    if (r.due_this_month && r.registered) {
        ImGui::SameLine();
        ui::text(ui, ja(Msg::ConsoleDueThisMonth), ui.fonts.body(), IM_COL32(200, 110, 0, 255));
    }
    // The row's actions, right-aligned.
    const float right = ImGui::GetWindowContentRegionMax().x;
    const ImVec2 size(ui.px(150), ui.px(52));
    ImGui::SetCursorPos(ImVec2(right - size.x, y));
    if (r.registered) {
        // 患者原簿 of the row (ledger_page.cpp), left of 単件照会.
        ImGui::SetCursorPos(ImVec2(right - 2 * size.x - ui.px(12), y));
        const std::string open = "ledger-" + r.karte;
        if (ui::button(ui, open.c_str(), ja(Msg::TitlePatientPage), size)) out.to_console(console::in::OpenPatient{r.karte});
        ImGui::SetCursorPos(ImVec2(right - size.x, y));
        const std::string id = "query-" + r.karte;
        if (ui::button(ui, id.c_str(), ja(Msg::ConsoleSingleQuery), size, Tone::Normal,
                       !querying && !(s.query && !s.query->abandoned)))
            out.to_console(console::in::AskQuery{r.karte});
    } else {
        ImGui::SetCursorPos(ImVec2(right - 2 * size.x - ui.px(12), y));
        const std::string reg = "register-" + std::to_string(index), pick = "choose-" + std::to_string(index);
        if (ui::button(ui, reg.c_str(), ja(Msg::ConsoleRegisterNew), size, Tone::Normal))
            out.to_console(console::in::OpenUnregistered{r.file});
        ImGui::SameLine(0, ui.px(12));
        if (ui::button(ui, pick.c_str(), ja(Msg::ConsoleChoosePatient), size, Tone::Normal))
            out.to_console(console::in::OpenUnregistered{r.file});
    }
    ImGui::SetCursorPosY(y + size.y + ui.px(8));
}

}  // namespace

void draw_console_list(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    console_header(view, out, ui);
    const console::State& s = *view.console;
    ui::text(ui, ja(Msg::ConsoleColKarte), ui.fonts.body(), ui::kGrey);
    ImGui::SameLine(ui.px(112));
    ui::text(ui, ja(Msg::ConsoleColName), ui.fonts.body(), ui::kGrey);
    ImGui::SameLine(ui.px(270));
    ui::text(ui, ja(Msg::ConsoleColAge), ui.fonts.body(), ui::kGrey);
    ImGui::SameLine(ui.px(380));
    ui::text(ui, ja(Msg::ConsoleColTime), ui.fonts.body(), ui::kGrey);
    ImGui::SameLine(ui.px(470));
    ui::text(ui, ja(Msg::ConsoleColOnline), ui.fonts.body(), ui::kGrey);
    ImGui::Separator();
    if (s.rows.empty()) ui::text(ui, ja(Msg::ConsoleListEmpty), ui.fonts.body(), ui::kGrey);
    ImGui::BeginChild("##console-rows", ImVec2(0, 0));
    // Only the rows on screen are laid out (300 patients a day stay well inside a frame).
    ImGui::PushFont(ui.fonts.body());
    const float row_h = ui.px(60);
    ImGui::PopFont();
    ImGuiListClipper clip;
    clip.Begin(int(s.rows.size()), row_h);
    while (clip.Step())
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
            ImGui::PushID(i);
            row_line(view, out, ui, s.rows[size_t(i)], size_t(i));
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
    ui::text(ui, ja(Msg::ConsoleKanaHint), ui.fonts.body(), ui::kGrey);
    ui::text(ui, entries.kana.empty() ? std::string("-") : entries.kana, ui.fonts.title());
    ImGui::BeginGroup();
    const ImVec2 key(ui.px(56), ui.px(52));
    for (size_t i = 0; i < std::size(kKana); ++i) {
        if (i % 10) ImGui::SameLine(0, ui.px(4));
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
