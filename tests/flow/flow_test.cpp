// Every VisualConfirmFlow transition, driven through in-memory ports and a clock moved by hand.
#include <map>

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
    FakeLedger ledger;
    VisualConfirmFlow flow{card, ledger, clock.fn()};

    Step step() const { return flow.visit().step(); }
    const flow::Visit& v() const { return flow.visit(); }
    // The state of a step (on screen or under the lock); fails the test when the visit is elsewhere.
    template <class S>
    const S& at() const {
        const S* s = v().underneath<S>();
        REQUIRE(s);
        return *s;
    }
    const state::CardFace& card_face() const { return at<state::CardFace>(); }
    const state::Diff& diff() const { return at<state::Diff>(); }

    // Walks the happy path up to (and including) entering `target`.
    void reach(Step target) {
        auto at = [&](Step s) { return step() == target || s == target; };
        flow.handle(in::StaffButton{});
        if (at(Step::StaffAuth)) return;
        flow.handle(in::Passcode{"246810"});
        if (at(Step::ChooseReason)) return;
        flow.handle(in::ChooseReason{VisualReason::FaceAndPinFailed});
        if (at(Step::AwaitCard)) return;
        flow.handle(in::CardInserted{});
        flow.handle(in::CardInspected{{true, 10, "", ""}});
        if (at(Step::CardFace)) return;
        flow.handle(in::FaceNumber{"350602", "2030", "1234"});
        FaceReadOutcome ok;
        ok.status = FaceReadOutcome::Status::Ok;
        ok.tries_left_before = 10;
        ok.verify_sent = true;
        ok.face = genuine_face();
        flow.handle(in::FaceRead{ok});
        flow.handle(in::ConfirmPerson{});
        if (at(Step::Guidance)) return;
        guide_to_wait(flow);
        if (at(Step::FaceWait)) return;
        flow.handle(face_result(answer_with_consents()));
        if (at(Step::FaceConsents)) return;
        flow.handle(in::ShowDiff{});
    }
    // 資格 一郎's face result with the consents he chose on the reader: 診療情報 refused, 特定疾病 not asked.
    static oqs::QualificationResult answer_with_consents(const std::string& insurer = "139980") {
        auto r = answer_for_ichiro(insurer);
        auto& q = r.records[0];
        q.pharmacists = {"1", "20210801090000", "20210802090000"};
        q.diagnosis = {"0", "20210801090000", std::nullopt};
        q.specific_health_checkups = {"1", "20210801090000", "20210802090000"};
        q.operation = {"1", "20210801090000", "20210802090000"};
        q.limit_application_consent = {"1", "20210801090000", std::nullopt};
        return r;
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
    CHECK(t.step() == Step::ChooseReason);  // 目視確認の理由, one tap
    t.flow.handle(in::ChooseReason{VisualReason::CannotOperate});
    CHECK(t.step() == Step::AwaitCard);
    CHECK(t.v().visual_reason == VisualReason::CannotOperate);
    t.flow.handle(in::CardInserted{});
    CHECK(t.step() == Step::CardFace);
    CHECK(t.card.inspections == 1);
    t.flow.handle(in::CardInspected{{true, 10, "", ""}});
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
    // Staff are guided to the face-auth reader, one instruction at a time; no patient screen on the kiosk.
    CHECK(t.step() == Step::Guidance);
    CHECK_FALSE(is_patient_facing(t.step()));
    CHECK(t.v().chip_birth == "1960-06-02");
    CHECK(t.v().chip_sex == "1");
    for (size_t i = 0; i + 1 < guidance_steps().size(); ++i) {
        CHECK(t.at<state::Guidance>().index == i);
        t.flow.handle(in::GuidanceNext{});
    }
    t.flow.handle(in::GuidanceBack{});
    CHECK(t.at<state::Guidance>().index == guidance_steps().size() - 2);
    t.flow.handle(in::GuidanceNext{});
    t.flow.handle(in::GuidanceNext{});
    CHECK(t.step() == Step::FaceWait);
    CHECK(t.at<state::FaceWait>().since_ms == t.clock.now);
    CHECK(t.at<state::FaceWait>().until_ms == t.clock.now + 300000);
    // The patient answers on the reader; the terminal writes the face result.
    t.clock.advance(20000);
    t.flow.handle(face_result(Counter::answer_with_consents(), t.clock.now));
    CHECK(t.step() == Step::FaceConsents);
    CHECK(t.at<state::FaceConsents>().face.raw_xml == "<face/>");
    CHECK(t.v().consents[0] == true);            // 薬剤情報
    CHECK(t.v().consents[1] == false);           // 診療情報
    CHECK(t.v().consents[4] == true);            // 限度額
    CHECK_FALSE(t.v().consents[5].has_value());  // 特定疾病: not asked
    t.flow.handle(in::ShowDiff{});
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
    CHECK(plan.check->raw_xml == "<face/>");
    CHECK(plan.check->method == ledger::CheckMethod::Visual);  // 目視確認: staff confirmed the person
    CHECK(plan.consents.size() == 5);                          // the five the reader asked
    // 登録完了 clears itself after 10 s: nothing personal stays on screen.
    t.clock.advance(9999);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::Done);
    t.clock.advance(1);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::Standby);
    CHECK(t.v().as<state::Standby>());  // no card face, no OQS result: the step holds nothing
    CHECK(t.v().chip_birth.empty());
    CHECK(t.v().staff_id.empty());
    CHECK(t.v().card_present);  // the reader's state survives
}

