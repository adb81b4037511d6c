// The reception console's page table and its shared chrome. A page of core/console::Page is drawn by the
// function on its line here (same order as Page; checked below) — a new page adds one line.
#include "app/kiosk/screens/screens.hpp"

namespace onshi::kiosk {
namespace {

using console::Page;

struct ConsolePage {
    Page page;
    ScreenView view;
};

constexpr ConsolePage kConsolePages[] = {
    {Page::List, {"console_list", false, draw_console_list}},
    {Page::AddKarte, {"console_add_karte", false, draw_console_add_karte}},
    {Page::AddKana, {"console_add_kana", false, draw_console_add_kana}},
    {Page::Consent, {"console_consent", false, draw_console_consent}},
    {Page::Querying, {"console_querying", false, draw_console_querying}},
    {Page::Bulk, {"console_bulk", false, draw_console_bulk}},
    {Page::Patient, {"console_patient", false, draw_console_patient}},
    {Page::Typed, {"console_typed", false, draw_console_typed}},
    {Page::Medinfo, {"console_medinfo", false, draw_console_medinfo}},
    {Page::HomeVisit, {"console_homevisit", false, draw_console_homevisit}},
};
constexpr bool pages_in_order() {
    if (std::size(kConsolePages) != console::kPageCount) return false;
    for (size_t i = 0; i < std::size(kConsolePages); ++i)
        if (size_t(kConsolePages[i].page) != i) return false;
    return true;
}
static_assert(pages_in_order(), "kConsolePages needs one line per console::Page, in order");

// The tabs staff switch between (pages reached from a row, like 単件照会, have none).
constexpr struct {
    Page page;
    const char* id;
} kTabs[] = {
    {Page::List, "tab-list"},
    {Page::AddKarte, "tab-add-karte"},
    {Page::AddKana, "tab-add-kana"},
    {Page::Bulk, "tab-bulk"},
    {Page::Typed, "tab-typed"},
    {Page::HomeVisit, "tab-homevisit"},
};

}  // namespace

const ScreenView& console_screen(Page page) {
    const size_t i = size_t(page) < console::kPageCount ? size_t(page) : 0;
    return kConsolePages[i].view;
}

ImU32 console_badge_color(const std::string& key) {
    if (key == "processing") return IM_COL32(90, 110, 140, 255);                                   // 照会中
    if (key == "valid" || key == "valid_unregistered") return IM_COL32(30, 130, 60, 255);        // 有効
    if (key == "invalid" || key == "invalid_new_qualification") return IM_COL32(190, 40, 40, 255);  // 喪失
    if (key == "not_found") return IM_COL32(200, 110, 0, 255);                                      // 該当なし
    if (key.empty()) return 0;
    return IM_COL32(130, 20, 20, 255);  // エラー, 複数該当
}

void console_header(const View& view, FrameOutput& out, Ui& ui) {
    staff_header(view, out, ui, console::page_title(view.console->page));
    const Page current = view.console->page;
    const bool tabs = current != Page::Consent && current != Page::Querying;
    // The tabs share the row with 閉じる: 200 px each while they fit, narrower on a small screen.
    const float row = ImGui::GetContentRegionAvail().x - ui.px(160) - ImGui::GetStyle().ItemSpacing.x * float(std::size(kTabs));
    const ImVec2 size(std::min(ui.px(200), row / float(std::size(kTabs))), ui.px(56));
    for (size_t i = 0; tabs && i < std::size(kTabs); ++i) {
        if (i) ImGui::SameLine();
        const bool on = kTabs[i].page == current;
        if (ui::button(ui, kTabs[i].id, ja(console::page_title(kTabs[i].page)), size, on ? Tone::Primary : Tone::Normal))
            out.to_console(console::in::ShowPage{kTabs[i].page});
    }
    if (tabs) {
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ui.px(160));
        if (ui::button(ui, "close-console", ja(Msg::Close), ImVec2(ui.px(160), size.y), Tone::Quiet))
            out.request(action::CloseConsole{});
    }
    if (!view.console->message.empty()) ui::text_wrapped(ui, ja(view.console->message), ui.fonts.body(), ui::kBlue);
}

}  // namespace onshi::kiosk
