// Every screen's logic without a window: the kiosk over the flow with in-memory ports.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <iterator>

#include "tests/app/harness.hpp"

using namespace onshi;
using namespace onshi::kiosk;
using onshi::kiosk::test::Harness;

namespace {

flow::CardFaceView face(flow::Verdict verdict = flow::Verdict::Genuine) {
    flow::CardFaceView f;
    f.birth = "1960-06-02";
    f.sex = "1";
    f.expiry = "2034-06-02";
    f.verdict = verdict;
    f.signature_ok = verdict == flow::Verdict::Genuine;
    f.challenge_ok = true;
    return f;
}

// Signs in as 受付 花子, gives the reason for 目視確認 and puts a card on the reader with 10 tries left.
void to_card_face(Harness& h, const std::string& reason = "face_and_pin_failed") {
    REQUIRE(h.run("wait frames 2\ntap staff\ntap staff:S01\npad 246810\ntap key:ok\n"
                  "wait screen visual_reason\ntap reason:" +
                  reason + "\nwait screen await_card\n") == 0);
    h.post(flow::in::CardInserted{});
    h.post(flow::in::CardInspected{{true, 10, "DER", ""}});
    REQUIRE(h.run("wait screen card_face\nwait text 照合番号B 残り 10 回\n") == 0);
}

const flow::state::Diff& diff_state(const Harness& h) {
    const auto* d = h.flow.visit().as<flow::state::Diff>();
    REQUIRE(d);
    return *d;
}

void to_diff(Harness& h, const char* insurer, const std::string& reason = "face_and_pin_failed",
             const std::string& executed = "",
             const std::function<void(oqs::QualificationResult&)>& edit = {}) {
    h.ledger.patients["13"] = flow::test::ichiro();
    h.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    to_card_face(h, reason);
    REQUIRE(h.run("pad 35060220341234\ntap key:ok\n") == 0);
    flow::FaceReadOutcome ok;
    ok.status = flow::FaceReadOutcome::Status::Ok;
    ok.tries_left_before = 10;
    ok.face = face();
    h.post(flow::in::FaceRead{ok});
    REQUIRE(h.run("wait text 本人と確認しました\ntap confirm\nwait screen guidance\n"
                  "tap guide-next\ntap guide-next\ntap start-waiting\nwait screen face_wait\n") == 0);
    auto answer = flow::test::answer_for_ichiro(insurer);
    if (!executed.empty()) answer.header.edit().process_execution_time = executed;
    if (edit) edit(answer);
    h.post(flow::test::face_result(answer));
    REQUIRE(h.run("wait screen face_consents\ntap to-diff\nwait screen diff\n") == 0);
}

}  // namespace

TEST_CASE("screens: 職員認証 needs the member's own passcode, a wrong one says so") {
    Harness h;
    REQUIRE(h.run("wait frames 2\ntap staff\nwait screen staff_auth\nassert text お名前を選んでください\n"
                  "tap staff:S01\npad 111111\ntap key:ok\nwait text パスコードが違います\n") == 0);
    CHECK(h.fe.entries().passcode.empty());  // the pad clears after 確定
    REQUIRE(h.run("pad 246810\ntap key:ok\n"
                  "wait screen visual_reason\ntap reason:face_and_pin_failed\nwait screen await_card\nassert text 担当: 受付 花子\n") == 0);
}

TEST_CASE("screens: the lockout shows a countdown and disables the pad") {
    Harness h;
    REQUIRE(h.run("wait frames 2\ntap staff\ntap staff:S01\n"
                  "pad 111111\ntap key:ok\npad 111111\ntap key:ok\npad 111111\ntap key:ok\n"
                  "pad 111111\ntap key:ok\npad 111111\ntap key:ok\nwait text あと30分0秒\n") == 0);
    const WidgetRect* one = h.fe.last_frame().find("key:1");
    REQUIRE(one);
    CHECK_FALSE(one->enabled);
    h.clock.advance(59000);  // under the 60 s idle limit of 職員認証
    REQUIRE(h.run("wait frames 2\nwait text あと29分1秒\n") == 0);
}

