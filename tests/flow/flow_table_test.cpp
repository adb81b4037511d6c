// The transition table: what the flow decides with, what docs/flow.md shows, and the values the flow
// publishes for the screens from the same rules.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "tests/flow/fakes.hpp"

using namespace onshi;
using namespace onshi::flow;
using namespace onshi::flow::test;

namespace {

struct Counter {
    ManualClock clock;
    FakeCard card;
    FakeLedger ledger;
    VisualConfirmFlow flow{card, ledger, clock.fn()};
    const Visit& v() const { return flow.visit(); }
    // From 券面確認 with 資格 一郎's chip to his face result on 受け取った結果, then 差分確認.
    void to_diff() {
        flow.handle(in::FaceNumber{"350602", "2030", "1234"});
        FaceReadOutcome ok;
        ok.status = FaceReadOutcome::Status::Ok;
        ok.face = CardFaceView{};
        ok.face->birth = "1960-06-02";
        ok.face->sex = "1";
        flow.handle(in::FaceRead{ok});
        flow.handle(in::ConfirmPerson{});
        guide_to_wait(flow);
        flow.handle(face_result(answer_for_ichiro()));
        flow.handle(in::ShowDiff{});
    }
    void to_card_face(int tries) {
        flow.handle(in::StaffButton{});
        flow.handle(in::Passcode{"246810"});
        flow.handle(in::ChooseReason{VisualReason::FaceAndPinFailed});
        flow.handle(in::CardInserted{});
        flow.handle(in::CardInspected{{true, tries, "DER", ""}});
    }
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("flow table: docs/flow.md holds the table and diagram generated from it") {
    const std::string path = std::string(ONSHI_SOURCE_DIR) + "/docs/flow.md";
    const std::string doc = read_file(path);
    const std::string gen = flow_doc_generated();
    INFO(
        "docs/flow.md differs from the transition table. Regenerate it:\n"
        "  cmake --build BUILD --target flow_doc && BUILD/tests/flow/flow_doc --write docs/flow.md");
    CHECK(doc.find(gen) != std::string::npos);
}

TEST_CASE("flow table: no row is shadowed by an unguarded row above it") {
    std::set<std::pair<Step, Event>> closed;
    for (const Transition& t : transitions()) {
        INFO(step_name(t.from) << " / " << event_name(t.event) << " [" << guard_name(t.guard) << "]");
        CHECK(closed.count({t.from, t.event}) == 0);
        if (t.guard == Guard::Always) closed.insert({t.from, t.event});
    }
}

TEST_CASE("flow table: every guard and action a row names has a name, and the diagram shows every step") {
    for (const Transition& t : transitions()) {
        if (t.guard != Guard::Always) CHECK(std::string(guard_name(t.guard)) != "?");
        if (t.action != Action::None) CHECK(std::string(action_name(t.action)) != "?");
    }
    const std::string m = mermaid_state_diagram();
    for (size_t i = 0; i < kStepCount; ++i) {
        INFO(step_name(Step(i)));
        CHECK(m.find(std::string("--> ") + step_name(Step(i))) != std::string::npos);
    }
    CHECK(m.find("locked --> covered : passcode_accepted / sign_in") != std::string::npos);
}

TEST_CASE("flow table: Step stays the derived name scripts wait for") {
    Counter t;
    CHECK(std::string(step_name(t.v().step())) == "standby");
    t.flow.handle(in::StaffButton{});
    CHECK(std::string(step_name(t.v().step())) == "staff_auth");
    CHECK(std::string(input_name(in::Passcode{"246810"})) == "passcode");
}

TEST_CASE("flow: 照合番号B entry follows the reader's safety floor, not a fixed number") {
    Counter t;
    t.card.floor = 1;
    t.to_card_face(2);
    const auto* c = t.v().as<state::CardFace>();
    REQUIRE(c);
    CHECK(c->safety_floor == 1);
    CHECK(c->entry_allowed);  // 2 tries above a floor of 1: allowed
    CHECK(c->tries_low);      // one try from the floor: shown in red
    CHECK(c->message.empty());
    t.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    CHECK(t.card.faces.size() == 1);

    Counter u;
    u.card.floor = 4;
    u.to_card_face(4);
    c = u.v().as<state::CardFace>();
    REQUIRE(c);
    CHECK_FALSE(c->entry_allowed);
    CHECK(c->message.id == text::Msg::FaceFloor);
    u.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    CHECK(u.card.faces.empty());

    Counter w;
    w.to_card_face(10);
    REQUIRE(w.v().as<state::CardFace>());
    CHECK_FALSE(w.v().as<state::CardFace>()->tries_low);
}

TEST_CASE("flow: an unverified card (no trusted key) can be confirmed, only a forged suspect cannot") {
    Counter t;
    t.to_card_face(10);
    t.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    FaceReadOutcome ok;
    ok.status = FaceReadOutcome::Status::Ok;
    ok.face = CardFaceView{};
    ok.face->verdict = Verdict::Unverified;
    t.flow.handle(in::FaceRead{ok});
    t.flow.handle(in::ConfirmPerson{});
    CHECK(t.v().step() == Step::Guidance);
    CHECK(std::string(verdict_key(Verdict::ForgedSuspect)) == "forged_suspect");
}

TEST_CASE("flow: a card inspection that finishes behind the lock is kept for after unlocking") {
    Counter t;
    t.flow.handle(in::StaffButton{});
    t.flow.handle(in::Passcode{"246810"});
    t.flow.handle(in::ChooseReason{VisualReason::FaceAndPinFailed});
    t.flow.handle(in::CardInserted{});
    REQUIRE(t.v().step() == Step::CardFace);
    t.flow.handle(in::Lock{});
    REQUIRE(t.v().step() == Step::Locked);
    t.flow.handle(in::CardInspected{{true, 10, "DER", ""}});
    CHECK(t.v().step() == Step::Locked);
    t.flow.handle(in::Passcode{"246810"});
    REQUIRE(t.v().step() == Step::CardFace);
    const auto* c = t.v().as<state::CardFace>();
    REQUIRE(c);
    CHECK_FALSE(c->inspecting());
    CHECK(c->tries_left == 10);
    CHECK(c->entry_allowed);
}

TEST_CASE("flow: the wait running out behind the lock shows after unlocking") {
    Counter u;
    u.to_card_face(10);
    u.flow.handle(in::FaceNumber{"350602", "2030", "1234"});
    FaceReadOutcome ok;
    ok.status = FaceReadOutcome::Status::Ok;
    ok.face = CardFaceView{};
    ok.face->birth = "1960-06-02";
    ok.face->sex = "1";
    u.flow.handle(in::FaceRead{ok});
    u.flow.handle(in::ConfirmPerson{});
    guide_to_wait(u.flow);
    REQUIRE(u.v().step() == Step::FaceWait);
    u.flow.handle(in::Lock{});
    u.clock.advance(300001);
    u.flow.handle(in::Tick{});
    CHECK(u.v().step() == Step::Locked);
    CHECK(u.v().covered() == Step::FaceTimeout);
    u.flow.handle(in::Passcode{"246810"});
    CHECK(u.v().step() == Step::FaceTimeout);
}

TEST_CASE("flow: the passcode pad's digit counts come from the passcode policy") {
    Counter t;
    t.ledger.policy.min_digits = 4;
    t.ledger.policy.max_digits = 10;
    t.flow.handle(in::StaffButton{});
    const auto* s = t.v().as<state::StaffAuth>();
    REQUIRE(s);
    CHECK(s->auth.min_digits == 4);
    CHECK(s->auth.max_digits == 10);
}

TEST_CASE("flow: 差分確認 publishes the actions its rules allow") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.to_card_face(10);
    t.to_diff();
    const auto* d = t.v().as<state::Diff>();
    REQUIRE(d);
    REQUIRE(d->diff);
    CHECK(d->diff->classification == diff::Classification::Unchanged);
    CHECK(d->headline.id == text::Msg::HeadlineUnchanged);
    CHECK_FALSE(d->actions.update);  // nothing differs: 更新する only in 上書き mode
    CHECK(d->actions.overwrite_toggle);
    CHECK(d->actions.fetch_medical_info);
    CHECK_FALSE(d->actions.record_only);
    t.flow.handle(in::Update{});
    CHECK(t.v().as<state::Diff>()->message.id == text::Msg::NothingChanged);
    t.flow.handle(in::SetOverwriteMode{true});
    CHECK(t.v().as<state::Diff>()->actions.update);
}

TEST_CASE("flow: the check's time and 登録完了's countdown come from the injected clock") {
    Counter t;
    t.ledger.patients["13"] = ichiro();
    t.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    t.to_card_face(10);
    t.to_diff();
    t.clock.advance(1234);
    t.flow.handle(in::Cancel{});
    REQUIRE(t.ledger.applied.size() == 1);
    REQUIRE(t.ledger.applied[0].first.check);
    CHECK(t.ledger.applied[0].first.check->checked_at == util::format_local(t.clock.now));
    const auto* done = t.v().as<state::Done>();
    REQUIRE(done);
    CHECK(done->clears_at_ms == t.clock.now + 10000);
    CHECK(done->summary.id == text::Msg::DoneCheckRecorded);
}

TEST_CASE("flow: the README, the staff instruction and the consent summary name the same six consents") {
    const std::string readme = read_file(std::string(ONSHI_SOURCE_DIR) + "/README.md");
    const std::string guide = text::ja(text::Msg::GuideTurnReader);
    REQUIRE(consent_questions().size() == 6);
    for (const auto& q : consent_questions()) {
        const std::string title = text::ja(q.title);
        INFO(title);
        CHECK(readme.find(title) != std::string::npos);
        CHECK(guide.find(title) != std::string::npos);
    }
    CHECK(readme.find("six consents") != std::string::npos);
}
