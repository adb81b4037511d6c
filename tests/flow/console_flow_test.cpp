// The reception console's paths through the visit flow: an answer opened from 受付一覧 (in::ReviewAnswer)
// goes to the same 差分確認 and comes back to カード待ち; an answer whose check is already recorded (the face
// intake's, the 単件照会's) never gets a second check row, and the visit's own face result has that one check
// marked 目視確認 by the staff member.
#include <catch2/catch.hpp>

#include "tests/flow/fakes.hpp"

using namespace onshi;
using namespace onshi::flow;
using namespace onshi::flow::test;

namespace {

struct Desk {
    ManualClock clock;
    FakeCard card;
    FakeLedger ledger;
    VisualConfirmFlow flow{card, ledger, clock.fn()};

    Desk() {
        ledger.patients["13"] = ichiro();
        ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    }
    Step step() const { return flow.visit().step(); }
    const state::Diff& diff() const {
        const auto* d = flow.visit().underneath<state::Diff>();
        REQUIRE(d);
        return *d;
    }
    // 職員認証 (and 目視確認の理由 when the flow asks for it) to カード待ち.
    void sign_in() {
        flow.handle(in::StaffButton{});
        flow.handle(in::Passcode{"246810"});
        if (step() == Step::ChooseReason) flow.handle(in::ChooseReason{VisualReason::FaceAndPinFailed});
        REQUIRE(step() == Step::AwaitCard);
    }
    // The whole 目視確認 visit up to 差分確認, its face result carrying the check its intake recorded.
    void visit_to_diff(int64_t check_id) {
        sign_in();
        flow.handle(in::CardInserted{});
        flow.handle(in::CardInspected{{true, 10, "", ""}});
        flow.handle(in::FaceNumber{"350602", "2030", "1234"});
        FaceReadOutcome ok;
        ok.status = FaceReadOutcome::Status::Ok;
        ok.tries_left_before = 10;
        CardFaceView f;
        f.birth = "1960-06-02";
        f.sex = "1";
        f.verdict = Verdict::Genuine;
        ok.face = f;
        flow.handle(in::FaceRead{ok});
        flow.handle(in::ConfirmPerson{});
        guide_to_wait(flow);
        REQUIRE(step() == Step::FaceWait);
        auto face = face_result(answer_for_ichiro());
        face.check_id = check_id;
        flow.handle(face);
        REQUIRE(step() == Step::FaceConsents);
        flow.handle(in::ShowDiff{});
        REQUIRE(step() == Step::Diff);
    }
    in::ReviewAnswer review(const std::string& karte, int64_t check_id) const {
        return in::ReviewAnswer{answer_for_ichiro(), "<answer/>", karte, check_id};
    }
};

}  // namespace

TEST_CASE("console flow: a paired face result keeps its one check, marked 目視確認 by the staff member") {
    Desk t;
    t.visit_to_diff(41);
    CHECK(t.diff().check_id == 41);
    CHECK(t.diff().paired_face);
    CHECK_FALSE(t.diff().from_console);
    SECTION("キャンセル writes no second check: the plan's check is the recorded one, its consents attach to it") {
        t.flow.handle(in::Cancel{});
        CHECK(t.step() == Step::Done);
        REQUIRE(t.ledger.applied.size() == 1);
        CHECK(t.ledger.applied[0].first.existing_check_id == 41);
        REQUIRE(t.ledger.marked.size() == 1);
        CHECK(t.ledger.marked[0] == std::make_pair(int64_t(41), std::string("S01")));
        const auto* done = t.flow.visit().as<state::Done>();
        REQUIRE(done);
        CHECK_FALSE(done->to_console);
        t.flow.handle(in::Acknowledge{});
        CHECK(t.step() == Step::Standby);  // a visit ends on 待機
    }
    SECTION("更新する (上書き) writes the fields and no check") {
        t.flow.handle(in::SetOverwriteMode{true});
        t.flow.handle(in::ToggleField{ledger::Field::Postal});
        t.flow.handle(in::Update{});
        CHECK(t.step() == Step::Done);
        REQUIRE(t.ledger.applied.size() == 1);
        CHECK(t.ledger.applied[0].first.kind == ledger::PlanKind::OverwriteFields);
        CHECK(t.ledger.applied[0].first.existing_check_id == 41);
        CHECK(t.ledger.marked.size() == 1);
    }
    SECTION("a refused mark leaves 差分確認 with the ledger's message and nothing applied") {
        t.ledger.refuse = true;
        t.flow.handle(in::Cancel{});
        CHECK(t.step() == Step::Diff);
        CHECK_FALSE(t.diff().message.empty());
        CHECK(t.ledger.applied.empty());
    }
}