TEST_CASE("flow: a result for another person never attaches, staff see whose it was") {
    Counter t;
    t.reach(Step::FaceWait);
    t.flow.handle(face_result(answer_for_goro()));
    CHECK(t.step() == Step::FaceWait);
    CHECK(t.at<state::FaceWait>().notice.id == text::Msg::AnotherPersonsResult);
    CHECK_THAT(text::ja(t.at<state::FaceWait>().notice),
               Catch::Contains("別の方の結果が届きました") && Catch::Contains("資格　五郎"));
    // Same birth date, other sex: not him either.
    auto other_sex = answer_for_ichiro();
    other_sex.records[0].sex1 = "2";
    t.flow.handle(face_result(other_sex));
    CHECK(t.step() == Step::FaceWait);
    // His own result still attaches afterwards.
    t.flow.handle(face_result(answer_for_ichiro()));
    CHECK(t.step() == Step::FaceConsents);
}

TEST_CASE("flow: a result from before 本人と確認しました is not this visit's, one during the instructions is") {
    Counter t;
    t.clock.advance(1000);
    t.reach(Step::Guidance);  // 本人と確認しました now: the window opens
    const int64_t confirmed = t.clock.now;
    CHECK(t.v().face_window_from_ms == confirmed);
    // Seen by the kiosk before the person was confirmed, handed over now: not this visit's.
    t.flow.handle(face_result(answer_for_ichiro(), confirmed - 1));
    CHECK(t.step() == Step::Guidance);
    // Staff still read the instructions while the patient answers on the reader: the result is theirs.
    t.clock.advance(4000);
    t.flow.handle(face_result(answer_for_ichiro(), t.clock.now));
    CHECK(t.step() == Step::FaceConsents);
}

TEST_CASE("flow: on 結果待ち the window still starts at 本人と確認しました") {
    Counter t;
    t.clock.advance(1000);
    t.reach(Step::Guidance);
    const int64_t confirmed = t.clock.now;
    t.clock.advance(6000);
    guide_to_wait(t.flow);
    REQUIRE(t.step() == Step::FaceWait);
    CHECK(t.at<state::FaceWait>().since_ms == confirmed);
    CHECK(t.at<state::FaceWait>().until_ms == t.clock.now + 300000);  // the timeout runs from the wait screen
    t.flow.handle(face_result(answer_for_ichiro(), confirmed - 1));
    CHECK(t.step() == Step::FaceWait);
    CHECK(t.at<state::FaceWait>().notice.empty());
    t.flow.handle(face_result(answer_for_ichiro(), confirmed + 10));
    CHECK(t.step() == Step::FaceConsents);
}

