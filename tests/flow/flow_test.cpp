// Every VisualConfirmFlow transition, driven through in-memory ports and a clock moved by hand.
#include <catch2/catch.hpp>

#include "tests/flow/fakes.hpp"

using namespace onshi;
using namespace onshi::flow;
using namespace onshi::flow::test;

namespace {

CardFaceView genuine_face() {
    CardFaceView f;
    f.birth = "1960-06-02";
    f.sex = "1";
    f.expiry = "2030-06-02";
    f.signature_ok = true;
    f.challenge_ok = true;
    f.verdict = Verdict::Genuine;
    return f;
}

// One reception counter: the flow with its fake ports.
struct Counter {
    ManualClock clock;
    FakeCard card;
    FakeOqs oqs;
    FakeLedger ledger;
    VisualConfirmFlow flow{card, oqs, ledger, clock.fn()};

    Step step() const { return flow.visit().step(); }
    const flow::Visit& v() const { return flow.visit(); }
    // The state of a step (on screen or under the lock); fails the test when the visit is elsewhere.
    template <class S> const S& at() const {
        const S* s = v().underneath<S>();
        REQUIRE(s);
        return *s;
    }
    const state::CardFace& card_face() const { return at<state::CardFace>(); }
    const state::Diff& diff() const { return at<state::Diff>(); }
    std::string request() const { return v().underneath<state::Querying>() ? at<state::Querying>().request : ""; }

    // Walks the happy path up to (and including) entering `target`.
    void reach(Step target) {
        auto at = [&](Step s) { return step() == target || s == target; };
        flow.handle(in::StaffButton{});
        if (at(Step::StaffAuth)) return;
        flow.handle(in::Passcode{"246810"});
        if (at(Step::AwaitCard)) return;
        flow.handle(in::CardInserted{});
        flow.handle(in::CardInspected{{true, 10, "DER-CERT", ""}});
        if (at(Step::CardFace)) return;
        flow.handle(in::FaceNumber{"350602", "2030", "1234"});
        FaceReadOutcome ok;
        ok.status = FaceReadOutcome::Status::Ok;
        ok.tries_left_before = 10;
        ok.verify_sent = true;
        ok.face = genuine_face();
        flow.handle(in::FaceRead{ok});
        flow.handle(in::ConfirmPerson{});
        if (at(Step::Consent)) return;
        for (size_t i = 0; i < kConsentCount; ++i) flow.handle(in::ConsentAnswer{i % 2 == 0});
        if (at(Step::Handback)) return;
        flow.handle(in::TakeBack{});
        if (at(Step::Querying)) return;
        flow.handle(in::OqsAnswer{request(), answer_for_ichiro(), "<answer/>"});
    }
};

}  // namespace

TEST_CASE("flow: the happy path walks every step and records the check") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    CHECK(t.step() == Step::Standby);
    t.flow.handle(in::StaffButton{});
    CHECK(t.step() == Step::StaffAuth);
    CHECK(t.v().staff_id == "S01");  // the only member is preselected
    t.flow.handle(in::Passcode{"246810"});
    CHECK(t.step() == Step::AwaitCard);
    t.flow.handle(in::CardInserted{});
    CHECK(t.step() == Step::CardFace);
    CHECK(t.card.inspections == 1);
    t.flow.handle(in::CardInspected{{true, 10, "DER-CERT", ""}});
    CHECK(t.card_face().tries_left == 10);
    t.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    REQUIRE(t.card.faces.size() == 1);
    CHECK(t.card.faces[0] == "35060220301234");
    FaceReadOutcome ok;
    ok.status = FaceReadOutcome::Status::Ok;
    ok.tries_left_before = 10;
    ok.face = genuine_face();
    t.flow.handle(in::FaceRead{ok});
    REQUIRE(t.card_face().face);
    t.flow.handle(in::ConfirmPerson{});
    CHECK(t.step() == Step::Consent);
    CHECK(is_patient_facing(t.step()));
    for (size_t i = 0; i < kConsentCount; ++i) {
        CHECK(t.at<state::Consent>().index == i);
        t.flow.handle(in::ConsentAnswer{i != 1});  // 診療情報 refused, the rest agreed
    }
    CHECK(t.step() == Step::Handback);
    t.flow.handle(in::TakeBack{});
    CHECK(t.step() == Step::Querying);
    REQUIRE(t.oqs.card_queries.size() == 1);
    const auto& q = t.oqs.card_queries[0];
    CHECK(q.certificate_der == "DER-CERT");
    CHECK(q.method == oqs::ConfirmationMethod::Visual);
    CHECK(q.consents.pharmacists == true);
    CHECK(q.consents.diagnosis == false);
    CHECK(q.consents.specific_diseases == true);
    t.flow.handle(in::OqsAnswer{t.request(), answer_for_ichiro(), "<answer/>"});
    CHECK(t.step() == Step::Diff);
    REQUIRE(t.diff().diff);
    CHECK(t.diff().diff->classification == diff::Classification::Unchanged);
    CHECK(t.diff().diff->offer_medical_info);  // no 照会番号 registered for him yet
    t.flow.handle(in::Cancel{});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    const auto& [plan, staff] = t.ledger.applied[0];
    CHECK(staff == "S01");
    CHECK(plan.kind == ledger::PlanKind::RecordCheckOnly);
    CHECK(plan.karte == "13");
    REQUIRE(plan.check);
    CHECK(plan.check->raw_xml == "<answer/>");
    CHECK(plan.consents.size() == kConsentCount);
    // 登録完了 clears itself after 10 s: nothing personal stays on screen.
    t.clock.advance(9999);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::Done);
    t.clock.advance(1);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::Standby);
    CHECK(t.v().as<state::Standby>());  // no card face, no OQS result: the step holds nothing
    CHECK(t.v().certificate_der.empty());
    CHECK(t.v().staff_id.empty());
    CHECK(t.v().card_present);  // the reader's state survives
}

