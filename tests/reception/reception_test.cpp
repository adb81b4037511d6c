// The day's reception list and 一括照会 on real SQLite files and real folders, against the simulated terminal
// running in-process: 「N歳Mヶ月」, 今月未確認, adding a patient (照会中 → 有効 with the column text), undo,
// 原簿未登録 face results, the one-query list, and a 50-patient 一括照会 stopped after its OQSmuquc01req and
// resumed by a new transport: no second 01req, every record recorded.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "core/intake/bulk_query.hpp"
#include "core/intake/column_text.hpp"
#include "core/intake/reception.hpp"
#include "core/oqs/gateway.hpp"
#include "core/oqs/simulator.hpp"
#include "core/rules/wareki.hpp"
#include "core/util/clock.hpp"
#include "core/util/files.hpp"
#include "tests/ledger/ledger_test_util.hpp"
#include "tests/support/simulated_terminal.hpp"

using namespace onshi;
using namespace onshi::ledger;
using namespace onshi::ledger::test;
using namespace onshi::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// The simulator stamps its answers with the real time; the list's day is the real day too.
const rules::Date kToday = local_today();

// Everybody here carries the kanji name 資格　五郎.
OverwritePlan patient(const std::string& karte, const std::string& kana, const std::string& birth,
                      const std::string& insurer, const std::string& kigo, const std::string& bango,
                      const std::string& edaban) {
    return registration(karte, kana, birth, insurer, kigo, bango, edaban, "資格　五郎");
}

struct Terminal {
    std::unique_ptr<oqs::OqsSimulator> sim;
    explicit Terminal(const fs::path& root) : sim(start_simulator(root)) {}
};

// One run of the program: its own transport (same state file as the run before) and event queue.
struct Run {
    oqs::EventWaiter events;
    std::unique_ptr<oqs::FolderGateway> gw;
    Run(const fs::path& root, const fs::path& state, std::chrono::milliseconds timeout = 5000ms)
        : gw(start_gateway(root, state, timeout, events.sink())) {}
    intake::NextEvent next() {
        return [this](std::chrono::milliseconds t) { return events.wait(t); };
    }
};

struct Rig {
    TempDir dir{"onshi-reception"};
    Clock clock;
    LedgerStore db;
    fs::path root;
    Rig() : db((clock.value = kToday.iso() + "T09:30:00", open_with(dir.path / "l.sqlite", clock))) {
        root = dir.path / "oqs";
        for (const char* d : {"req", "res", "face"}) fs::create_directories(root / d);
    }
    size_t files(const char* sub, const std::string& prefix) const {
        size_t n = 0;
        for (const auto& e : fs::directory_iterator(root / sub))
            n += e.path().filename().string().rfind(prefix, 0) == 0;
        return n;
    }
};

}  // namespace

TEST_CASE("年齢 as 「N歳Mヶ月」 reached on the day before the monthly anniversary") {
    using rules::Date;
    CHECK(intake::age_text({1990, 1, 15}, {2021, 7, 13}) == "31歳5ヶ月");
    CHECK(intake::age_text({1990, 1, 15}, {2021, 7, 14}) == "31歳6ヶ月");  // the day before the 15th
    CHECK(intake::age_text({1990, 1, 15}, {2021, 7, 15}) == "31歳6ヶ月");
    CHECK(intake::age_text({1990, 1, 16}, {2021, 7, 15}) == "31歳6ヶ月");  // reached the day before
    CHECK(intake::age_text({1960, 6, 2}, {2021, 7, 27}) == "61歳1ヶ月");
    CHECK(intake::age_text({2021, 7, 27}, {2021, 7, 27}) == "0歳0ヶ月");
    CHECK(intake::age_text({2021, 7, 28}, {2021, 7, 27}) == "0歳0ヶ月");  // not born yet
    CHECK(intake::age_text({2000, 1, 31}, {2000, 2, 28}) == "0歳0ヶ月");
    CHECK(intake::age_text({2000, 1, 31}, {2000, 2, 29}) == "0歳1ヶ月");  // no 31 February: its last day
    CHECK(intake::age_text({2000, 2, 29}, {2001, 2, 27}) == "0歳11ヶ月");
    CHECK(intake::age_text({2000, 2, 29}, {2001, 2, 28}) == "1歳0ヶ月");
    CHECK(intake::age_text({}, {2021, 7, 27}).empty());
}

