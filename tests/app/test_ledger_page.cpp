// 患者原簿 and the typed 保険証 pages of the reception console without a window: the kiosk over the flow with
// in-memory ports, the console model, and its ledger work run at once on a real ledger file (what the host's
// worker does). Taps by id, as a finger would.
#include <catch2/catch.hpp>

#include "core/console/console.hpp"
#include "tests/app/harness.hpp"
#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi;
using namespace onshi::kiosk;
using onshi::kiosk::test::Harness;

namespace {

struct ConsoleRig {
    Harness h;
    ledger::test::TempDir dir{"onshi-ledger-page"};
    ledger::test::Clock clock;
    ledger::LedgerStore db;
    console::Console console;
    std::vector<oqs::QualificationQuery> typed_sent;

    ConsoleRig() : db(ledger::test::open_with(dir.path / "l.sqlite", clock)) {
        db.apply(ledger::test::register_ichiro("13"), "S01");
        ledger::OverwritePlan goro;
        goro.kind = ledger::PlanKind::RegisterPatient;
        goro.karte = "14";
        goro.fields = {{ledger::Field::KanaName, "シカク ゴロウ"},
                       {ledger::Field::KanjiName, "資格　五郎"},
                       {ledger::Field::Sex, "1"},
                       {ledger::Field::Birth, "1990-01-01"}};
        db.apply(goro, "S01");
        console.handle(console::in::ListLoaded{"2021-08-17", {}});
        h.host_view = [this](View& v) { v.console = &console.state(); };
        h.fe.on_console = [this](const console::Intent& i) { run(i); };
    }

    // The console's effects, run at once the way the host's worker runs them.
    void run(const console::Intent& i) {
        for (const auto& fx : console.handle(i)) {
            if (const auto* p = std::get_if<console::effect::Patient>(&fx)) {
                if (auto back = console::run_page_effect(db, p->effect, "S01")) run(console::in::OnPatient{*back});
            } else if (const auto* a = std::get_if<console::effect::TypedApply>(&fx)) {
                const auto r = db.apply(a->plan, "S01");
                run(console::in::OnTyped{console::typed_in::Written{true, r.karte, text::msg(text::Msg::TypedRegistered, -1, -1, r.karte)}});
            } else if (const auto* q = std::get_if<console::effect::TypedQuery>(&fx)) {
                typed_sent.push_back(q->query.query);
            } else if (const auto* m = std::get_if<console::effect::Medinfo>(&fx)) {
                run(console::in::MedinfoLoaded{m->karte, medinfo::open_page(db, m->karte), "", false});
            } else if (const auto* f = std::get_if<console::effect::FetchMedinfo>(&fx)) {
                // What medinfo::fetch does first: without a valid consent nothing is sent, the page says why.
                const auto c = medinfo::consent_status(db, f->karte, f->kind, 1629158400000);
                REQUIRE_FALSE(c.valid());
                run(console::in::MedinfoLoaded{f->karte, medinfo::open_page(db, f->karte), c.message_ja, true});
            }
        }
    }

    void open_console() {
        REQUIRE(h.run("wait frames 2\ntap staff\ntap staff:S01\npad 246810\ntap key:ok\n") == 0);
        // 目視確認の理由 (when the flow asks for it) is not this page's business: take any.
        if (h.flow.visit().step() != flow::Step::AwaitCard) REQUIRE(h.run("tap reason:other\n") == 0);
        REQUIRE(h.run("wait screen await_card\ntap console\nwait screen console_list\n") == 0);
    }
    void open_patient(const std::string& karte) {
        run(console::in::OpenPatient{karte});
        REQUIRE(h.run("wait screen console_patient\nwait text " + karte + "\n") == 0);
    }
};

}  // namespace

TEST_CASE("原簿 page: the cards, 照会番号 and 保険証確認日 are shown, F4 writes today's date") {
    ConsoleRig r;
    r.clock.value = "2021-08-17T10:00:00";
    r.open_console();
    r.open_patient("13");
    REQUIRE(r.h.run("assert text 資格　一郎\nassert text 照会番号: A1_1510110016\nassert text 保険者番号\n"
                    "assert text 139980\nassert text 保険証確認日: 令和3年7月27日\n") == 0);
    REQUIRE(r.h.run("tap patient:confirm-card\nwait text 保険証確認日を本日の日付で更新します\ntap dialog:ok\n"
                    "wait text 保険証確認日を本日の日付に更新しました。\nwait text 保険証確認日: 令和3年8月17日\n") == 0);
    CHECK(r.db.audit_log("13", 1).at(0).action == "card.confirm");
}