TEST_CASE("screens: 券面確認 takes the 14 digits of 照合番号B and shows the tries left") {
    Harness h;
    to_card_face(h);
    const WidgetRect* ok = h.fe.last_frame().find("key:ok");
    REQUIRE(ok);
    CHECK_FALSE(ok->enabled);  // not before all 14 digits
    REQUIRE(h.run("pad 35060220341235\n") == 0);
    const WidgetRect* five = h.fe.last_frame().find("key:5");
    REQUIRE(five);
    CHECK_FALSE(five->enabled);              // a 15th digit does not fit
    REQUIRE(h.run("tap key:clear\n") == 0);  // 訂正 takes one digit back
    CHECK(h.fe.entries().face == "3506022034123");
    REQUIRE(h.run("pad 4\ntap key:ok\n") == 0);
    REQUIRE(h.card.faces.size() == 1);
    CHECK(h.card.faces[0] == "35060220341234");
    CHECK(h.fe.entries().face.empty());  // the secret leaves the screen once sent
    flow::FaceReadOutcome wrong;
    wrong.status = flow::FaceReadOutcome::Status::WrongNumber;
    wrong.tries_left_after = 9;
    h.post(flow::in::FaceRead{wrong});
    REQUIRE(h.run("wait text 照合番号B 残り 9 回\nassert text 照合番号Bが違います\n") == 0);
}

TEST_CASE("screens: a forged-suspect card shows the red banner and cannot be confirmed") {
    Harness h;
    to_card_face(h);
    REQUIRE(h.run("pad 35060220341234\ntap key:ok\n") == 0);
    flow::FaceReadOutcome r;
    r.status = flow::FaceReadOutcome::Status::Ok;
    r.face = face(flow::Verdict::ForgedSuspect);
    h.post(flow::in::FaceRead{r});
    REQUIRE(h.run("wait text 偽造の疑い\nassert text 昭和35年6月2日\n") == 0);
    const WidgetRect* confirm = h.fe.last_frame().find("confirm");
    REQUIRE(confirm);
    CHECK_FALSE(confirm->enabled);
}

TEST_CASE("screens: after 本人と確認しました staff are guided to the face-auth reader, one instruction at a time") {
    Harness h;
    h.ledger.next_match = {diff::MatchResult::Kind::None, "", {}};
    to_card_face(h);
    REQUIRE(h.run("pad 35060220341234\ntap key:ok\n") == 0);
    flow::FaceReadOutcome ok;
    ok.status = flow::FaceReadOutcome::Status::Ok;
    ok.face = face();
    h.post(flow::in::FaceRead{ok});
    REQUIRE(h.run("wait text 本人と確認しました\ntap confirm\nwait screen guidance\nassert text 手順 1 / 3\n"
                  "assert text 目視確認モード\nassert text 担当: 受付 花子\nassert no-text 同意する\n"
                  "tap guide-next\nwait text 手順 2 / 3\nassert text 顔認証付きカードリーダーに置き換えて\n"
                  "tap guide-back\nwait text 手順 1 / 3\ntap guide-next\ntap guide-next\nwait text 手順 3 / 3\n"
                  "assert text 画面を患者さんに向け\ntap start-waiting\nwait screen face_wait\n"
                  "assert text 生年月日 昭和35年6月2日 の方の結果を待っています\nassert text あと300秒\n") == 0);
    CHECK(h.card.inspections == 1);  // nothing asked of the kiosk's card again
    // Somebody else's result: shown with the name, never attached.
    h.post(flow::test::face_result(flow::test::answer_for_goro()));
    REQUIRE(h.run("wait text 別の方の結果が届きました: 資格　五郎 さん\nassert screen face_wait\n") == 0);
    // A result naming nobody: staff decide.
    h.post(flow::test::face_result(flow::test::answer_not_found()));
    REQUIRE(h.run("wait text この方の結果ですか\ntap claim-not-mine\nwait no-text この方の結果ですか\n") == 0);
    // His own: the consents the reader sent, then 差分確認.
    auto mine = flow::test::answer_for_ichiro();
    mine.records[0].pharmacists = {"1", "20210801090000", "20210802090000"};
    mine.records[0].diagnosis = {"0", "20210801090000", std::nullopt};
    h.post(flow::test::face_result(mine));
    REQUIRE(
        h.run("wait screen face_consents\nassert text 資格: 有効\nassert text 顔認証付きカードリーダーで選ばれた同意\n"
              "assert text 薬剤情報\nassert text 同意する\nassert text 同意しない\nassert text 特定疾病\n"
              "tap to-diff\nwait screen diff\n") == 0);
}