TEST_CASE("今月未確認 means no card or never confirmed or confirmed before the first of the month") {
    const rules::Date d{2021, 8, 17};
    CHECK(intake::due_this_month(false, "2021-08-10", d));
    CHECK(intake::due_this_month(true, "", d));
    CHECK(intake::due_this_month(true, "2021-07-31", d));
    CHECK_FALSE(intake::due_this_month(true, "2021-08-01", d));
    CHECK_FALSE(intake::due_this_month(true, "2021-08-17", d));
}

TEST_CASE(
    "adding a patient puts it on the list at once as 照会中 then 有効 with the column text and undo takes it off") {
    Rig rig;
    Terminal terminal(rig.root);
    Run run(rig.root, rig.dir.path / "state.json");
    rig.db.apply(patient("5", "シカク ゴロウ", "1990-01-01", "133033", "葛う10", "1639960291x005", "01"), "S01");

    std::vector<intake::ReceptionListRow> while_asking;
    intake::AutoQuery aq;
    aq.gateway = run.gw.get();
    aq.wait = 8000ms;
    aq.next = [&](std::chrono::milliseconds t) {
        if (while_asking.empty()) while_asking = intake::reception_list(rig.db, kToday);
        return run.events.wait(t);
    };
    auto added = intake::add_to_reception(rig.db, "5", kToday, "S01", aq);
    CHECK(added.received.added);
    CHECK(added.refused.empty());
    REQUIRE(added.query);
    CHECK(added.query->answered);

    REQUIRE(while_asking.size() == 1);
    CHECK(while_asking[0].status == "照会中");
    CHECK(while_asking[0].column_text.rfind("照会中 確認日：", 0) == 0);

    auto rows = intake::reception_list(rig.db, kToday);
    REQUIRE(rows.size() == 1);
    const auto& r = rows[0];
    CHECK(r.karte == "5");
    CHECK(r.kana_name == "シカク ゴロウ");
    CHECK(r.kanji_name == "資格　五郎");
    CHECK(r.age == intake::age_text({1990, 1, 1}, kToday));
    CHECK(r.received_at == kToday.iso() + "T09:30:00");
    CHECK(r.status == "有効");
    CHECK(r.status_key == "valid");
    CHECK(r.column_text == "有効 確認日：" + rules::format_wareki(kToday));
    CHECK(r.due_this_month);  // 保険証確認日 never recorded
    CHECK(r.registered);

    // Again: already on the list, nothing written, nothing sent.
    const size_t sent = rig.files("res", "OQSsiquc01res");
    auto again = intake::add_to_reception(rig.db, "5", kToday, "S01", aq);
    CHECK_FALSE(again.received.added);
    CHECK_FALSE(again.query);
    CHECK(rig.files("res", "OQSsiquc01res") == sent);

    // 保険証確認日 this month: no longer 今月未確認.
    rig.db.confirm_card("5", kToday.iso(), "S01");
    CHECK_FALSE(intake::reception_list(rig.db, kToday)[0].due_this_month);

    // The addition is one audited change; undo takes the patient off the list.
    rig.db.undo(added.received.audit_id, "S01");
    CHECK(intake::reception_list(rig.db, kToday).empty());
    CHECK_THROWS_AS(rig.db.receive("404", "", "S01"), LedgerError);
}