TEST_CASE("flow: 中止 at every step writes nothing and returns to 待機") {
    for (Step s : {Step::StaffAuth, Step::AwaitCard, Step::CardFace, Step::Consent, Step::Handback, Step::Querying,
                   Step::Diff}) {
        Counter t;
        t.ledger.patients["13"] = ichiro();
        t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
        t.reach(s);
        INFO("abort at " << step_name(s));
        REQUIRE(t.step() == s);
        std::string request = t.request();
        t.flow.handle(in::Abort{});
        CHECK(t.step() == Step::Aborted);
        CHECK(t.v().as<state::Aborted>());
        CHECK(t.v().staff_id.empty());
        // A late answer for the aborted visit is ignored.
        if (!request.empty()) t.flow.handle(in::OqsAnswer{request, answer_for_ichiro(), "<late/>"});
        CHECK(t.step() == Step::Aborted);
        t.clock.advance(3000);
        t.flow.handle(in::Tick{});
        CHECK(t.step() == Step::Standby);
        CHECK(t.ledger.applied.empty());
    }
}

TEST_CASE("flow: staff screens lock after 60 s idle and resume after the passcode") {
    Counter t;
    t.reach(Step::AwaitCard);
    t.clock.advance(59999);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::AwaitCard);
    CHECK(t.flow.ms_to_next_timeout() == 1);
    t.clock.advance(1);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::Locked);
    t.flow.handle(in::Passcode{"000000"});
    CHECK(t.step() == Step::Locked);
    REQUIRE(t.v().lock);
    CHECK_FALSE(t.v().lock->auth.message.empty());
    t.flow.handle(in::Passcode{"246810"});
    CHECK(t.step() == Step::AwaitCard);
}

TEST_CASE("flow: a touch restarts the idle timer; 職員認証 left idle returns to 待機") {
    Counter t;
    t.reach(Step::AwaitCard);
    t.clock.advance(50000);
    t.flow.handle(in::Activity{});
    t.clock.advance(50000);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::AwaitCard);
    Counter u;
    u.reach(Step::StaffAuth);
    u.clock.advance(60000);
    u.flow.handle(in::Tick{});
    CHECK(u.step() == Step::Standby);
}

TEST_CASE("flow: the patient screens hand back to staff after their timeout") {
    Counter t;
    t.reach(Step::Consent);
    t.flow.handle(in::ConsentAnswer{true});
    t.clock.advance(90000);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::Handback);
    CHECK(t.at<state::Handback>().timed_out);
    CHECK(t.v().consents[0] == true);
    CHECK_FALSE(t.v().consents[1].has_value());
    t.flow.handle(in::RestartConsent{});
    CHECK(t.step() == Step::Consent);
    CHECK(t.at<state::Consent>().index == 0);
}

TEST_CASE("flow: an OQS answer that arrives behind the lock shows after unlocking") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.reach(Step::Querying);
    t.clock.advance(60000);
    t.flow.handle(in::Tick{});
    REQUIRE(t.step() == Step::Locked);
    t.flow.handle(in::OqsAnswer{t.request(), answer_for_ichiro(), "<answer/>"});
    CHECK(t.step() == Step::Locked);
    CHECK(t.diff().message.empty());
    t.flow.handle(in::Passcode{"246810"});
    CHECK(t.step() == Step::Diff);
    CHECK(t.diff().diff);
}