TEST_CASE("screens: the wait runs out into 結果が届きません, もう一度待つ waits again") {
    Harness h;
    to_card_face(h);
    REQUIRE(h.run("pad 35060220341234\ntap key:ok\n") == 0);
    flow::FaceReadOutcome ok;
    ok.status = flow::FaceReadOutcome::Status::Ok;
    ok.face = face();
    h.post(flow::in::FaceRead{ok});
    REQUIRE(h.run("wait text 本人と確認しました\ntap confirm\ntap guide-next\ntap guide-next\ntap start-waiting\n"
                  "wait screen face_wait\n") == 0);
    // Staff keep touching the screen (no ロック); the patient never finishes on the reader.
    for (int i = 0; i < 6; ++i) {
        h.clock.advance(50000);
        h.flow.handle(flow::in::Activity{});
    }
    h.clock.advance(1);
    REQUIRE(h.run("wait screen face_timeout\nassert text 目視確認モードになっているか\nassert text オン資PC\n"
                  "assert text 自動では何も再送しません\ntap wait-again\nwait screen face_wait\n") == 0);
}

TEST_CASE("screens: 差分確認 for a new card opens the 切替日 dialog prefilled and writes the switch") {
    Harness h;
    to_diff(h, "133033");
    REQUIRE(
        h.run("assert text 保険証が変わっています\nassert text 133033\ntap update\nwait text 切替日: 令和3年8月1日\n"
              "tap switch:day:+\nwait text 切替日: 令和3年8月2日\ntap switch:day:-\ntap switch:ok\nwait screen done\n"
              "assert text 保険証を切り替えました\n") == 0);
    REQUIRE(h.ledger.applied.size() == 1);
    CHECK(h.ledger.applied[0].first.kind == ledger::PlanKind::SwitchCard);
    CHECK(h.ledger.applied[0].first.switch_date == "2021-08-01");
}

TEST_CASE("screens: the 切替日 dialog shows and edits 保険有効開始日 and 限度額開始日, and says what is wrong") {
    Harness h;
    to_diff(h, "133033", "face_and_pin_failed", "", [](oqs::QualificationResult& r) {
        oqs::LimitApplicationCertificateInfo limit;
        limit.valid_start_date = "20210731";
        r.records[0].limit_application = limit;
    });
    REQUIRE(h.run("tap update\nwait text 切替日: 令和3年8月1日\nassert text 保険有効開始日: 令和3年8月1日\n"
                  "assert text 限度額開始日: 令和3年7月31日\n"
                  // 切替日 a day before the card's start: refused with the reason, nothing written.
                  "tap switch:day:-\nwait text 切替日: 令和3年7月31日\ntap switch:ok\n"
                  "wait text 切替日が保険有効開始日より前です\n"
                  "tap switch:valid_from:day:-\ntap switch:valid_from:day:-\nwait text 保険有効開始日: 令和3年7月30日\n"
                  "tap switch:limit_from:month:+\nwait text 限度額開始日: 令和3年8月31日\n"
                  "tap switch:ok\nwait screen done\n") == 0);
    REQUIRE(h.ledger.applied.size() == 1);
    const auto& plan = h.ledger.applied[0].first;
    CHECK(plan.switch_date == "2021-07-31");
    std::string valid_from, limit_from;
    for (const auto& fv : plan.fields) {
        if (fv.field == ledger::Field::ValidFrom) valid_from = fv.value;
        if (fv.field == ledger::Field::LimitFrom) limit_from = fv.value;
    }
    CHECK(valid_from == "2021-07-30");
    CHECK(limit_from == "2021-08-31");
}

TEST_CASE("screens: an answer without 限度額 leaves the dialog's 限度額開始日 out") {
    Harness h;
    to_diff(h, "133033");
    REQUIRE(h.run("tap update\nwait text 切替日: 令和3年8月1日\nassert text 限度額の情報がありません\n"
                  "tap switch:ok\nwait screen done\n") == 0);
    REQUIRE(h.ledger.applied.size() == 1);
    for (const auto& fv : h.ledger.applied[0].first.fields) CHECK(fv.field != ledger::Field::LimitFrom);
}