TEST_CASE("auto_query off adds only and a card that cannot be asked about is reported while the patient stays listed") {
    Rig rig;
    rig.db.apply(patient("8", "ホケンショ ナシ", "1990-01-01", "", "", "", ""), "S01");
    rig.db.apply(patient("5", "シカク ゴロウ", "1990-01-01", "133033", "葛う10", "1639960291x005", "01"), "S01");
    auto off = intake::add_to_reception(rig.db, "5", kToday, "S01");
    CHECK(off.received.added);
    CHECK_FALSE(off.query);
    Run run(rig.root, rig.dir.path / "state.json");
    intake::AutoQuery aq{run.gw.get(), run.next(), 1000ms};
    auto no_card = intake::add_to_reception(rig.db, "8", kToday, "S01", aq);
    CHECK(no_card.received.added);
    CHECK_FALSE(no_card.query);
    CHECK_FALSE(no_card.refused.empty());
    CHECK_FALSE(no_card.refused_ja.empty());
    CHECK(rig.files("req", "OQS") == 0);
    auto rows = intake::reception_list(rig.db, kToday);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].column_text.empty());
    CHECK(rows[1].karte == "8");
}

TEST_CASE("face results that matched nobody that day are listed as 原簿未登録") {
    Rig rig;
    IntakeRecord row;
    row.sha256 = std::string(64, 'a');
    row.file = "OQSsiquc01res_face_x.xml";
    row.outcome = "unmatched";
    row.status = "valid";
    row.match = "none";
    row.raw = "<not xml";
    REQUIRE(rig.db.take_in(row, std::nullopt, "intake").recorded);
    auto rows = intake::reception_list(rig.db, kToday);
    REQUIRE(rows.size() == 1);
    CHECK_FALSE(rows[0].registered);
    CHECK(rows[0].karte.empty());
    CHECK(rows[0].file == "OQSsiquc01res_face_x.xml");
    CHECK(rows[0].status == "有効");
    CHECK(intake::reception_list(rig.db, kToday.add_days(1)).empty());
}

TEST_CASE("一括照会 of 50 patients stopped after the OQSmuquc01req and resumed sends one 01req and records all 50") {
    Rig rig;
    Terminal terminal(rig.root);
    std::vector<std::string> kartes;
    for (int i = 0; i < 50; ++i) {
        const std::string karte = std::to_string(100 + i);
        // Every fifth card is unknown to the terminal: 該当資格なし.
        rig.db.apply(patient(karte, "シカク ゴロウ", "1990-01-01", "133033", "葛う10",
                             i % 5 == 4 ? "9999" : "1639960291x005", "01"),
                     "S01");
        kartes.push_back(karte);
    }
    rig.db.apply(patient("8", "ホケンショ ナシ", "1990-01-01", "", "", "", ""), "S01");
    kartes.push_back("8");  // no card: skipped, never sent

    intake::BulkOptions opt;
    opt.medical_institution_code = kMic;
    opt.today = kToday;
    opt.poll_interval = 200ms;
    opt.wait = 20000ms;
    opt.root = rig.root;
    opt.staff_id = "S01";

    int64_t batch = 0;
    {
        Run first(rig.root, rig.dir.path / "state.json");
        auto started = intake::start_bulk(rig.db, first.gw->transport(), kartes, "karte", opt);
        batch = started.batch_id;
        REQUIRE(batch > 0);
        REQUIRE(started.skipped.size() == 1);
        CHECK(started.skipped[0].first == "8");
        auto b = rig.db.bulk(batch);
        REQUIRE(b);
        CHECK(b->state == "sent");
        CHECK(b->items.size() == 50);
        CHECK(rig.db.unfinished_bulks().size() == 1);
        auto s = intake::bulk_summary(rig.db, batch);
        CHECK(s.sent == 50);
        CHECK(s.pending == 50);
        // Every patient shows 照会中 at once.
        auto c = rig.db.check(b->items[0].check_id);
        REQUIRE(c);
        CHECK(c->method == CheckMethod::Bulk);
        CHECK(intake::column_text(*c).rfind("照会中", 0) == 0);
        // The program stops here (its transport with it), whether or not the 01res has come.
    }
    {
        Run second(rig.root, rig.dir.path / "state.json");
        auto s = intake::run_bulk(rig.db, second.gw->transport(), second.next(), batch, opt);
        INFO(s.message);
        CHECK(s.state == "done");
        CHECK(s.sent == 50);
        CHECK(s.answered == 50);
        CHECK(s.pending == 0);
        CHECK(s.by_status["valid"] == 40);
        CHECK(s.by_status["not_found"] == 10);
        CHECK_FALSE(s.reception_number.empty());
    }
    CHECK(rig.files("res", "OQSmuquc01res") == 1);  // one 01req was ever sent
    CHECK(rig.files("res", "OQSmuquc02res") >= 2);  // the first poll always finds it 処理中
    CHECK(rig.db.unfinished_bulks().empty());
    // Each record went back to its patient by its ArbitraryIdentifier.
    auto b = *rig.db.bulk(batch);
    for (const auto& item : b.items) {
        auto c = rig.db.check(item.check_id);
        REQUIRE(c);
        CHECK(c->karte == item.karte);
        const int i = std::stoi(item.karte) - 100;
        CHECK(c->status == (i % 5 == 4 ? "not_found" : "valid"));
        CHECK(c->raw_xml.find("<ArbitraryIdentifier>" + item.arbitrary_id + "</ArbitraryIdentifier>") !=
              std::string::npos);
    }
    // A third run has nothing left to do and sends nothing.
    Run third(rig.root, rig.dir.path / "state.json");
    auto s = intake::run_bulk(rig.db, third.gw->transport(), third.next(), batch, opt);
    CHECK(s.state == "done");
    CHECK(rig.files("res", "OQSmuquc01res") == 1);
}