TEST_CASE("flow: a wrong 照合番号B reports the tries left and is never retried by the flow") {
    Counter t;
    t.reach(Step::CardFace);
    t.flow.handle(in::FaceNumber{"350602", "2030", "9999"});
    FaceReadOutcome wrong;
    wrong.status = FaceReadOutcome::Status::WrongNumber;
    wrong.tries_left_before = 10;
    wrong.tries_left_after = 9;
    wrong.verify_sent = true;
    t.flow.handle(in::FaceRead{wrong});
    CHECK(t.step() == Step::CardFace);
    CHECK(t.card_face().tries_left == 9);
    CHECK_THAT(text::ja(t.card_face().message), Catch::Contains("残り9回"));
    CHECK(t.card.faces.size() == 1);
    // A malformed entry is refused before anything reaches the card.
    t.flow.handle(in::FaceNumber{"3506", "2030", "1234"});
    CHECK(t.card.faces.size() == 1);
    CHECK_THAT(text::ja(t.card_face().message), Catch::Contains("和暦6桁"));
}

TEST_CASE("flow: at or below the safety floor nothing is sent to the card") {
    Counter t;
    t.reach(Step::AwaitCard);
    t.flow.handle(in::CardInserted{});
    t.flow.handle(in::CardInspected{{true, 2, "DER", ""}});
    CHECK_THAT(text::ja(t.card_face().message), Catch::Contains("残り2回"));
    t.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    CHECK(t.card.faces.empty());
}

TEST_CASE("flow: a blocked card ends in エラー with the municipality guidance") {
    Counter t;
    t.reach(Step::CardFace);
    t.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    FaceReadOutcome blocked;
    blocked.status = FaceReadOutcome::Status::Blocked;
    blocked.message_en = "counter is 0";
    t.flow.handle(in::FaceRead{blocked});
    CHECK(t.step() == Step::Error);
    CHECK_THAT(text::ja(t.at<state::Error>().guidance), Catch::Contains("市区町村"));
    t.flow.handle(in::Acknowledge{});
    CHECK(t.step() == Step::Standby);
}

TEST_CASE("flow: pulling the card before the person is confirmed goes back to カード待ち") {
    Counter t;
    t.reach(Step::CardFace);
    t.flow.handle(in::CardRemoved{});
    CHECK(t.step() == Step::AwaitCard);
    CHECK_FALSE(t.v().underneath<state::CardFace>());  // the inspection went with the step
    CHECK_THAT(text::ja(t.at<state::AwaitCard>().message), Catch::Contains("取り外されました"));
    // A read finishing after the pull is stale and ignored.
    FaceReadOutcome ok;
    ok.status = FaceReadOutcome::Status::Ok;
    ok.face = genuine_face();
    t.flow.handle(in::FaceRead{ok});
    CHECK(t.step() == Step::AwaitCard);
    CHECK_FALSE(t.v().underneath<state::CardFace>());
    t.flow.handle(in::CardInserted{});
    CHECK(t.step() == Step::CardFace);
    CHECK(t.card.inspections == 2);
}

TEST_CASE("flow: a card read that fails mid-way says whether a try was spent") {
    Counter t;
    t.reach(Step::CardFace);
    t.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    FaceReadOutcome err;
    err.status = FaceReadOutcome::Status::CardError;
    err.verify_sent = false;
    t.flow.handle(in::FaceRead{err});
    CHECK(t.step() == Step::CardFace);  // the card is still there: inspected again
    CHECK(t.card.inspections == 2);
    CHECK(t.card.faces.size() == 1);    // no new VERIFY without a new staff action
}

TEST_CASE("flow: a forged-suspect card cannot be confirmed") {
    Counter t;
    t.reach(Step::CardFace);
    t.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    FaceReadOutcome ok;
    ok.status = FaceReadOutcome::Status::Ok;
    ok.face = genuine_face();
    ok.face->signature_ok = false;
    ok.face->verdict = Verdict::ForgedSuspect;
    t.flow.handle(in::FaceRead{ok});
    t.flow.handle(in::ConfirmPerson{});
    CHECK(t.step() == Step::CardFace);
    CHECK_THAT(text::ja(t.card_face().message), Catch::Contains("偽造"));
}

TEST_CASE("flow: no answer from the OQS terminal is an エラー, never re-sent") {
    Counter t;
    t.reach(Step::Querying);
    std::string request = t.request();
    t.flow.handle(in::OqsFailed{"OQSsomeone_else.xml", "not ours", true});
    CHECK(t.step() == Step::Querying);
    t.flow.handle(in::OqsFailed{request, "no answer within 60 s", true});
    CHECK(t.step() == Step::Error);
    CHECK_THAT(text::ja(t.at<state::Error>().guidance), Catch::Contains("オン資PC"));
    CHECK_THAT(text::ja(t.at<state::Error>().guidance), Catch::Contains("再送しません"));
    CHECK(t.oqs.card_queries.size() == 1);
    // The late answer after the error changes nothing.
    t.flow.handle(in::OqsAnswer{request, answer_for_ichiro(), "<late/>"});
    CHECK(t.step() == Step::Error);
    CHECK(t.ledger.applied.empty());
}