TEST_CASE("screens: 上書き mode writes only the checked rows") {
    Harness h;
    // The ledger misses the 枝番 that OQS carries: the same card, 上書き of that field.
    h.ledger.patients["13"] = flow::test::ichiro();
    to_diff(h, "139980");
    REQUIRE(h.run("tap show-all\nwait text 交付日\ntap overwrite-mode\nwait frames 2\n") == 0);
    REQUIRE(h.fe.last_frame().find("overwrite:address"));
    size_t before = diff_state(h).checked.size();
    REQUIRE(h.run("tap overwrite:address\n") == 0);
    CHECK(diff_state(h).checked.size() == before + 1);
    REQUIRE(h.run("tap update\nwait screen done\n") == 0);
    REQUIRE(h.ledger.applied.size() == 1);
    const auto& plan = h.ledger.applied[0].first;
    CHECK(plan.kind == ledger::PlanKind::OverwriteFields);
    CHECK(plan.fields.size() == before + 1);
}

TEST_CASE("screens: 登録完了 clears itself after 10 s and nothing personal stays on 待機") {
    Harness h;
    to_diff(h, "139980");
    REQUIRE(h.run("tap cancel\nwait screen done\nassert text 10秒後に待機画面に戻ります\n") == 0);
    h.clock.advance(10000);
    REQUIRE(h.run("wait screen standby\nassert no-text 資格\nassert no-text 受付 花子\nassert no-text 昭和\n") == 0);
}

TEST_CASE("screens: every touch target is at least 48 px on every screen") {
    Harness h;
    auto check = [&](const char* where) {
        for (const auto& w : h.fe.last_frame().widgets) {
            INFO(where << " widget " << w.id);
            CHECK(w.max.x - w.min.x >= 48.f);
            CHECK(w.max.y - w.min.y >= 48.f);
        }
    };
    REQUIRE(h.run("wait frames 2\n") == 0);
    check("standby");
    to_diff(h, "133033");
    check("diff");
    REQUIRE(h.run("tap overwrite-mode\nwait frames 2\n") == 0);
    check("diff/overwrite");
    REQUIRE(h.run("tap overwrite-mode\ntap update\nwait text 切替日\n") == 0);
    check("diff/switch");
}

TEST_CASE("screens: an ambiguous match shows the candidate picker") {
    Harness h;
    h.ledger.patients["13"] = flow::test::ichiro();
    diff::MatchResult m;
    m.kind = diff::MatchResult::Kind::Choose;
    m.candidates = {{"13", "資格　一郎", "シカク イチロウ", "1960-06-02", "1", rules::Tier::Probable, "", false},
                    {"99", "資格　一朗", "シカク イチロウ", "1960-06-02", "1", rules::Tier::Probable, "", false}};
    to_card_face(h);
    h.ledger.next_match = m;
    REQUIRE(h.run("pad 35060220341234\ntap key:ok\n") == 0);
    flow::FaceReadOutcome ok;
    ok.status = flow::FaceReadOutcome::Status::Ok;
    ok.face = face();
    h.post(flow::in::FaceRead{ok});
    REQUIRE(h.run("wait text 本人と確認しました\ntap confirm\ntap guide-next\ntap guide-next\ntap start-waiting\n"
                  "wait screen face_wait\n") == 0);
    h.post(flow::test::face_result(flow::test::answer_for_ichiro()));
    REQUIRE(h.run("wait screen face_consents\ntap to-diff\nwait text 正しい患者さんを選んでください\nassert text "
                  "カルテ 99\ntap candidate:13\nwait text 照会番号\n") == 0);
    CHECK(diff_state(h).patient);
}

TEST_CASE("screens: the 照合番号B pad follows the reader's safety floor") {
    Harness h;
    h.card.floor = 1;  // a reader configured lower than the default 2
    REQUIRE(h.run("wait frames 2\ntap staff\ntap staff:S01\npad 246810\ntap key:ok\n"
                  "wait screen visual_reason\ntap reason:face_and_pin_failed\nwait screen await_card\n") == 0);
    h.post(flow::in::CardInserted{});
    h.post(flow::in::CardInspected{{true, 2, "DER", ""}});
    REQUIRE(h.run("wait screen card_face\nwait text 照合番号B 残り 2 回\n") == 0);
    const WidgetRect* one = h.fe.last_frame().find("key:1");
    REQUIRE(one);
    CHECK(one->enabled);  // 2 tries above a floor of 1: the number may be keyed
    REQUIRE(h.run("pad 35060220341234\ntap key:ok\n") == 0);
    CHECK(h.card.faces.size() == 1);
}

