// The reception console model (core/console/console): intents in, state and effects out, no window, no I/O.
#include <catch2/catch.hpp>

#include "core/console/console.hpp"

using namespace onshi;
using namespace onshi::console;
using text::Msg;

namespace {

template <class E>
const E* find(const std::vector<Effect>& fx) {
    for (const auto& e : fx)
        if (const auto* p = std::get_if<E>(&e)) return p;
    return nullptr;
}

intake::ReceptionListRow row(const std::string& karte, const std::string& status_key = "") {
    intake::ReceptionListRow r;
    r.karte = karte;
    r.kanji_name = "資格　七夫";
    r.status_key = status_key;
    r.status = status_key == "valid" ? "有効" : status_key == "processing" ? "照会中" : "";
    return r;
}

oqs::QualificationResult valid_answer() {
    oqs::QualificationResult r;
    r.status = oqs::Status::Valid;
    r.records.emplace_back();
    return r;
}

}  // namespace

TEST_CASE("console: one page table, names for scripts and titles from the catalogue") {
    for (size_t i = 0; i < kPageCount; ++i) {
        CHECK(std::string(page_name(Page(i))) != "?");
        CHECK(page_title(Page(i)) != Msg::None);
    }
    CHECK(std::string(page_name(Page::List)) == "list");
    CHECK(std::string(selection_code(BulkSelection::DueThisMonth)) == "due");
    Console c;
    CHECK(c.state().page == Page::List);
    auto fx = c.handle(in::ShowPage{Page::Bulk});
    CHECK(c.state().page == Page::Bulk);
    CHECK(fx.empty());
    fx = c.handle(in::ShowPage{Page::List});
    CHECK(find<effect::LoadList>(fx));  // back on the list: rebuilt once
}

TEST_CASE("console: 単件照会 asks 限度額 consent, shows 照会中 at once and opens 差分確認 with the answer") {
    Console c;
    c.handle(in::ListLoaded{"2026-12-03", {row("7")}});
    auto fx = c.handle(in::AskQuery{"7"});
    CHECK(fx.empty());  // nothing is sent before the consent is answered
    CHECK(c.state().page == Page::Consent);
    REQUIRE(c.state().query);
    CHECK(c.state().query->name == "資格　七夫");
    CHECK_FALSE(c.state().is_querying("7"));

    fx = c.handle(in::AnswerConsent{intake::LimitConsent::Yes});
    const auto* q = find<effect::Query>(fx);
    REQUIRE(q);
    CHECK(q->karte == "7");
    CHECK(q->consent == intake::LimitConsent::Yes);
    CHECK(c.state().page == Page::Querying);
    CHECK(c.state().is_querying("7"));  // the row says 照会中 before the ledger does
    // A second answer to the same question sends nothing more.
    CHECK(c.handle(in::AnswerConsent{intake::LimitConsent::No}).empty());
    // Another row cannot start a second query meanwhile.
    CHECK(c.handle(in::AskQuery{"8"}).empty());
    CHECK(c.state().query->karte == "7");

    fx = c.handle(in::QueryRecorded{"7", 31});
    CHECK(find<effect::LoadList>(fx));
    CHECK(c.state().query->check_id == 31);
    // The list now says 照会中 from the ledger: the local mark has done its job.
    c.handle(in::ListLoaded{"2026-12-03", {row("7", "processing")}});
    CHECK_FALSE(c.state().is_querying("7"));
    CHECK(c.state().row("7")->status == "照会中");

    in::QueryDone done;
    done.karte = "7";
    done.check_id = 31;
    done.answered = true;
    done.result = valid_answer();
    done.raw_xml = "<res/>";
    fx = c.handle(done);
    CHECK(find<effect::LoadList>(fx));
    CHECK_FALSE(c.state().query);
    CHECK_FALSE(c.state().is_querying("7"));
    CHECK(c.state().page == Page::List);
    REQUIRE(c.state().review);
    CHECK(c.state().review->karte == "7");
    CHECK(c.state().review->check_id == 31);
    CHECK(c.state().review->raw_xml == "<res/>");
    c.handle(in::ReviewTaken{});
    CHECK_FALSE(c.state().review);
}