TEST_CASE("flow: the wait runs out into a screen that says what to check, もう一度待つ sends nothing") {
    Counter t;
    t.reach(Step::FaceWait);
    CHECK(t.flow.ms_to_next_timeout() <= 60000);  // the staff idle lock comes first
    t.flow.handle(in::Lock{});
    t.flow.handle(in::Passcode{"246810"});
    t.clock.advance(300000);
    t.flow.handle(in::Activity{});
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::FaceWait);  // the last millisecond of the window still counts
    t.clock.advance(1);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::FaceTimeout);
    // A late result of this person is recorded by the kiosk, never attached to the visit.
    t.flow.handle(face_result(answer_for_ichiro()));
    CHECK(t.step() == Step::FaceTimeout);
    CHECK(t.at<state::FaceTimeout>().notice.id == text::Msg::LateResult);
    t.flow.handle(in::WaitAgain{});
    CHECK(t.step() == Step::FaceWait);
    // A new wait from now; the window still opens on 本人と確認しました.
    CHECK(t.at<state::FaceWait>().until_ms == t.clock.now + 300000);
    CHECK(t.at<state::FaceWait>().since_ms == t.v().face_window_from_ms);
    CHECK(t.card.faces.size() == 1);  // nothing asked of the card again
    t.flow.handle(face_result(answer_for_ichiro()));
    CHECK(t.step() == Step::FaceConsents);
}

TEST_CASE("flow: a result naming nobody attaches only when staff say it is this person's") {
    Counter t;
    t.reach(Step::FaceWait);
    t.flow.handle(face_result(answer_not_found()));
    CHECK(t.step() == Step::FaceWait);
    REQUIRE(t.at<state::FaceWait>().unnamed);
    CHECK_THAT(text::ja(t.at<state::FaceWait>().notice), Catch::Contains("該当資格なし"));
    t.flow.handle(in::ClaimResult{false});
    CHECK_FALSE(t.at<state::FaceWait>().unnamed);
    CHECK(t.at<state::FaceWait>().notice.empty());
    t.flow.handle(in::ClaimResult{true});  // nothing held: nothing happens
    CHECK(t.step() == Step::FaceWait);
    t.flow.handle(face_result(answer_not_found()));
    t.flow.handle(in::ClaimResult{true});
    CHECK(t.step() == Step::FaceConsents);
    CHECK(t.at<state::FaceConsents>().claimed);
    t.flow.handle(in::ShowDiff{});
    REQUIRE(t.step() == Step::Diff);
    CHECK(t.diff().diff->classification == diff::Classification::NoValidCard);
}