TEST_CASE("一括照会 survives the terminal's restarts and polls again when a 02req is never answered") {
    Rig rig;
    const fs::path control = rig.dir.path / "control.json";
    auto set_control = [&](const std::string& json) { files::write_atomic(control, json); };
    for (int i = 0; i < 3; ++i)
        rig.db.apply(patient(std::to_string(200 + i), "シカク ゴロウ", "1990-01-01", "133033", "葛う10",
                             "1639960291x005", "01"),
                     "S01");
    intake::BulkOptions opt;
    opt.medical_institution_code = kMic;
    opt.today = kToday;
    opt.root = rig.root;
    opt.staff_id = "S01";
    const fs::path state = rig.dir.path / "state.json";
    int64_t batch = 0;
    {
        // The terminal takes the 01req, then stops before answering it.
        set_control(R"({"latency_ms": "60000"})");
        auto sim = start_simulator(rig.root, control);
        Run first(rig.root, state);
        batch = intake::start_bulk(rig.db, first.gw->transport(), {"200", "201", "202"}, "karte", opt).batch_id;
        REQUIRE(batch > 0);
        for (int i = 0; i < 400 && rig.files("req", "OQS") > 0; ++i) std::this_thread::sleep_for(10ms);
        REQUIRE(rig.files("req", "OQS") == 0);
    }
    {
        // Started again, it still answers the 01req it had taken; its first poll finds the job 処理中 and the
        // program stops before polling again.
        set_control("{}");
        auto sim = start_simulator(rig.root, control);
        Run second(rig.root, state);
        intake::BulkOptions o = opt;
        o.poll_interval = 60000ms;
        o.wait = 1500ms;
        auto s = intake::run_bulk(rig.db, second.gw->transport(), second.next(), batch, o);
        REQUIRE(s.state == "polling");
        REQUIRE_FALSE(s.reception_number.empty());
        CHECK(rig.db.bulk(batch)->poll_request.empty());
    }
    // A terminal started anew still knows the 受付番号; its polls go unanswered for a while.
    set_control(R"({"fault": "no_answer"})");
    auto sim = start_simulator(rig.root, control);
    Run third(rig.root, state, 200ms);
    intake::BulkOptions o = opt;
    o.poll_interval = 50ms;
    o.wait = 1000ms;
    auto s = intake::run_bulk(rig.db, third.gw->transport(), third.next(), batch, o);
    CHECK(s.state == "polling");
    CHECK(rig.db.bulk(batch)->polls >= 3);  // each unanswered poll timed out and was asked again
    set_control("{}");
    o.wait = 20000ms;
    s = intake::run_bulk(rig.db, third.gw->transport(), third.next(), batch, o);
    INFO(s.message);
    CHECK(s.state == "done");
    CHECK(s.answered == 3);
    CHECK(s.by_status["valid"] == 3);
    CHECK(rig.files("res", "OQSmuquc01res") == 1);
}