TEST_CASE("console flow: a face result without a recorded check still records the visit's own check") {
    Desk t;
    t.visit_to_diff(0);
    t.flow.handle(in::Cancel{});
    REQUIRE(t.ledger.applied.size() == 1);
    REQUIRE(t.ledger.applied[0].first.check);
    CHECK(t.ledger.applied[0].first.check->method == ledger::CheckMethod::Visual);
    CHECK(t.ledger.applied[0].first.existing_check_id == 0);  // a new row: nothing was recorded for it
    CHECK(t.ledger.marked.empty());
}

TEST_CASE("console flow: a 単件照会 answer opens 差分確認 for its patient and returns to the console") {
    Desk t;
    t.sign_in();
    t.flow.handle(t.review("13", 77));
    REQUIRE(t.step() == Step::Diff);
    CHECK(t.diff().from_console);
    CHECK(t.diff().check_id == 77);
    CHECK_FALSE(t.diff().paired_face);
    REQUIRE(t.diff().patient);
    CHECK(t.diff().patient->patient.karte == "13");
    CHECK(t.diff().raw_xml == "<answer/>");
    SECTION("キャンセル: the 単件照会's check is its only row; OK goes back to カード待ち") {
        t.flow.handle(in::Cancel{});
        CHECK(t.step() == Step::Done);
        REQUIRE(t.ledger.applied.size() == 1);
        CHECK(t.ledger.applied[0].first.kind == ledger::PlanKind::RecordCheckOnly);
        CHECK(t.ledger.applied[0].first.existing_check_id == 77);
        CHECK(t.ledger.marked.empty());  // a 単件照会 stays a 単件照会
        const auto* done = t.flow.visit().as<state::Done>();
        REQUIRE(done);
        CHECK(done->to_console);
        t.flow.handle(in::Acknowledge{});
        CHECK(t.step() == Step::AwaitCard);
        CHECK(t.flow.visit().authenticated);  // still signed in: the console shows again
        CHECK(t.flow.visit().staff_id == "S01");
    }
    SECTION("更新する writes without a check; 登録完了 clears itself back to カード待ち") {
        t.flow.handle(in::SetOverwriteMode{true});
        t.flow.handle(in::ToggleField{ledger::Field::Postal});
        t.flow.handle(in::Update{});
        REQUIRE(t.ledger.applied.size() == 1);
        CHECK(t.ledger.applied[0].first.existing_check_id == 77);
        t.clock.advance(10000);
        t.flow.handle(in::Tick{});
        CHECK(t.step() == Step::AwaitCard);
    }
    SECTION("中止 still ends on 待機 and writes nothing") {
        t.flow.handle(in::Abort{});
        CHECK(t.step() == Step::Aborted);
        CHECK(t.ledger.applied.empty());
    }
}

TEST_CASE("console flow: a 原簿未登録 face result is registered as a 顔認証 check, once") {
    Desk t;
    t.ledger.next_match = {diff::MatchResult::Kind::None, "", {}};
    t.sign_in();
    t.flow.handle(t.review("", 0));
    REQUIRE(t.step() == Step::Diff);
    REQUIRE(t.diff().diff);
    CHECK(t.diff().diff->classification == diff::Classification::NewPatient);
    t.flow.handle(in::Register{});
    CHECK(t.step() == Step::Done);
    REQUIRE(t.ledger.applied.size() == 1);
    const auto& plan = t.ledger.applied[0].first;
    CHECK(plan.kind == ledger::PlanKind::RegisterPatient);
    REQUIRE(plan.check);
    CHECK(plan.check->method == ledger::CheckMethod::Face);  // the reader's reception, not a 目視確認
    t.flow.handle(in::Acknowledge{});
    CHECK(t.step() == Step::AwaitCard);
}

TEST_CASE("console flow: an answer is opened only on カード待ち with staff signed in") {
    Desk t;
    t.flow.handle(t.review("13", 5));
    CHECK(t.step() == Step::Standby);  // nobody signed in: nothing opens
    t.sign_in();
    t.flow.handle(in::Lock{});
    t.flow.handle(t.review("13", 5));
    CHECK(t.step() == Step::Locked);  // under ロック nothing opens either
    CHECK(t.flow.visit().covered() == Step::AwaitCard);
}
