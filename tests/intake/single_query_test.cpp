// 単件照会 by the card registered in the 原簿, end to end on real folders against the simulated terminal
// (in-process, as tests/oqs/test_transport.cpp runs it): every status the simulator answers, the column text
// of each, refusals before anything is written, and a time-out that leaves 照会中 without sending again.
#include <catch2/catch.hpp>

#include "core/intake/column_text.hpp"
#include "core/intake/single_query.hpp"
#include "core/oqs/simulator.hpp"
#include "core/rules/wareki.hpp"
#include "core/util/clock.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"
#include "tests/ledger/ledger_test_util.hpp"
#include "tests/support/simulated_terminal.hpp"

using namespace onshi;
using namespace onshi::ledger;
using namespace onshi::ledger::test;
using namespace onshi::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// The check's 確認日 is the time the simulator processed the request: the test asks on the real day.
const rules::Date kToday = local_today();
const std::string kDay = rules::format_wareki(kToday);

struct Rig {
    TempDir dir{"onshi-intake-query"};
    Clock clock;
    LedgerStore db;
    oqs::EventWaiter events;
    std::unique_ptr<oqs::OqsSimulator> sim;
    std::unique_ptr<oqs::FolderGateway> gw;

    explicit Rig(bool with_simulator = true, std::chrono::milliseconds timeout = 3000ms)
        : db(open_with(dir.path / "l.sqlite", clock)) {
        for (const char* d : {"req", "res", "face"}) fs::create_directories(dir.path / "oqs" / d);
        // The simulator's people (assets/oqs/people.json) as the clinic registered them.
        db.apply(registration("5", "シカク ゴロウ", "1990-01-01", "133033", "葛う10", "1639960291x005", "01"), "S01");
        db.apply(registration("6", "シカク サブロウ", "1990-01-01", "06140248", "10", "003", ""), "S01");
        db.apply(registration("13", "シカク イチロウ", "1960-06-02", "139980", "萩う10", "1639960291x001", "01"),
                 "S01");
        db.apply(registration("7", "シカク ダレカ", "1990-01-01", "133033", "葛う10", "9999", "01"), "S01");
        db.apply(registration("8", "ホケンショ ナシ", "1990-01-01", "", "", "", ""), "S01");
        db.apply(registration("9", "セイネン ガッピナシ", "", "133033", "葛う10", "1639960291x005", "01"), "S01");
        db.apply(registration("10", "エダバン ヒトケタ", "1990-01-01", "133033", "", "1", "1"), "S01");
        db.apply(registration("11", "ホケンシャ ヨンケタ", "1990-01-01", "1234", "", "1", ""), "S01");
        if (with_simulator) sim = start_simulator(dir.path / "oqs", dir.path / "control.json");
        gw = start_gateway(dir.path / "oqs", dir.path / "state.json", timeout, events.sink());
    }
    ~Rig() {
        gw.reset();
        sim.reset();
    }
    void fault(const std::string& f) {
        files::write_atomic(dir.path / "control.json", Json{{"fault", f}, {"latency_ms", "50"}}.dump());
    }
    intake::SingleQueryRun run(const std::string& karte, intake::LimitConsent consent = intake::LimitConsent::Unasked,
                               std::chrono::milliseconds wait = 8000ms) {
        return intake::run_single_query(
            db, *gw, [this](auto t) { return events.wait(t); }, karte, consent, kToday, wait, "S01");
    }
    size_t files_in(const char* sub) {
        size_t n = 0;
        for (const auto& e : fs::directory_iterator(dir.path / "oqs" / sub)) (void)e, ++n;
        return n;
    }
};

std::string refusal_ja(const std::function<void()>& f) {
    try {
        f();
    } catch (const intake::QueryRefused& e) {
        CHECK(std::string(e.what()).size() > 0);
        return e.message_ja;
    }
    FAIL("expected QueryRefused");
    return "";
}

}  // namespace

TEST_CASE("単件照会 end to end: every status the simulated terminal answers, with its column text") {
    Rig rig;
    struct Case {
        const char* karte;
        const char* fault;
        const char* status;
        std::string column;
    };
    const Case cases[] = {
        {"5", "", "valid", "有効 確認日：" + kDay},
        {"6", "", "invalid", "喪失 確認日：" + kDay + "【資格有効性:2】無効"},
        {"13", "", "invalid_new_qualification", "喪失 確認日：" + kDay + "【資格有効性:3】無効（新しい資格あり）"},
        {"7", "", "not_found", "該当なし 確認日：" + kDay + "【資格有効性:4】該当資格なし"},
        {"5", "status2", "error", "エラー 確認日：" + kDay + "【処理結果状況:2】【処理結果コード:EQS1002E】"},
        {"5", "validity:5", "multiple", "複数該当 確認日：" + kDay + "【資格有効性:5】複数該当"},
    };
    for (const auto& c : cases) {
        INFO(c.karte << " " << c.fault);
        rig.fault(c.fault);
        auto r = rig.run(c.karte);
        CHECK(r.answered);
        CHECK_FALSE(r.timed_out);
        CHECK(r.check.method == CheckMethod::Query);
        CHECK(r.check.status == c.status);
        CHECK(r.check.request == r.request);
        CHECK(r.check.card_id == rig.db.patient(c.karte)->current_card()->id);
        CHECK(r.check.checked_at.substr(0, 10) == kToday.iso());  // the answer's ProcessExecutionTime
        CHECK(intake::column_text(r.check) == c.column);
        CHECK(r.check.raw_xml.find("<XmlMsg>") != std::string::npos);
        // The latest check of the patient is this one, as 院内患者 shows it.
        CHECK(rig.db.patient(c.karte)->latest_check->id == r.check.id);
    }
}