TEST_CASE("console: キャンセル on the consent question sends nothing") {
    Console c;
    c.handle(in::AskQuery{"7"});
    auto fx = c.handle(in::StopWaiting{});
    CHECK_FALSE(find<effect::Query>(fx));
    CHECK_FALSE(c.state().query);
    CHECK(c.state().page == Page::List);
    CHECK_FALSE(c.state().is_querying("7"));
}

TEST_CASE("console: 待たずに戻る leaves the check 照会中, the late answer opens nothing") {
    Console c;
    c.handle(in::AskQuery{"7"});
    c.handle(in::AnswerConsent{intake::LimitConsent::Unasked});
    c.handle(in::QueryRecorded{"7", 31});
    // The tabs cannot leave 照会中; only 待たずに戻る does.
    c.handle(in::ShowPage{Page::Bulk});
    CHECK(c.state().page == Page::Querying);
    c.handle(in::StopWaiting{});
    CHECK(c.state().page == Page::List);
    REQUIRE(c.state().query);
    CHECK(c.state().query->abandoned);
    CHECK(c.state().is_querying("7"));  // still 照会中 on the list
    // Another query may start now.
    c.handle(in::ShowPage{Page::Bulk});
    CHECK(c.state().page == Page::Bulk);

    in::QueryDone done;
    done.karte = "7";
    done.check_id = 31;
    done.answered = true;
    done.result = valid_answer();
    c.handle(done);
    CHECK_FALSE(c.state().review);            // staff went back: no 差分確認 pops up
    CHECK(c.state().page == Page::Bulk);      // and the page they are on stays
    CHECK_FALSE(c.state().is_querying("7"));  // the list shows the recorded answer
}

TEST_CASE("console: no answer in time keeps 照会中 and says so") {
    Console c;
    c.handle(in::AskQuery{"7"});
    c.handle(in::AnswerConsent{intake::LimitConsent::Unasked});
    in::QueryDone done;
    done.karte = "7";
    done.check_id = 31;
    done.message = text::msg(Msg::ConsoleNoAnswer);
    c.handle(done);
    CHECK_FALSE(c.state().review);
    CHECK(c.state().page == Page::List);
    CHECK(c.state().message.id == Msg::ConsoleNoAnswer);
}

TEST_CASE("console: adding a patient by カルテ番号 or a search hit, one at a time") {
    Console c;
    auto fx = c.handle(in::AddKarte{"12"});
    const auto* add = find<effect::Add>(fx);
    REQUIRE(add);
    CHECK(add->karte == "12");
    CHECK(c.state().adding);
    CHECK(c.handle(in::AddHit{"13"}).empty());  // the first is still on the worker
    CHECK(c.handle(in::AddKarte{""}).empty());

    in::Added added;
    added.karte = "12";
    added.added = true;
    added.query_pending = true;  // auto_query: the 単件照会 went out
    fx = c.handle(added);
    CHECK(find<effect::LoadList>(fx));
    CHECK_FALSE(c.state().adding);
    CHECK(c.state().page == Page::List);
    CHECK(c.state().message.id == Msg::ConsoleAdded);
    CHECK(c.state().is_querying("12"));
    // Its answer (an automatic query, not asked from here) opens nothing by itself.
    in::QueryDone done;
    done.karte = "12";
    done.answered = true;
    done.result = valid_answer();
    c.handle(done);
    CHECK_FALSE(c.state().review);
    CHECK_FALSE(c.state().is_querying("12"));

    fx = c.handle(in::AddHit{"13"});
    REQUIRE(find<effect::Add>(fx));
    in::Added again;
    again.karte = "13";
    c.handle(again);
    CHECK(c.state().message.id == Msg::ConsoleAlreadyListed);
    // A failure frees the pad too.
    c.handle(in::AddKarte{"99"});
    c.handle(in::Failed{text::verbatim("カルテ番号 99 の患者様は原簿に登録されていません。")});
    CHECK_FALSE(c.state().adding);
    CHECK(c.state().message.id == Msg::Verbatim);
}

