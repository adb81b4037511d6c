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
    bool pdf = false;               // 「PDFで取得」: the next fetch asks for the PDF answer
    bool busy = false;              // a fetch is on the host's worker
    std::string message;            // the last fetch's outcome (Japanese), e.g. 閲覧の有効期限が切れています
    bool refused = false;           // … and whether it was a refusal or failure (shown in red)
};

namespace page_in {
struct ShowTab {
    PageTab tab;
};
struct PdfPage {  // 前のページ (-1) / 次のページ (+1)
    int delta;
};
struct Close {};
struct TogglePdf {};  // 「PDFで取得」
struct Fetch {        // 取得する: the tab's kind (薬剤 YZK, 特定健診 TKK), XML or PDF; the host runs medinfo::fetch
    PageTab tab = PageTab::Drugs;
    bool pdf = false;
};
}  // namespace page_in
using PageIntent = std::variant<page_in::ShowTab, page_in::PdfPage, page_in::Close, page_in::TogglePdf, page_in::Fetch>;

// Reads the patient and their newest stored answers; a PDF answer is opened and its first page rendered.
// nullopt when there is no such patient.
std::optional<PageState> open_page(const ledger::LedgerStore& store, const std::string& karte, int pdf_width = 900);
// Applies an intent; true when the page is to be closed. Turning a PDF page renders it (poppler, synchronous:
// tens of milliseconds, docs/performance.md). Fetch only marks the page busy: the host does the fetch and
// hands back the page opened anew (open_page) with the outcome in `message`.
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
    FetchDrugs,     // 薬剤情報を取得する
    FetchCheckups,  // 特定健診情報を取得する
    AsPdf,          // PDFで取得
    Fetching,       // 取得中…
    FetchedNow,     // 取得しました
};
const char* text(Text t);

}  // namespace onshi::medinfo
