// Two counters on one 原簿 (docs/ledger-postgres.md, "Two counters, the same patient"): the 目視確認 flow on
// a real ledger (LedgerPort), another store on the same ledger as the other counter. Runs on both engines.
#include <catch2/catch.hpp>

#include "tests/flow/ledger_desk.hpp"

using namespace onshi;
using namespace onshi::ledger;
using namespace onshi::ledger::test;

namespace {

// Counter 1: the flow on its own store, signed in and on 差分確認 of 資格 一郎 with a new 郵便番号 from OQS.
struct Counter1 : LedgerDesk {
    Counter1() : LedgerDesk(register_ichiro(), "2021-07-27T09:30:00") {}
    const flow::state::Diff& diff() const {
        const auto* shown = flow.visit().as<flow::state::Diff>();
        REQUIRE(shown);
        return *shown;
    }
    void open_diff() {
        flow.handle(flow::in::StaffButton{});
        flow.handle(flow::in::Passcode{"246810"});
        if (flow.visit().step() == flow::Step::ChooseReason)
            flow.handle(flow::in::ChooseReason{flow::VisualReason::FaceAndPinFailed});
        REQUIRE(flow.visit().step() == flow::Step::AwaitCard);
        auto answer = flow::test::answer_for_ichiro();
        answer.records[0].post_number = "100-0015";
        flow.handle(flow::in::ReviewAnswer{answer, "<xml/>", "13", 0});
        REQUIRE(flow.visit().step() == flow::Step::Diff);
        REQUIRE(diff().diff);
    }
};

}  // namespace

TEST_CASE("更新する on a patient another counter changed is refused, nothing written, and the diff taken again") {
    Counter1 t;
    t.open_diff();
    CHECK(t.diff().base_version == t.db.patient_version("13"));
    t.flow.handle(flow::in::SetOverwriteMode{true});
    t.flow.handle(flow::in::ToggleField{Field::Postal});  // 上書き of the 郵便番号
    REQUIRE(t.diff().checked.count(Field::Postal));

    // Counter 2, on the same ledger, changes his address before counter 1's 更新する.
    auto counter2 = open_with(t.d.path / "l.sqlite", t.c);
    OverwritePlan moved;
    moved.kind = PlanKind::OverwriteFields;
    moved.karte = "13";
    moved.fields = {{Field::Address, "東京都港区芝公園4-2-8"}};
    counter2.apply(moved, "S01");
    const size_t audits = t.db.audit_log("", 100).size();

    t.flow.handle(flow::in::Update{});
    CHECK(t.flow.visit().step() == flow::Step::Diff);
    CHECK(text::ja(t.diff().message) == "別の端末で更新されました。差分を取り直します");
    CHECK(t.db.audit_log("", 100).size() == audits);  // nothing written
    CHECK(t.db.patient("13")->patient.postal == "1000014");
    // Recomputed on the 原簿 as it is now: counter 2's address, the staff's 郵便番号 tick kept.
    CHECK(t.diff().base_version == t.db.patient_version("13"));
    REQUIRE(t.diff().patient);
    CHECK(t.diff().patient->patient.address == "東京都港区芝公園4-2-8");
    CHECK(t.diff().checked.count(Field::Postal));
    CHECK_FALSE(t.diff().checked.count(Field::Address));  // a row that changed starts unticked again

    // 更新する again goes through on the new version, keeping counter 2's address.
    t.flow.handle(flow::in::Update{});
    CHECK(t.flow.visit().step() == flow::Step::Done);
    const auto now = counter2.patient("13");
    REQUIRE(now);
    CHECK(now->patient.postal == "1000015");
    CHECK(now->patient.address == "東京都港区芝公園4-2-8");
}