TEST_CASE("console: kana search asks the host and shows its hits") {
    Console c;
    c.handle(in::ShowPage{Page::AddKana});
    CHECK(c.handle(in::SearchKana{""}).empty());
    auto fx = c.handle(in::SearchKana{"シカク"});
    const auto* s = find<effect::Search>(fx);
    REQUIRE(s);
    CHECK(s->kana == "シカク");
    c.handle(in::Hits{{{"7", "資格　七夫", "シカク ナナオ", "1951-10-11"}}, false});
    REQUIRE(c.state().hits.size() == 1);
    c.handle(in::Hits{{}, false});
    CHECK(c.state().message.id == Msg::ConsoleNoHits);
    c.handle(in::Hits{{}, true});
    CHECK(c.state().hits_too_many);
}

TEST_CASE("console: a 原簿未登録 row opens its face result in 差分確認") {
    Console c;
    auto fx = c.handle(in::OpenUnregistered{"OQSsiquc01res_face_x.xml"});
    const auto* r = find<effect::ReadUnregistered>(fx);
    REQUIRE(r);
    CHECK(r->file == "OQSsiquc01res_face_x.xml");
    Review review;
    review.result = valid_answer();
    c.handle(in::ReviewReady{review});
    REQUIRE(c.state().review);
    CHECK(c.state().review->karte.empty());
    CHECK(c.state().review->check_id == 0);
}

TEST_CASE("console: 患者を選ぶ on a 原簿未登録 row: the kana search's hit opens 差分確認 with that patient, adding nobody") {
    Console c;
    c.handle(in::ListLoaded{"2026-12-03", {row("13", "valid")}});
    CHECK(c.handle(in::ChooseForUnregistered{"OQSsiquc01res_face_x.xml", "資格　九郎"}).empty());
    CHECK(c.state().page == Page::AddKana);
    CHECK(c.state().choosing_file == "OQSsiquc01res_face_x.xml");
    CHECK(c.state().choosing_name == "資格　九郎");
    CHECK(find<effect::Search>(c.handle(in::SearchKana{"シカ"})));
    c.handle(in::Hits{{{"13", "資格　一郎", "シカク イチロウ", "1960-06-02"}}, false});
    auto fx = c.handle(in::AddHit{"13"});
    CHECK_FALSE(find<effect::Add>(fx));  // not put on the list
    const auto* r = find<effect::ReadUnregistered>(fx);
    REQUIRE(r);
    CHECK(r->file == "OQSsiquc01res_face_x.xml");
    CHECK(c.state().choosing_file.empty());
    CHECK(c.state().page == Page::List);
    // The face result read back opens 差分確認 for the patient chosen.
    Review review;
    review.result = valid_answer();
    c.handle(in::ReviewReady{review});
    REQUIRE(c.state().review);
    CHECK(c.state().review->karte == "13");
    c.handle(in::ReviewTaken{});
    // The next search adds again; leaving the page drops the choice.
    c.handle(in::ShowPage{Page::AddKana});
    CHECK(find<effect::Add>(c.handle(in::AddHit{"13"})));
    c.handle(in::ChooseForUnregistered{"OQSsiquc01res_face_x.xml", "資格　九郎"});
    c.handle(in::ShowPage{Page::List});
    CHECK(c.state().choosing_file.empty());
    // 新患登録 of the row: its face result without a patient (差分確認 matches it or registers).
    REQUIRE(find<effect::ReadUnregistered>(c.handle(in::OpenUnregistered{"OQSsiquc01res_face_x.xml"})));
    c.handle(in::ReviewReady{review});
    CHECK(c.state().review->karte.empty());
}