TEST_CASE("flow: 中止 at every step writes nothing and returns to 待機") {
    for (Step s : {Step::StaffAuth, Step::ChooseReason, Step::AwaitCard, Step::CardFace, Step::Guidance, Step::FaceWait, Step::FaceConsents,
                   Step::Diff}) {
        Counter t;
        t.ledger.patients["13"] = ichiro();
        t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
        t.reach(s);
        INFO("abort at " << step_name(s));
        REQUIRE(t.step() == s);
        t.flow.handle(in::Abort{});
        CHECK(t.step() == Step::Aborted);
        CHECK(t.v().as<state::Aborted>());
        CHECK(t.v().staff_id.empty());
        CHECK(t.v().chip_birth.empty());
        // A late face result for the aborted visit is ignored.
        t.flow.handle(face_result(answer_for_ichiro()));
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

TEST_CASE("flow: a touch restarts the idle timer, 職員認証 left idle returns to 待機") {
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

TEST_CASE("flow: pulling the card after the person is confirmed is expected: it goes to the face-auth reader") {
    Counter t;
    t.reach(Step::Guidance);
    t.flow.handle(in::CardRemoved{});
    CHECK(t.step() == Step::Guidance);
    guide_to_wait(t.flow);
    t.flow.handle(in::CardInserted{});
    t.flow.handle(in::CardRemoved{});
    CHECK(t.step() == Step::FaceWait);
    CHECK(t.card.inspections == 1);
}

TEST_CASE("flow: a face result that arrives behind the lock shows after unlocking") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.reach(Step::FaceWait);
    t.clock.advance(60000);
    t.flow.handle(in::Tick{});
    REQUIRE(t.step() == Step::Locked);
    t.flow.handle(face_result(answer_for_ichiro()));
    CHECK(t.step() == Step::Locked);
    CHECK(t.v().covered() == Step::FaceConsents);
    t.flow.handle(in::Passcode{"246810"});
    CHECK(t.step() == Step::FaceConsents);
    t.flow.handle(in::ShowDiff{});
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
    t.flow.handle(in::CardInspected{{true, 2, "", ""}});
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
    CHECK(t.card.faces.size() == 1);  // no new VERIFY without a new staff action
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

TEST_CASE("flow: a different card is 更新 with a 切替日 from the dialog") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.reach(Step::FaceWait);
    t.flow.handle(face_result(answer_for_ichiro("133033")));
    t.flow.handle(in::ShowDiff{});
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

namespace {
// 資格 一郎 on 差分確認 of a 保険証変更 whose answer has a 限度額 from 2021-07-31.
void show_switch_with_limit(Counter& t) {
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.reach(Step::FaceWait);
    auto answer = answer_for_ichiro("133033");
    oqs::LimitApplicationCertificateInfo limit;
    limit.valid_start_date = "20210731";
    answer.records[0].limit_application = limit;
    t.flow.handle(face_result(answer));
    t.flow.handle(in::ShowDiff{});
}
}  // namespace

TEST_CASE("flow: the 切替日 dialog carries 保険有効開始日 and 限度額開始日 into the plan, checked first") {
    Counter t;
    show_switch_with_limit(t);
    // Prefilled from the answer: 切替日 from its 保険有効開始日 row.
    CHECK(t.diff().switch_date == "2021-08-01");
    CHECK(t.diff().valid_from == "2021-08-01");
    CHECK(t.diff().limit_from == "2021-07-31");
    t.flow.handle(in::Update{});
    REQUIRE(t.diff().switch_dialog);

    t.flow.handle(in::ConfirmSwitch{"2021-07-31", "2021-08-01", ""});
    CHECK(t.step() == Step::Diff);
    CHECK(t.diff().switch_dialog);
    CHECK(text::ja(t.diff().message) == "切替日が保険有効開始日より前です。新しい保険証は保険有効開始日から使えます。");
    t.flow.handle(in::ConfirmSwitch{"2021-08-01", "2021-08-01", "2021-02-30"});
    CHECK(text::ja(t.diff().message) == "限度額開始日が正しい日付ではありません。");
    t.flow.handle(in::ConfirmSwitch{"2021-08-01", "2021-06-31", ""});
    CHECK(text::ja(t.diff().message) == "保険有効開始日が正しい日付ではありません。");
    CHECK(t.ledger.applied.empty());

    t.flow.handle(in::ConfirmSwitch{"2021-08-02", "2021-07-20", "2021-08-05"});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    const auto& plan = t.ledger.applied[0].first;
    CHECK(plan.switch_date == "2021-08-02");
    std::map<ledger::Field, std::string> card;
    for (const auto& fv : plan.fields) card[fv.field] = fv.value;
    CHECK(card[ledger::Field::ValidFrom] == "2021-07-20");
    CHECK(card[ledger::Field::LimitFrom] == "2021-08-05");
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

TEST_CASE("flow: 更新する on a patient changed at another counter writes nothing and computes the diff again") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.versions["13"] = 5;
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    auto answer = answer_for_ichiro();
    answer.records[0].post_number = "100-0015";
    answer.records[0].address = "東京都港区1-1";
    t.reach(Step::FaceWait);
    t.flow.handle(face_result(answer));
    t.flow.handle(in::ShowDiff{});
    REQUIRE(t.diff().diff);
    CHECK(t.diff().base_version == 5);
    CHECK(t.diff().diff->classification == diff::Classification::Overwrite);
    t.flow.handle(in::SetOverwriteMode{true});
    t.flow.handle(in::ToggleField{ledger::Field::Postal});   // 上書き of the 郵便番号 …
    t.flow.handle(in::ToggleField{ledger::Field::Address});  // … and of the 住所
    CHECK(t.diff().checked.count(ledger::Field::Postal));
    CHECK(t.diff().checked.count(ledger::Field::Address));

    // Another counter changes his address meanwhile.
    t.ledger.patients["13"].patient.address = "東京都千代田区永田町2-1";
    t.ledger.versions["13"] = 6;
    t.flow.handle(in::Update{});
    CHECK(t.step() == Step::Diff);
    CHECK(t.ledger.applied.empty());
    CHECK(text::ja(t.diff().message) == "別の端末で更新されました。差分を取り直します");
    CHECK(t.diff().base_version == 6);
    REQUIRE(t.diff().patient);
    CHECK(t.diff().patient->patient.address == "東京都千代田区永田町2-1");
    // The 郵便番号 row is as staff saw it: their tick stays. The 住所 row changed: unticked (its default) until
    // staff look at it again.
    CHECK(t.diff().checked.count(ledger::Field::Postal));
    CHECK_FALSE(t.diff().checked.count(ledger::Field::Address));
    CHECK(t.diff().overwrite_mode);

    t.flow.handle(in::Update{});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    const auto& plan = t.ledger.applied[0].first;
    CHECK(plan.base_version == 6);
    REQUIRE(plan.fields.size() == 1);
    CHECK(plan.fields[0].field == ledger::Field::Postal);
}

// The 切替日 dialog's 保険有効開始日 and 限度額開始日 were reset to the answer's on a stale 更新する (only the
// 切替日 was kept), so the second 更新する wrote dates staff had not chosen.
TEST_CASE("flow: a stale 保険証変更 keeps all three dates of the 切替日 dialog") {
    Counter t;
    t.ledger.versions["13"] = 5;
    show_switch_with_limit(t);
    REQUIRE(t.diff().diff->classification == diff::Classification::SwitchCard);
    t.flow.handle(in::Update{});
    REQUIRE(t.diff().switch_dialog);
    t.ledger.versions["13"] = 6;  // another counter, while the dialog is open
    t.flow.handle(in::ConfirmSwitch{"2021-08-02", "2021-07-20", "2021-08-05"});
    CHECK(t.step() == Step::Diff);
    CHECK(t.ledger.applied.empty());
    CHECK(text::ja(t.diff().message) == "別の端末で更新されました。差分を取り直します");
    CHECK(t.diff().base_version == 6);
    CHECK(t.diff().switch_date == "2021-08-02");
    CHECK(t.diff().valid_from == "2021-07-20");
    CHECK(t.diff().limit_from == "2021-08-05");

    t.flow.handle(in::Update{});  // the dialog opens again with what staff chose
    REQUIRE(t.diff().switch_dialog);
    t.flow.handle(in::ConfirmSwitch{t.diff().switch_date, "", ""});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    const auto& plan = t.ledger.applied[0].first;
    CHECK(plan.base_version == 6);
    CHECK(plan.switch_date == "2021-08-02");
    std::map<ledger::Field, std::string> card;
    for (const auto& fv : plan.fields) card[fv.field] = fv.value;
    CHECK(card[ledger::Field::ValidFrom] == "2021-07-20");
    CHECK(card[ledger::Field::LimitFrom] == "2021-08-05");
}

TEST_CASE("flow: a stale diff of the visit's own face result marks nothing, キャンセル is never stale") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.versions["13"] = 5;
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    auto answer = answer_for_ichiro();
    answer.records[0].post_number = "100-0015";
    t.reach(Step::FaceWait);
    auto face = face_result(answer);
    face.check_id = 41;  // the check its intake recorded
    t.flow.handle(face);
    t.flow.handle(in::ShowDiff{});
    t.flow.handle(in::SetOverwriteMode{true});
    t.flow.handle(in::ToggleField{ledger::Field::Postal});
    t.ledger.versions["13"] = 6;  // another counter
    t.flow.handle(in::Update{});
    CHECK(t.step() == Step::Diff);
    CHECK(text::ja(t.diff().message) == "別の端末で更新されました。差分を取り直します");
    CHECK(t.ledger.marked.empty());  // the check is still as the intake recorded it
    CHECK(t.ledger.applied.empty());
    t.ledger.versions["13"] = 7;  // and once more before キャンセル: recording the check alone goes through
    t.flow.handle(in::Cancel{});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    CHECK(t.ledger.applied[0].first.kind == ledger::PlanKind::RecordCheckOnly);
    CHECK_FALSE(t.ledger.applied[0].first.base_version);
    CHECK(t.ledger.marked.size() == 1);
}

TEST_CASE("flow: a lost ledger server keeps 差分確認 as staff left it, with the server's message") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    auto answer = answer_for_ichiro();
    answer.records[0].post_number = "100-0015";
    t.reach(Step::FaceWait);
    t.flow.handle(face_result(answer));
    t.flow.handle(in::ShowDiff{});
    t.flow.handle(in::SetOverwriteMode{true});
    t.flow.handle(in::ToggleField{ledger::Field::Postal});
    REQUIRE(t.diff().checked.count(ledger::Field::Postal));
    const auto checked = t.diff().checked;
    t.ledger.unavailable = true;
    t.flow.handle(in::Update{});
    CHECK(t.step() == Step::Diff);
    CHECK(text::ja(t.diff().message) == "原簿サーバーに接続できません。");
    CHECK(t.diff().checked == checked);
    t.ledger.unavailable = false;  // the server is back: 更新する again
    t.flow.handle(in::Update{});
    CHECK(t.step() == Step::Done);
    CHECK(t.ledger.applied.size() == 1);
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
    t.reach(Step::FaceWait);
    auto old_card = answer_for_ichiro("139980");
    old_card.records[0].disqualification_date = "20210801";
    auto both = answer_for_ichiro("133033");
    both.records.insert(both.records.begin(), old_card.records[0]);  // the ended card first, as OQS sends it
    both.records[1].pharmacists = {"1", "20210801090000", "20210802090000"};
    t.flow.handle(face_result(both));
    CHECK(t.at<state::FaceConsents>().record_index == 1);
    CHECK(t.v().consents[0] == true);  // the consents of the record in force
    t.flow.handle(in::ShowDiff{});
    CHECK(t.diff().record_index == 1);
    REQUIRE(t.diff().diff);
    CHECK(t.diff().diff->classification == diff::Classification::SwitchCard);
}

TEST_CASE("flow: 目視確認の理由 is one tap after 職員認証 and stays with the visit until 待機") {
    Counter t;
    t.reach(Step::ChooseReason);
    REQUIRE(t.step() == Step::ChooseReason);
    CHECK(t.v().authenticated);
    CHECK(t.v().visual_reason == VisualReason::None);
    // No reason is no choice: the step stays.
    t.flow.handle(in::ChooseReason{VisualReason::None});
    CHECK(t.step() == Step::ChooseReason);
    // The card already on the reader: straight on to 券面確認.
    t.flow.handle(in::CardInserted{});
    CHECK(t.step() == Step::ChooseReason);
    t.flow.handle(in::ChooseReason{VisualReason::PinLocked});
    CHECK(t.step() == Step::CardFace);
    CHECK(t.card.inspections == 1);
    CHECK(t.v().visual_reason == VisualReason::PinLocked);
    t.flow.handle(in::Abort{});
    t.clock.advance(3000);
    t.flow.handle(in::Tick{});
    REQUIRE(t.step() == Step::Standby);
    CHECK(t.v().visual_reason == VisualReason::None);
}

TEST_CASE("flow: 目視確認の理由 locks after the staff idle time like every staff step") {
    Counter t;
    t.reach(Step::ChooseReason);
    CHECK(t.flow.ms_to_next_timeout() == 60000);
    t.clock.advance(60000);
    t.flow.handle(in::Tick{});
    CHECK(t.step() == Step::Locked);
    CHECK(t.v().covered() == Step::ChooseReason);
    t.flow.handle(in::Passcode{"246810"});
    CHECK(t.step() == Step::ChooseReason);
}

TEST_CASE("flow: the reason codes are the stored ones and read back in Japanese") {
    CHECK(visual_reasons().size() == 5);
    CHECK(std::string(visual_reason_key(VisualReason::FaceAndPinFailed)) == "face_and_pin_failed");
    CHECK(std::string(visual_reason_key(VisualReason::PinLocked)) == "pin_locked");
    CHECK(std::string(visual_reason_key(VisualReason::CannotOperate)) == "cannot_operate");
    CHECK(std::string(visual_reason_key(VisualReason::DeviceTrouble)) == "device_trouble");
    CHECK(std::string(visual_reason_key(VisualReason::Other)) == "other");
    CHECK(std::string(visual_reason_key(VisualReason::None)).empty());
    for (VisualReason r : visual_reasons()) CHECK(visual_reason_from_key(visual_reason_key(r)) == r);
    CHECK(visual_reason_ja("pin_locked") == "暗証番号ロック（3回失敗）");
    CHECK(visual_reason_ja("cannot_operate") == "本人が操作できない（認知症・体調不良など）");
    CHECK(visual_reason_ja("").empty());
    CHECK(visual_reason_ja("nonsense").empty());
}

TEST_CASE("flow: 職員用 is offered on 待機 only while somebody can sign in") {
    Counter t;
    t.ledger.staff.clear();  // nobody with a passcode
    t.flow.handle(in::Tick{});
    REQUIRE(t.v().as<state::Standby>());
    CHECK_FALSE(t.v().as<state::Standby>()->staff_button);
    t.ledger.staff = {{"S01", "受付 花子"}};  // a passcode was set meanwhile (onshi staff passcode)
    t.clock.advance(4999);
    t.flow.handle(in::Tick{});
    CHECK_FALSE(t.v().as<state::Standby>()->staff_button);  // not looked at again on every frame
    t.clock.advance(1);
    t.flow.handle(in::Tick{});
    CHECK(t.v().as<state::Standby>()->staff_button);
    // Back on 待機 after a visit it is looked at again at once.
    t.flow.handle(in::StaffButton{});
    REQUIRE(t.step() == Step::StaffAuth);
    t.ledger.staff.clear();
    t.flow.handle(in::Abort{});
    t.flow.handle(in::Acknowledge{});
    REQUIRE(t.step() == Step::Standby);
    CHECK_FALSE(t.v().as<state::Standby>()->staff_button);
}

TEST_CASE("flow: the 目視確認の理由 goes with the paired check into the ledger") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.reach(Step::ChooseReason);
    t.flow.handle(in::ChooseReason{VisualReason::CannotOperate});
    t.flow.handle(in::CardInserted{});
    t.flow.handle(in::CardInspected{{true, 10, "", ""}});
    t.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    FaceReadOutcome ok;
    ok.status = FaceReadOutcome::Status::Ok;
    ok.tries_left_before = 10;
    ok.face = genuine_face();
    t.flow.handle(in::FaceRead{ok});
    t.flow.handle(in::ConfirmPerson{});
    guide_to_wait(t.flow);
    auto face = face_result(answer_for_ichiro());
    face.check_id = 41;  // the check its intake recorded
    t.flow.handle(face);
    t.flow.handle(in::ShowDiff{});
    REQUIRE(t.step() == Step::Diff);
    t.flow.handle(in::Cancel{});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.marked_reasons.size() == 1);
    CHECK(t.ledger.marked[0].first == 41);
    CHECK(t.ledger.marked_reasons[0] == "cannot_operate");
}