TEST_CASE("screens: the passcode hint and pad take their digit counts from the passcode policy") {
    Harness h;
    h.ledger.policy.min_digits = 4;
    h.ledger.policy.max_digits = 10;
    h.ledger.passcodes["S01"] = "1357";
    REQUIRE(h.run("wait frames 2\ntap staff\ntap staff:S01\nwait text 受付 花子 さんのパスコード（4〜10桁）\n"
                  "pad 1357\ntap key:ok\n"
                  "wait screen visual_reason\ntap reason:face_and_pin_failed\nwait screen await_card\n") == 0);
}

TEST_CASE("screens: 差分確認 offers 更新する only when the flow allows it") {
    Harness h;
    to_diff(h, "139980");  // the same card, nothing differs
    CHECK_FALSE(diff_state(h).actions.update);
    CHECK_FALSE(h.fe.last_frame().find("update"));
    REQUIRE(h.run("tap overwrite-mode\nwait frames 2\n") == 0);
    CHECK(diff_state(h).actions.update);
    CHECK(h.fe.last_frame().find("update"));
}

TEST_CASE("screens: 差分確認's header is the clinic manual's: 資格確認日 to 照会番号") {
    Harness h;
    to_diff(h, "139980", "face_and_pin_failed", "20210801093000");
    const FrameRecord& f = h.fe.last_frame();
    // Each label with its value under it, in the manual's order.
    const char* const labels[] = {"資格確認日", "漢字氏名", "カナ氏名", "性別", "生年月日", "保険者番号", "照会番号"};
    const char* const values[] = {"令和3年8月1日 09:30", "資格　一郎", "ｼｶｸ ｲﾁﾛｳ", "男", "昭和35年6月2日",
                                  "139980", "未登録"};
    for (size_t i = 0; i < std::size(labels); ++i) {
        INFO(labels[i]);
        auto at = std::find(f.texts.begin(), f.texts.end(), labels[i]);
        REQUIRE(at != f.texts.end());
        REQUIRE(at + 1 != f.texts.end());
        CHECK(*(at + 1) == values[i]);
    }
    CHECK_FALSE(f.shows_text("カルテ 13  資格"));  // the old header line is gone
}

TEST_CASE("screens: 目視確認の理由 offers the manual's cases after 職員認証, 暗証番号ロック tells the patient where to reset") {
    Harness h;
    REQUIRE(h.run("wait frames 2\ntap staff\ntap staff:S01\npad 246810\ntap key:ok\nwait screen visual_reason\n"
                  "assert text 目視確認にする理由を選んでください\nassert text 顔認証・暗証番号ともにできない\n"
                  "assert text 暗証番号ロック（3回失敗）\nassert text 本人が操作できない（認知症・体調不良など）\n"
                  "assert text 機器の不具合\nassert text その他\n") == 0);
    for (const char* id : {"reason:face_and_pin_failed", "reason:pin_locked", "reason:cannot_operate",
                           "reason:device_trouble", "reason:other"})
        CHECK(h.fe.last_frame().find(id));
    REQUIRE(h.run("tap reason:pin_locked\nwait screen await_card\n") == 0);
    CHECK(h.flow.visit().visual_reason == flow::VisualReason::PinLocked);

    Harness locked;
    to_diff(locked, "139980", "pin_locked");
    REQUIRE(locked.run("tap cancel\nwait screen done\nassert text 市区町村の窓口\n") == 0);
    Harness other;
    to_diff(other, "139980", "cannot_operate");
    REQUIRE(other.run("tap cancel\nwait screen done\nassert no-text 市区町村の窓口\n") == 0);
}

TEST_CASE("screens: 職員用 is drawn on 待機 only when somebody has a passcode") {
    Harness h;
    h.ledger.staff.clear();
    REQUIRE(h.run("wait frames 2\nassert screen standby\n") == 0);
    CHECK_FALSE(h.fe.last_frame().find("staff"));
    h.ledger.staff = {{"S01", "受付 花子"}};
    h.clock.advance(5000);
    REQUIRE(h.run("wait frames 2\n") == 0);
    CHECK(h.fe.last_frame().find("staff"));
}