TEST_CASE("console: 一括照会 runs one batch at a time and shows its counts as they come") {
    Console c;
    auto fx = c.handle(in::StartBulk{BulkSelection::Today});
    const auto* b = find<effect::Bulk>(fx);
    REQUIRE(b);
    CHECK(b->selection == BulkSelection::Today);
    CHECK(c.state().bulk.running);
    CHECK(c.state().bulk.selection == "today");
    CHECK(c.handle(in::StartBulk{BulkSelection::DueThisMonth}).empty());

    BulkView v;
    v.batch_id = 3;
    v.running = true;
    v.resumed = true;
    v.sent = 50;
    fx = c.handle(in::BulkUpdate{v});
    CHECK(find<effect::LoadList>(fx));  // statuses land in the list as they arrive
    v.resumed = false;
    v.running = false;
    v.answered = 50;
    v.valid = 40;
    v.lost = 5;
    v.none = 3;
    v.error = 2;
    c.handle(in::BulkUpdate{v});
    CHECK(c.state().bulk.resumed);  // a resumed batch stays marked as such
    CHECK_FALSE(c.state().bulk.running);
    CHECK(c.state().bulk.valid + c.state().bulk.lost + c.state().bulk.none + c.state().bulk.error == 50);
    // Finished: another may start.
    CHECK(find<effect::Bulk>(c.handle(in::StartBulk{BulkSelection::Tomorrow})));
}

TEST_CASE("console: reopening starts on the list unless a query is still awaited") {
    Console c;
    c.handle(in::ShowPage{Page::Bulk});
    c.reset_page();
    CHECK(c.state().page == Page::List);
    c.handle(in::AskQuery{"7"});
    c.handle(in::AnswerConsent{intake::LimitConsent::Unasked});
    c.reset_page();
    CHECK(c.state().page == Page::Querying);
}

// ---- 薬剤・健診 (docs/medinfo.md, Viewer): opened from the 原簿, read and fetched on the host's worker.

TEST_CASE("console: 薬剤・健診 opens on the worker, fetches one at a time and shows the refusal") {
    Console c;
    auto fx = c.handle(in::OpenMedinfo{"8"});
    CHECK(c.state().page == Page::Medinfo);
    REQUIRE(find<effect::Medinfo>(fx));
    CHECK(find<effect::Medinfo>(fx)->karte == "8");
    CHECK_FALSE(c.state().medinfo);  // 読み込み中 until the worker answers
    CHECK(c.handle(in::OnMedinfo{medinfo::page_in::Fetch{}}).empty());  // nothing to fetch for yet

    medinfo::PageState page;
    page.karte = "8";
    page.kanji_name = "後期高齢　武夫";
    c.handle(in::MedinfoLoaded{"8", page, "", false});
    REQUIRE(c.state().medinfo);
    CHECK(c.state().medinfo->kanji_name == "後期高齢　武夫");

    // 特定健診情報 as PDF: the tab and the choice travel with the fetch; a second tap waits for the first.
    c.handle(in::OnMedinfo{medinfo::page_in::ShowTab{medinfo::PageTab::Checkups}});
    c.handle(in::OnMedinfo{medinfo::page_in::TogglePdf{}});
    CHECK(c.state().medinfo->pdf);
    fx = c.handle(in::OnMedinfo{medinfo::page_in::Fetch{medinfo::PageTab::Checkups, true}});
    const auto* f = find<effect::FetchMedinfo>(fx);
    REQUIRE(f);
    CHECK(f->karte == "8");
    CHECK(f->kind == oqs::medinfo::InfoKind::Checkup);
    CHECK(f->pdf);
    CHECK(c.state().medinfo->busy);
    CHECK(c.handle(in::OnMedinfo{medinfo::page_in::Fetch{medinfo::PageTab::Checkups, true}}).empty());

    // The consent has run out: the page comes back as it was, with the refusal; the tab stays.
    c.handle(in::MedinfoLoaded{"8", page, "閲覧の有効期限が切れています", true});
    CHECK_FALSE(c.state().medinfo->busy);
    CHECK(c.state().medinfo->refused);
    CHECK(c.state().medinfo->message == "閲覧の有効期限が切れています");
    CHECK(c.state().medinfo->tab == medinfo::PageTab::Checkups);
    CHECK(c.state().medinfo->pdf);

    // A late answer for another patient's page changes nothing; 閉じる goes back to the 原簿.
    medinfo::PageState other;
    other.karte = "9";
    c.handle(in::MedinfoLoaded{"9", other, "", false});
    CHECK(c.state().medinfo->karte == "8");
    fx = c.handle(in::OnMedinfo{medinfo::page_in::Close{}});
    CHECK(c.state().page == Page::Patient);
    CHECK(find<effect::Patient>(fx));
}

