#include "core/medinfo/page.hpp"

#include <algorithm>

namespace onshi::medinfo {
namespace {

void open_pdf(const std::optional<ledger::MedinfoRecord>& r, PdfView& v, std::string& error, int width) {
    if (!r || r->format != "pdf") return;
    std::string why;
    std::shared_ptr<const PdfPages> doc = PdfPages::open(r->raw, why);
    if (!doc) {
        error = why;
        return;
    }
    v.doc = doc;
    v.page = 0;
    v.image = doc->render(0, width);
}

}  // namespace

std::optional<PageState> open_page(const ledger::LedgerStore& store, const std::string& karte, int pdf_width) {
    auto p = store.patient(karte);
    if (!p) return std::nullopt;
    PageState s;
    s.karte = karte;
    s.kanji_name = p->patient.kanji_name;
    s.kana_name = p->patient.kana_name;
    s.birth = p->patient.birth;
    s.pdf_width = pdf_width;
    s.data = load_patient(store, karte);
    open_pdf(s.data.drug_record, s.drug_pdf, s.pdf_error, pdf_width);
    open_pdf(s.data.checkup_record, s.checkup_pdf, s.pdf_error, pdf_width);
    return s;
}

bool apply(PageState& s, const PageIntent& intent) {
    if (std::holds_alternative<page_in::Close>(intent)) return true;
    if (std::holds_alternative<page_in::TogglePdf>(intent)) {
        s.pdf = !s.pdf;
        return false;
    }
    if (std::holds_alternative<page_in::Fetch>(intent)) {
        s.busy = true;
        s.message.clear();
        s.refused = false;
        return false;
    }
    if (const auto* t = std::get_if<page_in::ShowTab>(&intent)) {
        if (s.tab != t->tab && !s.busy) s.message.clear();  // the outcome was the other tab's fetch
        s.tab = t->tab;
        return false;
    }
    const int delta = std::get<page_in::PdfPage>(intent).delta;
    PdfView& v = s.tab == PageTab::Drugs ? s.drug_pdf : s.checkup_pdf;
    if (!v.doc) return false;
    const int next = std::clamp(v.page + delta, 0, v.doc->pages() - 1);
    if (next == v.page) return false;
    v.page = next;
    v.image = v.doc->render(next, s.pdf_width);
    return false;
}

const char* text(Text t) {
    switch (t) {
        case Text::Title: return "薬剤・健診";
        case Text::TabDrugs: return "薬剤情報";
        case Text::TabCheckups: return "特定健診情報";
        case Text::Close: return "閉じる";
        case Text::NoData: return "取得した情報はありません";
        case Text::Fetched: return "取得日時";
        case Text::Month: return "調剤日";
        case Text::DrugName: return "薬品名";
        case Text::Dose: return "用量・用法";
        case Text::Days: return "日数";
        case Text::Prescriber: return "処方元";
        case Text::Item: return "項目";
        case Text::Trend: return "推移";
        case Text::Caution: return "抜歯前に確認:";
        case Text::PrevPage: return "前のページ";
        case Text::NextPage: return "次のページ";
        case Text::PdfUnavailable: return "PDFを表示できません";
        case Text::FetchDrugs: return "薬剤情報を取得する";
        case Text::FetchCheckups: return "特定健診情報を取得する";
        case Text::AsPdf: return "PDFで取得";
        case Text::Fetching: return "取得中…";
        case Text::FetchedNow: return "取得しました";
    }
    return "";
}

}  // namespace onshi::medinfo
