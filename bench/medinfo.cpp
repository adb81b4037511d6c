// 薬剤情報・特定健診情報 figures (docs/performance.md, "Medical information"): parsing a 5-year medication
// history (60 months, the simulator's shape) next to a bare pugixml parse of the same bytes, the viewer's model
// built from it, and poppler rendering the first page of a PDF answer (open + render, and render alone).
#include <benchmark/benchmark.h>

#include <pugixml.hpp>

#include "core/medinfo/pdf_pages.hpp"
#include "core/medinfo/view.hpp"
#include "core/oqs/medinfo.hpp"
#include "core/oqs/medinfo_sim.hpp"

using namespace onshi;
namespace om = onshi::oqs::medinfo;

namespace {

om::SyntheticPerson person() {
    om::SyntheticPerson p;
    p.header = {"資格 七夫", "ｼｶｸ ﾅﾅｵ", "19401011", "1"};
    p.seed = 7;
    return p;
}

const std::string& five_years(oqs::Encoding e) {
    static std::string utf8, sjis;
    std::string& s = e == oqs::Encoding::Utf8 ? utf8 : sjis;
    if (s.empty()) {
        om::SyntheticOptions o;
        o.end_month = "202611";
        o.months = 60;
        o.encoding = e;
        s = om::synthetic_drug_xml(person(), o);
    }
    return s;
}

const std::string& pdf() {
    static std::string s;
    if (s.empty()) {
        om::SyntheticOptions o;
        o.end_month = "202611";
        o.months = 60;
        s = om::synthetic_drug_pdf(person(), o);
    }
    return s;
}

void counters(benchmark::State& state, const std::string& bytes) {
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
    state.counters["file_kB"] = double(bytes.size()) / 1024.0;
}

void BM_medinfo_parse_5y_utf8(benchmark::State& state) {
    const std::string& x = five_years(oqs::Encoding::Utf8);
    size_t lines = 0;
    for (auto _ : state) {
        om::DrugAnswer a = om::parse_drug(x);
        lines = 0;
        for (const auto& m : a.months)
            for (const auto& d : m.dates) lines += d.drugs.size();
        benchmark::DoNotOptimize(a);
    }
    counters(state, x);
    state.counters["drug_lines"] = double(lines);
}
BENCHMARK(BM_medinfo_parse_5y_utf8)->Unit(benchmark::kMillisecond);

void BM_medinfo_parse_5y_sjis(benchmark::State& state) {
    const std::string& x = five_years(oqs::Encoding::ShiftJis);
    for (auto _ : state) benchmark::DoNotOptimize(om::parse_drug(x));
    counters(state, x);
}
BENCHMARK(BM_medinfo_parse_5y_sjis)->Unit(benchmark::kMillisecond);

// The floor: pugixml alone on the same UTF-8 bytes (no checks, no records).
void BM_medinfo_bare_pugixml_5y(benchmark::State& state) {
    const std::string& x = five_years(oqs::Encoding::Utf8);
    for (auto _ : state) {
        pugi::xml_document doc;
        benchmark::DoNotOptimize(doc.load_buffer(x.data(), x.size()));
    }
    counters(state, x);
}
BENCHMARK(BM_medinfo_bare_pugixml_5y)->Unit(benchmark::kMillisecond);

void BM_medinfo_view_5y(benchmark::State& state) {
    om::DrugAnswer a = om::parse_drug(five_years(oqs::Encoding::Utf8));
    for (auto _ : state) benchmark::DoNotOptimize(medinfo::drug_view(a));
}
BENCHMARK(BM_medinfo_view_5y)->Unit(benchmark::kMillisecond);

// What the page does when it opens a stored PDF: open the document and render page 1 at 900 px.
void BM_medinfo_pdf_first_page(benchmark::State& state) {
    const std::string& p = pdf();
    for (auto _ : state) {
        std::string error;
        auto doc = medinfo::PdfPages::open(p, error);
        benchmark::DoNotOptimize(doc->render(0, 900));
    }
    state.counters["pdf_kB"] = double(p.size()) / 1024.0;
}
BENCHMARK(BM_medinfo_pdf_first_page)->Unit(benchmark::kMillisecond);

// Turning a page of an open document (次のページ).
void BM_medinfo_pdf_render_page(benchmark::State& state) {
    std::string error;
    auto doc = medinfo::PdfPages::open(pdf(), error);
    int i = 0;
    for (auto _ : state) benchmark::DoNotOptimize(doc->render(i++ % doc->pages(), 900));
    state.counters["pages"] = doc->pages();
}
BENCHMARK(BM_medinfo_pdf_render_page)->Unit(benchmark::kMillisecond);

}  // namespace