TEST_CASE("a 一括照会's answers are recorded in one transaction: all of them, or none when one is refused") {
    Rig rig;
    for (const char* k : {"300", "301"})
        rig.db.apply(patient(k, "シカク ゴロウ", "1990-01-01", "133033", "葛う10", "1639960291x005", "01"), "S01");
    auto b = rig.db.create_bulk("karte", {{"300", rig.db.patient("300")->current_card()->id},
                                          {"301", rig.db.patient("301")->current_card()->id}},
                                "S01");
    rig.db.bulk_sent(b.id, "OQSmuquc01req_x.xml", "S01");
    b = *rig.db.bulk(b.id);
    ledger::NewCheck valid;
    valid.status = "valid";
    valid.validity = "1";
    valid.processing_status = "1";
    rig.db.complete_check(b.items[1].check_id, valid, "S01");  // 301 answered already
    CHECK_THROWS_AS(rig.db.complete_checks({{b.items[0].check_id, valid}, {b.items[1].check_id, valid}}, "S01"),
                    LedgerError);
    CHECK(rig.db.check(b.items[0].check_id)->status == "processing");  // nothing of the refused batch written
    const auto ids = rig.db.complete_checks({{b.items[0].check_id, valid}}, "S01");
    CHECK(ids.size() == 1);
    CHECK(rig.db.check(b.items[0].check_id)->status == "valid");
}

TEST_CASE("a batch stopped before its 01req's name was kept is never sent again") {
    Rig rig;
    rig.db.apply(patient("5", "シカク ゴロウ", "1990-01-01", "133033", "葛う10", "1639960291x005", "01"), "S01");
    auto b = rig.db.create_bulk("karte", {{"5", rig.db.patient("5")->current_card()->id}}, "S01");
    CHECK(b.state == "sending");
    Run run(rig.root, rig.dir.path / "state.json");
    intake::BulkOptions opt;
    opt.today = kToday;
    opt.wait = 500ms;
    auto s = intake::run_bulk(rig.db, run.gw->transport(), run.next(), b.id, opt);
    CHECK(s.state == "uncertain");
    CHECK(rig.files("req", "OQS") == 0);
    CHECK(rig.db.unfinished_bulks().empty());
}

TEST_CASE("the list of 300 patients received that day with a check each") {
    Rig rig;
    for (int i = 0; i < 300; ++i) {
        const std::string karte = std::to_string(1000 + i);
        rig.db.apply(patient(karte, "シカク ゴロウ", "1990-01-01", "133033", "葛う10", "1639960291x005", "01"), "S01");
        rig.db.receive(karte, "", "S01");
        NewCheck c;
        c.karte = karte;
        c.method = CheckMethod::Face;
        c.status = i % 2 ? "valid" : "not_found";
        c.validity = i % 2 ? "1" : "4";
        rig.db.record_check(c, "intake");
    }
    auto rows = intake::reception_list(rig.db, kToday);
    REQUIRE(rows.size() == 300);
    CHECK(rows[0].karte == "1000");
    CHECK(rows[0].status == "該当なし");
    CHECK(rows[1].status == "有効");
    CHECK(rig.db.kartes_due(kToday.iso().substr(0, 8) + "01").size() == 300);
}