TEST_CASE("原簿 page: 付け替え names both patients, then the move is undone from the target's history") {
    ConsoleRig r;
    r.open_console();
    r.open_patient("13");
    REQUIRE(r.h.run("tap patient:relink\nwait text 付け替え先の患者様のカルテ番号\ntap pad:1\ntap pad:4\ntap dialog:ok\n"
                    "wait text 照会番号 A1_1510110016 を付け替えます\n"
                    "assert text 付け替え元: 資格　一郎（カルテ番号 13）\n"
                    "assert text 付け替え先: 資格　五郎（カルテ番号 14）\n") == 0);
    CHECK(r.db.karte_for_reference("A1_1510110016") == "13");  // nothing written before OK
    REQUIRE(r.h.run("tap dialog:ok\nwait text をカルテ番号 14 の患者様に付け替えました\nassert text 照会番号: 未登録\n") == 0);
    CHECK(r.db.karte_for_reference("A1_1510110016") == "14");

    r.open_patient("14");
    const int64_t move = r.db.audit_log("14", 1).at(0).id;
    REQUIRE(r.h.run("tap patient:tab-changes\ntap undo-" + std::to_string(move) +
                    "\nwait text 次の変更を取り消します\ntap dialog:ok\nwait text 取り消しました。\n") == 0);
    CHECK(r.db.karte_for_reference("A1_1510110016") == "13");
    // The undone entry is marked and offers no second undo.
    REQUIRE(r.h.run("wait text 取り消し済み\n") == 0);
    CHECK_FALSE(r.h.fe.last_frame().find("undo-" + std::to_string(move)));
}

TEST_CASE("原簿 page: 履歴 詳細 and phones on the pad, a refusal is shown in the ledger's words") {
    ConsoleRig r;
    r.open_console();
    r.open_patient("13");
    const int64_t check = r.db.patient("13")->latest_check->id;
    REQUIRE(r.h.run("tap patient:tab-checks\ntap detail-" + std::to_string(check) +
                    "\nwait text 資格確認履歴詳細\nwait text 原簿に記録した同意: 薬剤情報：同意\ntap dialog:cancel\n") == 0);
    REQUIRE(r.h.run("tap patient:tab-ledger\ntap patient:phones\ntap box:2\ntap pad:0\ntap pad:9\ntap pad:0\ntap dialog:ok\n"
                    "wait text 電話番号を保存しました。\nwait text 090\n") == 0);
    CHECK(r.db.patient("13")->patient.phones.mobile == "090");
    // A 公費 without its 公費負担者番号: the ledger refuses; the dialog stays with its words.
    REQUIRE(r.h.run("tap patient:kouhi\ntap dialog:ok\nwait text 公費負担者番号を入力してください。\n"
                    "assert text 有効開始日\n") == 0);
}

TEST_CASE("原簿 page: a 目視確認's reason is shown in 資格確認履歴 and its 詳細") {
    ConsoleRig r;
    r.clock.value = "2021-08-17T09:00:00";
    ledger::NewCheck face;
    face.karte = "13";
    face.method = ledger::CheckMethod::Face;
    face.status = "valid";
    face.validity = "1";
    face.processing_status = "1";
    const int64_t check = r.db.record_check(face, "S01").check_id;
    r.db.mark_visual_check(check, "S01", "pin_locked");
    r.open_console();
    r.open_patient("13");
    REQUIRE(r.h.run("tap patient:tab-checks\nwait text 目視確認の理由: 暗証番号ロック（3回失敗）\ntap detail-" +
                    std::to_string(check) + "\nwait text 資格確認履歴詳細\nassert text 目視確認の理由: 暗証番号ロック（3回失敗）\n") ==
            0);
}

TEST_CASE("typed page: staff type the card, see the rules' words, and 資格確認 sends the request") {
    ConsoleRig r;
    r.open_console();
    REQUIRE(r.h.run("tap tab-typed\nwait screen console_typed\ntap typed:insurer\n"
                    "tap pad:0\ntap pad:6\ntap pad:1\ntap pad:3\ntap pad:9\ntap pad:9\ntap pad:8\ntap pad:1\n") == 0);
    // 06139981: the 検証番号 is wrong — a warning naming the expected digit; 資格確認 stays off until 番号 and
    // 生年月日 are there.
    REQUIRE(r.h.run("wait text 検証番号\n") == 0);
    CHECK_FALSE(r.h.fe.last_frame().find("typed:submit")->enabled);
    REQUIRE(r.h.run("tap typed:bango\ntap pad:7\ntap pad:7\ntap typed:birth\n"
                    "tap pad:3\ntap pad:3\ntap pad:5\ntap pad:0\ntap pad:6\ntap pad:0\ntap pad:2\n"
                    "wait text 昭和35年6月2日\ntap typed:limit-yes\ntap typed:submit\nwait screen console_querying\n") == 0);
    REQUIRE(r.typed_sent.size() == 1);
    CHECK(r.typed_sent[0].insurer_number == "06139981");
    CHECK(r.typed_sent[0].number == "77");
    CHECK(r.typed_sent[0].birthdate == rules::Date{1960, 6, 2});
    CHECK(r.typed_sent[0].limit_application_consent);
}