namespace {
struct FakeRegistrar : ReferenceRegistrar {
    std::vector<std::pair<std::string, std::string>> asked;  // karte, staff
    void register_reference(const std::string& karte, const std::string& staff_id) override {
        asked.emplace_back(karte, staff_id);
    }
};

// 資格 一郎 at 差分確認 with an unchanged answer; `reference`: the 照会番号 OQS sent ("" none).
void unchanged_diff(Counter& t, const std::string& reference) {
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.reach(Step::FaceWait);
    auto answer = Counter::answer_with_consents();
    if (reference.empty())
        answer.records[0].reference_number = std::nullopt;
    else
        answer.records[0].reference_number = reference;
    t.flow.handle(face_result(answer));
    t.flow.handle(in::ShowDiff{});
    REQUIRE(t.step() == Step::Diff);
    REQUIRE(t.diff().diff->classification == diff::Classification::Unchanged);
}
}  // namespace

TEST_CASE("flow: 特健・薬剤等を取得する without a 照会番号 from OQS records the check and asks for 照会番号登録") {
    Counter t;
    FakeRegistrar reg;
    t.flow.set_registrar(&reg);
    unchanged_diff(t, "");
    CHECK(t.diff().diff->offer_medical_info);  // the manual: 内容が変わらず、照会番号が未登録
    CHECK(t.diff().actions.fetch_medical_info);
    t.flow.handle(in::FetchMedicalInfo{});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    const auto& plan = t.ledger.applied[0].first;
    CHECK(plan.kind == ledger::PlanKind::RecordCheckOnly);
    CHECK(plan.reference_number.empty());  // nothing linked locally: OQS registers it
    REQUIRE(plan.check);
    REQUIRE(reg.asked.size() == 1);
    CHECK(reg.asked[0] == std::pair<std::string, std::string>{"13", "S01"});
    CHECK(t.at<state::Done>().summary.id == text::Msg::DoneReferenceRequested);
}

