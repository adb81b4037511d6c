// The 薬剤・健診 page drawn without GPU (a headless ImGui context, the real fonts): the sample patient's
// medication months and highlights, the checkup table with its chart, a fetched PDF's page handed to the
// texture hook with the pixels poppler rendered, and the intents of its buttons.
#include <catch2/catch.hpp>

#include "app/kiosk/platform.hpp"
#include "app/kiosk/screens/medinfo.hpp"
#include "core/ledger/sample.hpp"
#include "core/oqs/medinfo_sim.hpp"
#include "core/util/files.hpp"
#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi;
using namespace onshi::kiosk;
using onshi::ledger::test::TempDir;

namespace {

struct Screen {
    HeadlessContext ctx{1280, 800};
    Fonts fonts;
    Ui ui{fonts};
    struct Upload {
        int w = 0, h = 0;
        size_t dark = 0;
    };
    std::vector<Upload> uploads;
    Screen() {
        REQUIRE(fonts.build(1.f));
        ui.texture = [this](const void*, int w, int h, const unsigned char* rgba) -> ImTextureID {
            Upload u{w, h, 0};
            for (size_t i = 0; i + 3 < size_t(w) * size_t(h) * 4; i += 4)
                if (rgba[i] < 80 && rgba[i + 1] < 80 && rgba[i + 2] < 80) ++u.dark;
            uploads.push_back(u);
            return reinterpret_cast<ImTextureID>(uintptr_t(1));
        };
    }
    // One frame of the page; returns the intents its buttons sent (`tap`: the button id pressed this frame).
    std::vector<medinfo::PageIntent> frame(const medinfo::PageState& s, const std::string& tap = "") {
        std::vector<medinfo::PageIntent> intents;
        for (int pass = 0; pass < 2; ++pass) {  // the second pass clicks what the first one placed
            ImGuiIO& io = ImGui::GetIO();
            unsigned char* px = nullptr;
            int w = 0, h = 0;
            io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
            io.DeltaTime = 1.f / 60.f;
            if (pass == 1 && !tap.empty()) {
                const WidgetRect* r = ui.last.find(tap);
                REQUIRE(r);
                io.MousePos = ImVec2((r->min.x + r->max.x) / 2, (r->min.y + r->max.y) / 2);
            }
            for (int click = 0; click < (pass == 1 && !tap.empty() ? 2 : 1); ++click) {
                io.MouseDown[0] = pass == 1 && !tap.empty() && click == 0;
                ImGui::NewFrame();
                ui.begin_frame("medinfo");
                ImGui::SetNextWindowPos(ImVec2(0, 0));
                ImGui::SetNextWindowSize(io.DisplaySize);
                ImGui::Begin("##medinfo", nullptr, ImGuiWindowFlags_NoDecoration);
                std::vector<medinfo::PageIntent> got;
                draw_medinfo(s, got, ui);
                ImGui::End();
                ImGui::Render();
                ui.end_frame();
                if (pass == 1) intents.insert(intents.end(), got.begin(), got.end());
            }
            fonts.rebuild_if_needed();
        }
        return intents;
    }
};

}  // namespace

TEST_CASE("the sample patient's 薬剤 page shows the months newest first and the extraction warnings") {
    TempDir d;
    auto db = ledger::LedgerStore::open(d.path / "l.sqlite");
    auto text = files::read_regular(ledger::default_sample_path(), 1 << 20);
    REQUIRE(text.ok());
    ledger::import_sample(db, Json::parse(text.bytes), "import");
    auto page = medinfo::open_page(db, "8");
    REQUIRE(page);
    Screen sc;
    sc.frame(*page);
    const FrameRecord& f = sc.ui.last;
    CHECK(f.shows_text("後期高齢　武夫"));
    CHECK(f.shows_text("令和8年11月"));  // the sample's newest month comes first
    CHECK(f.shows_text("抜歯前に確認: 抗凝固薬"));
    CHECK(f.shows_text("抜歯前に確認: ビスホスホネート"));
    CHECK(f.shows_text("シミュレータ内科クリニック"));
    CHECK(f.shows_text("処方元"));
    // 特定健診: a column a year and the items' names with their units.
    auto intents = sc.frame(*page, "medinfo:tab-checkups");
    REQUIRE(intents.size() == 1);
    CHECK(std::get<medinfo::page_in::ShowTab>(intents[0]).tab == medinfo::PageTab::Checkups);
    CHECK_FALSE(medinfo::apply(*page, intents[0]));
    sc.frame(*page);
    CHECK(sc.ui.last.shows_text("2026年"));
    CHECK(sc.ui.last.shows_text("2022年"));
    CHECK(sc.ui.last.shows_text("収縮期血圧（mmHg）"));
    CHECK(sc.ui.last.shows_text("推移"));
    CHECK(sc.uploads.empty());  // no PDF here
    auto close = sc.frame(*page, "medinfo:close");
    REQUIRE(close.size() == 1);
    CHECK(medinfo::apply(*page, close[0]));
}

TEST_CASE("a fetched PDF answer renders: its page goes to the texture hook and turns with 次のページ") {
    TempDir d;
    auto db = ledger::LedgerStore::open(d.path / "l.sqlite");
    db.apply(onshi::ledger::test::register_ichiro("13"), "S01");
    oqs::medinfo::SyntheticPerson p;
    p.header = {"資格 一郎", "ｼｶｸ ｲﾁﾛｳ", "19600602", "1"};
    oqs::medinfo::SyntheticOptions o;
    o.end_month = "202404";
    o.months = 24;
    ledger::MedinfoRecord row;
    row.karte = "13";
    row.kind = "yzk";
    row.format = "pdf";
    row.file = "YZKsiquc01res_202404150001.pdf";
    row.raw = oqs::medinfo::synthetic_drug_pdf(p, o);
    db.add_medinfo(row, "S01");
    auto page = medinfo::open_page(db, "13", 800);
    REQUIRE(page);
    REQUIRE(page->drug_pdf.doc);
    CHECK(page->drug_pdf.doc->pages() >= 2);
    Screen sc;
    sc.frame(*page);
    REQUIRE_FALSE(sc.uploads.empty());
    CHECK(sc.uploads.back().w == 800);
    CHECK(std::abs(sc.uploads.back().h - 1131) <= 1);  // A4 (poppler rounds the scaled height)
    CHECK(sc.uploads.back().dark > 2000);
    CHECK(sc.ui.last.shows_text("1 / " + std::to_string(page->drug_pdf.doc->pages())));
    auto next = sc.frame(*page, "medinfo:next");
    REQUIRE(next.size() == 1);
    medinfo::apply(*page, next[0]);
    CHECK(page->drug_pdf.page == 1);
    sc.frame(*page);
    CHECK(sc.ui.last.shows_text("2 / "));
    // The 特定健診 tab has nothing stored.
    medinfo::apply(*page, medinfo::page_in::ShowTab{medinfo::PageTab::Checkups});
    sc.frame(*page);
    CHECK(sc.ui.last.shows_text("取得した情報はありません"));
}
