// One check row per answer, on a real ledger: the face/ result is taken in (method 顔認証, one check), the 目視確認
// visit pairs it with its person, and whatever staff decide in 差分確認 the file still has exactly that one check,
// now 目視確認 by the staff member (LedgerStore::mark_visual_check: audited, undoable).
#include <catch2/catch.hpp>

#include "core/intake/face_intake.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"
#include "core/util/files.hpp"
#include "tests/flow/ledger_desk.hpp"

using namespace onshi;
using namespace onshi::ledger;
using namespace onshi::ledger::test;

namespace {

const std::string kFace = "OQSsiquc01res_face_utf8_20230605093000.xml";

std::string fixture() {
    auto b = files::read(std::string(ONSHI_SOURCE_DIR) + "/assets/oqs/fixtures/" + kFace);
    REQUIRE(b);
    return *b;
}

// 資格 七夫, as the fixture's face result names him.
OverwritePlan register_nanao() {
    OverwritePlan p;
    p.kind = PlanKind::RegisterPatient;
    p.karte = "20";
    p.fields = {{Field::KanaName, "シカク ナナオ"}, {Field::KanjiName, "資格　七夫"},   {Field::Sex, "1"},
                {Field::Birth, "1940-10-11"},       {Field::InsurerNumber, "39470000"}, {Field::Bango, "1000007"}};
    return p;
}

// The desk with 資格 七夫 registered, on the morning of the fixture's face result.
struct Desk : LedgerDesk {
    Desk() : LedgerDesk(register_nanao(), "2023-06-05T09:25:00") {}

    // The face/ result taken in (as the kiosk does before the visit sees it), then paired on 結果待ち.
    int64_t visit_to_diff() {
        const std::string bytes = fixture();
        const intake::FaceIntakeReport taken = intake::take_in_face(db, {kFace, bytes});
        REQUIRE(taken.check);
        CHECK(taken.check->method == CheckMethod::Face);
        flow.handle(flow::in::StaffButton{});
        flow.handle(flow::in::Passcode{"246810"});
        if (flow.visit().step() == flow::Step::ChooseReason)
            flow.handle(flow::in::ChooseReason{flow::VisualReason::FaceAndPinFailed});
        REQUIRE(flow.visit().step() == flow::Step::AwaitCard);
        flow.handle(flow::in::CardInserted{});
        flow.handle(flow::in::CardInspected{{true, 10, "", ""}});
        flow.handle(flow::in::FaceNumber{"151011", "2032", "9024"});
        flow::FaceReadOutcome ok;
        ok.status = flow::FaceReadOutcome::Status::Ok;
        ok.tries_left_before = 10;
        flow::CardFaceView f;
        f.birth = "1940-10-11";
        f.sex = "1";
        f.verdict = flow::Verdict::Genuine;
        ok.face = f;
        flow.handle(flow::in::FaceRead{ok});
        flow.handle(flow::in::ConfirmPerson{});
        flow::test::guide_to_wait(flow);
        REQUIRE(flow.visit().step() == flow::Step::FaceWait);
        const auto parsed = oqs::parse_file(bytes, oqs::MessageKind::Face);
        flow::in::FaceResult in{kFace, oqs::qualification_result(parsed.message), taken.check->raw_xml, 0,
                                taken.check->id};
        flow.handle(in);
        REQUIRE(flow.visit().step() == flow::Step::FaceConsents);
        flow.handle(flow::in::ShowDiff{});
        REQUIRE(flow.visit().step() == flow::Step::Diff);
        return taken.check->id;
    }
};

}  // namespace

TEST_CASE("a paired 目視確認 visit leaves exactly one check for its face result: 目視確認, by the staff member") {
    Desk t;
    const int64_t id = t.visit_to_diff();
    SECTION("キャンセル") { t.flow.handle(flow::in::Cancel{}); }
    SECTION("更新する (上書き of one field)") {
        t.flow.handle(flow::in::SetOverwriteMode{true});
        const auto* d = t.flow.visit().as<flow::state::Diff>();
        REQUIRE(d);
        REQUIRE(d->diff);
        for (const auto& row : d->diff->rows)
            if (row.online_carried && !t.flow.visit().as<flow::state::Diff>()->checked.count(row.field)) {
                t.flow.handle(flow::in::ToggleField{row.field});
                break;
            }
        t.flow.handle(flow::in::Update{});
    }
    REQUIRE(t.flow.visit().step() == flow::Step::Done);
    CHECK(checks_of(t.db, "20") == 1);
    const auto c = t.db.check(id);
    REQUIRE(c);
    CHECK(c->method == CheckMethod::Visual);
    CHECK(c->staff_id == "S07");
    CHECK(c->status == "valid");
    // The reason chosen after 職員認証 is kept with the check.
    CHECK(raw(t.d.path / "l.sqlite", "SELECT visual_reason FROM checks WHERE id = " + std::to_string(id)) ==
          "face_and_pin_failed");
    // The answer's consents went with that check, and a 有効 check is this month's 保険証確認.
    CHECK(raw(t.d.path / "l.sqlite", "SELECT COUNT(*) FROM consents WHERE check_id <> " + std::to_string(id)) == "0");
    CHECK(t.db.patient("20")->cards[0].card_checked_on == "2023-06-05");
    // The same file taken in again (a restart) records nothing new.
    CHECK_FALSE(intake::take_in_face(t.db, {kFace, fixture()}).recorded);
    CHECK(checks_of(t.db, "20") == 1);
}

TEST_CASE("mark_visual_check is one audited change, undone like the others, only a face result's check") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_nanao(), "S01");
    const auto taken = intake::take_in_face(db, {kFace, fixture()});
    REQUIRE(taken.check);
    const int64_t id = taken.check->id;

    const int64_t audit = db.mark_visual_check(id, "S07", "face_and_pin_failed");
    CHECK(db.check(id)->method == CheckMethod::Visual);
    CHECK(db.check(id)->staff_id == "S07");
    CHECK(raw(d.path / "l.sqlite", "SELECT visual_reason FROM checks WHERE id = " + std::to_string(id)) ==
          "face_and_pin_failed");
    const auto entry = db.audit_entry(audit);
    REQUIRE(entry);
    CHECK(entry->action == "check.visual");
    CHECK(entry->staff_id == "S07");
    CHECK(entry->karte == "20");
    CHECK(checks_of(db, "20") == 1);

    db.undo(audit, "S01");
    CHECK(db.check(id)->method == CheckMethod::Face);
    CHECK(db.check(id)->staff_id == "intake");
    CHECK(raw(d.path / "l.sqlite", "SELECT visual_reason IS NULL FROM checks WHERE id = " + std::to_string(id)) ==
          "1");
    CHECK(checks_of(db, "20") == 1);

    // A 単件照会's check is not a face result: refused, nothing changed.
    NewCheck q;
    q.karte = "20";
    q.method = CheckMethod::Query;
    q.status = "processing";
    const int64_t query = db.record_check(q, "S01").check_id;
    CHECK(code_of([&] { db.mark_visual_check(query, "S07", ""); }) == ErrorCode::Conflict);
    CHECK(db.check(query)->method == CheckMethod::Query);
    CHECK(code_of([&] { db.mark_visual_check(999999, "S07", ""); }) == ErrorCode::NotFound);
}