TEST_CASE("flow: a request that cannot be written is an エラー at once") {
    Counter t;
    t.oqs.fail = true;
    t.reach(Step::Handback);
    t.flow.handle(in::TakeBack{});
    CHECK(t.step() == Step::Error);
    CHECK_THAT(t.at<state::Error>().detail, Catch::Contains("not writable"));
}

TEST_CASE("flow: a different card is 更新 with a 切替日 from the dialog") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.reach(Step::Querying);
    t.flow.handle(in::OqsAnswer{t.request(), answer_for_ichiro("133033"), "<answer/>"});
    REQUIRE(t.diff().diff);
    CHECK(t.diff().diff->classification == diff::Classification::SwitchCard);
    CHECK(t.diff().switch_date == "2021-08-01");
    t.flow.handle(in::Update{});
    CHECK(t.diff().switch_dialog);
    t.flow.handle(in::ConfirmSwitch{"2021-02-30"});
    CHECK(t.step() == Step::Diff);
    CHECK_THAT(text::ja(t.diff().message), Catch::Contains("切替日"));
    t.flow.handle(in::ConfirmSwitch{"2021-08-01"});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    CHECK(t.ledger.applied[0].first.kind == ledger::PlanKind::SwitchCard);
    CHECK(t.ledger.applied[0].first.switch_date == "2021-08-01");
}

TEST_CASE("flow: a refused ledger change keeps 差分確認 with the ledger's message") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.ledger.refuse = true;
    t.reach(Step::Diff);
    t.flow.handle(in::Cancel{});
    CHECK(t.step() == Step::Diff);
    CHECK(text::ja(t.diff().message) == "ほかの端末で変更されました。");
}

TEST_CASE("flow: an ambiguous match waits for staff to choose a candidate or 新患") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    diff::MatchResult m;
    m.kind = diff::MatchResult::Kind::Choose;
    m.candidates = {{"13", "資格　一郎", "シカク イチロウ", "1960-06-02", "1", rules::Tier::Probable, "", false},
                    {"99", "資格　一朗", "シカク イチロウ", "1960-06-02", "1", rules::Tier::Probable, "", false}};
    t.ledger.next_match = m;
    t.reach(Step::Diff);
    CHECK(t.diff().choosing_patient);
    CHECK_FALSE(t.diff().diff);
    t.flow.handle(in::Update{});
    CHECK(t.ledger.applied.empty());
    t.flow.handle(in::ChooseCandidate{"77"});  // not offered
    CHECK(t.diff().choosing_patient);
    t.flow.handle(in::ChooseCandidate{"13"});
    CHECK_FALSE(t.diff().choosing_patient);
    REQUIRE(t.diff().patient);
    CHECK(t.diff().patient->patient.karte == "13");
}

TEST_CASE("flow: 新患 registration when nobody matches") {
    Counter t;
    t.ledger.next_match = {diff::MatchResult::Kind::None, "", {}};
    t.reach(Step::Diff);
    REQUIRE(t.diff().diff);
    CHECK(t.diff().diff->classification == diff::Classification::NewPatient);
    t.flow.handle(in::Register{});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    CHECK(t.ledger.applied[0].first.kind == ledger::PlanKind::RegisterPatient);
}

TEST_CASE("flow: no staff registered is an エラー that says how to add one") {
    Counter t;
    t.ledger.staff.clear();
    t.flow.handle(in::StaffButton{});
    CHECK(t.step() == Step::Error);
    CHECK_THAT(text::ja(t.at<state::Error>().guidance), Catch::Contains("onshi staff add"));
}

TEST_CASE("flow: inputs are named for logs without their secrets") {
    CHECK(std::string(input_name(in::Passcode{"246810"})) == "passcode");
    CHECK(std::string(input_name(in::FaceNumber{"350602", "2030", "1234"})) == "face_number");
}

TEST_CASE("flow: of several OQS records the diff uses the one still in force") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.reach(Step::Querying);
    auto old_card = answer_for_ichiro("139980");
    old_card.records[0].disqualification_date = "20210801";
    auto both = answer_for_ichiro("133033");
    both.records.insert(both.records.begin(), old_card.records[0]);  // the ended card first, as OQS sends it
    t.flow.handle(in::OqsAnswer{t.request(), both, "<answer/>"});
    CHECK(t.diff().record_index == 1);
    REQUIRE(t.diff().diff);
    CHECK(t.diff().diff->classification == diff::Classification::SwitchCard);
}
