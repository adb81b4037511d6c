#pragma once
// The 薬剤・健診 page of a patient (reached from the 患者原簿) as a model without ImGui: what is shown, the
// tab, the PDF page and its rendered pixels. The host opens it on its worker (open_page reads the ledger and
// renders the first PDF page); the screen (app/kiosk/screens/medinfo.cpp) draws it and sends PageIntents.
// The page's Japanese texts are here (text()), the rules in docs/medinfo.md.
#include <memory>
#include <string>
#include <variant>

#include "core/ledger/ledger_store.hpp"
#include "core/medinfo/pdf_pages.hpp"
#include "core/medinfo/view.hpp"

namespace onshi::medinfo {

enum class PageTab : uint8_t { Drugs, Checkups };

struct PdfView {
    std::shared_ptr<const PdfPages> doc;
    int page = 0;  // 0-based
    RgbaImage image;
};

struct PageState {
    std::string karte, kanji_name, kana_name, birth;
    PageTab tab = PageTab::Drugs;
    PatientMedinfo data;
    PdfView drug_pdf, checkup_pdf;  // set when the stored answer of that kind is a PDF
    std::string pdf_error;          // a stored PDF poppler cannot open
    int pdf_width = 900;            // pixels the pages are rendered at
};

namespace page_in {
struct ShowTab {
    PageTab tab;
};
struct PdfPage {  // 前のページ (-1) / 次のページ (+1)
    int delta;
};
struct Close {};
}  // namespace page_in
using PageIntent = std::variant<page_in::ShowTab, page_in::PdfPage, page_in::Close>;

// Reads the patient and their newest stored answers; a PDF answer is opened and its first page rendered.
// nullopt when there is no such patient.
std::optional<PageState> open_page(const ledger::LedgerStore& store, const std::string& karte, int pdf_width = 900);
// Applies an intent; true when the page is to be closed. Turning a PDF page renders it (poppler, synchronous:
// tens of milliseconds, docs/performance.md).
bool apply(PageState& s, const PageIntent& intent);

// The page's texts.
enum class Text : uint8_t {
    Title,          // 薬剤・健診
    TabDrugs,       // 薬剤情報
    TabCheckups,    // 特定健診情報
    Close,          // 閉じる
    NoData,         // 取得した情報はありません
    Fetched,        // 取得日時
    Month,          // 調剤日
    DrugName,       // 薬品名
    Dose,           // 用量・用法
    Days,           // 日数
    Prescriber,     // 処方元
    Item,           // 項目
    Trend,          // 推移
    Caution,        // 抜歯前に確認:
    PrevPage,       // 前のページ
    NextPage,       // 次のページ
    PdfUnavailable, // PDFを表示できません
};
const char* text(Text t);

}  // namespace onshi::medinfo