TEST_CASE("console: 薬剤・健診 of nobody goes back to the list with a message") {
    Console c;
    c.handle(in::OpenMedinfo{"404"});
    c.handle(in::MedinfoLoaded{"404", std::nullopt, "", false});
    CHECK(c.state().page == Page::List);
    CHECK_FALSE(c.state().message.empty());
}

// ---- 訪問等資格確認: the 同意済一覧 for a 確認期間, each row into the usual 差分確認.

TEST_CASE("console: 訪問等資格確認 asks for the period once, shows the list and opens 差分確認 from a row") {
    Console c;
    auto fx = c.handle(in::AskHomeVisit{"20261101", "20261130"});
    CHECK(c.state().page == Page::HomeVisit);
    const auto* h = find<effect::HomeVisit>(fx);
    REQUIRE(h);
    CHECK(h->from == "20261101");
    CHECK(h->to == "20261130");
    CHECK(c.state().homevisit.busy);
    CHECK(c.handle(in::AskHomeVisit{"20261201", "20261203"}).empty());  // one request at a time

    medinfo::HomeVisitList list;
    list.ok = true;
    medinfo::HomeVisitRow linked, unknown;
    linked.confirmed = true;
    linked.karte = "7";
    linked.kanji = "資格　七夫";
    linked.result = valid_answer();
    linked.raw_xml = "<linked/>";
    unknown.kanji = "資格　一夫";
    unknown.result = valid_answer();
    unknown.raw_xml = "<unknown/>";
    list.rows = {linked, unknown};
    c.handle(in::HomeVisitLoaded{list});
    CHECK_FALSE(c.state().homevisit.busy);
    CHECK(c.state().homevisit.loaded);
    REQUIRE(c.state().homevisit.rows.size() == 2);

    c.handle(in::ReviewHomeVisit{5});  // no such row
    CHECK_FALSE(c.state().review);
    c.handle(in::ReviewHomeVisit{1});  // 未確認: 新患登録 / 患者を選ぶ in 差分確認
    REQUIRE(c.state().review);
    CHECK(c.state().review->karte.empty());
    CHECK(c.state().review->check_id == 0);
    CHECK(c.state().review->raw_xml == "<unknown/>");
    c.handle(in::ReviewTaken{});
    c.handle(in::ReviewHomeVisit{0});  // 確認済: that patient's 差分確認
    REQUIRE(c.state().review);
    CHECK(c.state().review->karte == "7");

    // A failed request says so and shows no list.
    c.handle(in::ReviewTaken{});
    c.handle(in::AskHomeVisit{"20261201", "20261203"});
    c.handle(in::HomeVisitLoaded{medinfo::HomeVisitList{}});
    CHECK_FALSE(c.state().homevisit.loaded);
    CHECK(c.state().homevisit.message.id == Msg::HomeVisitFailed);
}

TEST_CASE("console: a 照会番号登録's outcome is shown on the list as a notice") {
    Console c;
    c.handle(in::Notice{text::msg(Msg::ReferenceRegistered, -1, -1, "7")});
    CHECK(c.state().message.id == Msg::ReferenceRegistered);
}