TEST_CASE("単件照会: a terminal that refuses the request or ends abnormally is an エラー") {
    Rig rig;
    rig.fault("err");
    auto r = rig.run("5");
    CHECK(r.answered);
    CHECK(r.check.status == "error");
    CHECK(intake::column_text(r.check).rfind("エラー 確認日：", 0) == 0);
    CHECK(r.check.message.find("エラー") == 0);
    rig.fault("segment9");
    auto s = rig.run("5");
    CHECK(s.check.status == "error");
    CHECK(intake::column_text(s.check).rfind("エラー 確認日：" + kDay, 0) == 0);
}

TEST_CASE("単件照会: no answer leaves 照会中 and the request outstanding, never sent again") {
    Rig rig(true, 600ms);
    rig.fault("no_answer");
    auto r = rig.run("5");
    CHECK(r.timed_out);
    CHECK_FALSE(r.answered);
    CHECK(r.check.status == "processing");
    CHECK(intake::column_text(r.check) ==
          "照会中 確認日：" + rules::format_wareki(*rules::Date::from_iso(rig.clock.value.substr(0, 10))));
    auto pending = rig.db.pending_check(r.request);
    REQUIRE(pending);
    CHECK(pending->id == r.check.id);
    bool outstanding = false;
    for (const auto& o : rig.gw->transport().outstanding()) outstanding = outstanding || o.name == r.request;
    CHECK(outstanding);
    std::this_thread::sleep_for(300ms);
    CHECK(rig.files_in("req") + rig.sim->answered() <= 1);  // one request, taken by the terminal at most once
}

TEST_CASE("単件照会 refuses before anything is written to req/ or the ledger") {
    Rig rig(false);
    const size_t audits = rig.db.audit_log("", 1000).size();
    CHECK(refusal_ja([&] { rig.run("0"); }) == "カルテ番号 0 の患者様は資格確認できません。");
    CHECK(refusal_ja([&] { rig.run("000"); }) == "カルテ番号 0 の患者様は資格確認できません。");
    CHECK(refusal_ja([&] { rig.run("404"); }) == "カルテ番号 404 の患者様は原簿に登録されていません。");
    CHECK(refusal_ja([&] { rig.run("8"); }).find("保険証が登録されていない") != std::string::npos);
    CHECK(refusal_ja([&] { rig.run("9"); }).find("生年月日が登録されていない") != std::string::npos);
    CHECK(refusal_ja([&] { rig.run("10"); }).find("正しくない") != std::string::npos);  // 枝番 of one digit
    CHECK(refusal_ja([&] { rig.run("11"); }).find("正しくない") != std::string::npos);  // 保険者番号 of four
    CHECK(rig.files_in("req") == 0);
    CHECK(rig.db.audit_log("", 1000).size() == audits);
}

TEST_CASE("単件照会 sends the registered card and the 限度額 consent as the request carries it") {
    auto flag_sent = [](intake::LimitConsent consent) {
        Rig rig(false, 300ms);  // nobody answers: the request stays in req/ to be read
        auto r = rig.run("5", consent, 1000ms);
        CHECK(r.timed_out);
        auto bytes = files::read(rig.dir.path / "oqs" / "req" / r.request);
        REQUIRE(bytes);
        auto m = oqs::parse_file(*bytes, oqs::MessageKind::Siquc01Req).message;
        REQUIRE(m.body.search.size() == 1);
        const auto& s = m.body.search[0];
        CHECK(s.insurer_number == "  133033");  // 6-digit 国保, space-padded
        CHECK(s.insured_card_symbol == "葛う10");
        CHECK(s.insured_identification_number == "1639960291x005");
        CHECK(s.insured_branch_number == "01");
        CHECK(s.birthdate == "19900101");
        CHECK(m.header.qualification_confirmation_date == kToday.oqs());
        CHECK(m.header.medical_institution_code == kMic);
        return s.limit_application_certificate_related_cons_flg.value_or("");
    };
    CHECK(flag_sent(intake::LimitConsent::Yes) == "1");
    CHECK(flag_sent(intake::LimitConsent::No) == "0");
    CHECK(flag_sent(intake::LimitConsent::Unasked) == "0");
    CHECK(intake::limit_consent_from_code("yes") == intake::LimitConsent::Yes);
    CHECK_FALSE(intake::limit_consent_from_code("maybe"));
}