TEST_CASE("flow: 特健・薬剤等を取得する with OQS's 照会番号 links it and sends nothing") {
    Counter t;
    FakeRegistrar reg;
    t.flow.set_registrar(&reg);
    unchanged_diff(t, "A1_1510110016");
    t.flow.handle(in::FetchMedicalInfo{});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    CHECK(t.ledger.applied[0].first.reference_number == "A1_1510110016");
    CHECK(reg.asked.empty());
    CHECK(t.at<state::Done>().summary.id == text::Msg::DoneReferenceLinked);
}

TEST_CASE("flow: 特健・薬剤等を取得する refused when the ledger refuses the check, nothing is sent") {
    Counter t;
    FakeRegistrar reg;
    t.flow.set_registrar(&reg);
    unchanged_diff(t, "");
    t.ledger.refuse = true;
    t.flow.handle(in::FetchMedicalInfo{});
    CHECK(t.step() == Step::Diff);
    CHECK(reg.asked.empty());
    CHECK_FALSE(t.diff().message.empty());
    // Without a registrar (a CLI or test flow) the button cannot register: a clear refusal, nothing written.
    Counter bare;
    unchanged_diff(bare, "");
    bare.flow.handle(in::FetchMedicalInfo{});
    CHECK(bare.step() == Step::Diff);
    CHECK(bare.ledger.applied.empty());
    CHECK(bare.diff().message.id == text::Msg::PlanNoReferenceNumber);
}