TEST_CASE("typed page: 新患登録 without a card chip writes the patient and opens the new 原簿") {
    ConsoleRig r;
    r.open_console();
    REQUIRE(r.h.run("tap tab-typed\nwait screen console_typed\ntap typed:purpose-register\nwait text カナ氏名\n"
                    "tap kana:11\ntap kana:5\ntap kana:7\ntap typed:sex-2\ntap typed:birth\n"
                    "tap pad:3\ntap pad:3\ntap pad:5\ntap pad:0\ntap pad:6\ntap pad:0\ntap pad:2\n"
                    "tap typed:insurer\ntap pad:1\ntap pad:3\ntap pad:9\ntap pad:9\ntap pad:8\ntap pad:0\n"
                    "tap typed:bango\ntap pad:1\ntap pad:2\ntap typed:submit\n"
                    "wait screen console_patient\nwait text 新患登録しました（カルテ番号 15）。\nassert text シカク\n") == 0);
    auto rec = r.db.patient("15");
    REQUIRE(rec);
    CHECK(rec->patient.kana_name == "シカク");
    CHECK(rec->patient.sex == "2");
    CHECK(rec->current_card()->insurer_number == "139980");
    CHECK(r.db.audit_log("15", 1).at(0).action == "plan.register");
}

TEST_CASE("typed page: 保険証変更 from the 原簿 shows the 切替日 dialog's rule under the 切替日 and writes once it holds") {
    ConsoleRig r;
    r.open_console();
    r.open_patient("13");
    REQUIRE(r.h.run("tap patient:switch\nwait screen console_typed\ntap typed:insurer\n"
                    "tap pad:1\ntap pad:3\ntap pad:3\ntap pad:0\ntap pad:3\ntap pad:3\n"
                    "tap typed:bango\ntap pad:7\ntap pad:7\n"
                    "tap typed:switch_date\ntap pad:5\ntap pad:0\ntap pad:3\ntap pad:0\ntap pad:8\ntap pad:0\ntap pad:1\n"
                    "tap typed:valid_from\ntap pad:5\ntap pad:0\ntap pad:3\ntap pad:0\ntap pad:8\ntap pad:1\ntap pad:5\n"
                    "wait text 切替日が保険有効開始日より前です。新しい保険証は保険有効開始日から使えます。\n") == 0);
    CHECK_FALSE(r.h.fe.last_frame().find("typed:submit")->enabled);
    // 保険有効開始日 令和3年8月1日, the 切替日 itself: the rule holds, 変更する writes the switch.
    REQUIRE(r.h.run("tap pad:erase\ntap pad:erase\ntap pad:0\ntap pad:1\n"
                    "wait no-text 切替日が保険有効開始日より前です\ntap typed:submit\nwait frames 4\n") == 0);
    auto rec = r.db.patient("13");
    REQUIRE(rec->cards.size() == 2);
    CHECK(rec->cards[0].insurer_number == "133033");
    CHECK(rec->cards[0].valid_from == "2021-08-01");
    CHECK(rec->cards[1].closed_on == "2021-07-31");
    CHECK(r.db.audit_log("13", 1).at(0).action == "plan.switch");
}

TEST_CASE("原簿 page: 薬剤・健診 opens from the 原簿, a fetch without consent is refused on screen, 閉じる returns") {
    ConsoleRig r;
    r.open_console();
    r.open_patient("13");
    REQUIRE(r.h.run("tap patient:medinfo\nwait screen console_medinfo\nwait text 薬剤・健診　資格　一郎\n"
                    "assert text 取得した情報はありません\ntap medinfo:fetch\nwait text 閲覧同意がありません\n"
                    "tap medinfo:tab-checkups\nassert text 特定健診情報を取得する\n"
                    "tap medinfo:close\nwait screen console_patient\n") == 0);
    CHECK(r.console.state().page == console::Page::Patient);
}
