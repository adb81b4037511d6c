// 患者原簿 page model (core/console/patient_page): each action asks for the right ledger op, the host's side
// runs it on a real ledger file (one transaction + audit row), and a refusal comes back in the ledger's
// Japanese; 付け替え names both patients before writing; undo from the history, refused when later
// changes depend on it; the 詳細 of a stored answer.
#include <catch2/catch.hpp>

#include "core/console/patient_page.hpp"
#include "core/oqs/messages.hpp"
#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi;
using namespace onshi::console;
using namespace onshi::ledger;
using namespace onshi::ledger::test;
using text::Msg;

namespace {

const std::string kStaff = "uketsuke";

struct Rig {
    TempDir dir{"onshi-patient-page"};
    Clock clock;
    LedgerStore db;
    PatientPage page;

    Rig() : db(open_with(dir.path / "l.sqlite", clock)) {
        db.apply(register_ichiro("13"), kStaff);  // 照会番号 A1_1510110016
        OverwritePlan goro;
        goro.kind = PlanKind::RegisterPatient;
        goro.karte = "14";
        goro.fields = {{Field::KanaName, "シカク ゴロウ"}, {Field::KanjiName, "資格　五郎"}, {Field::Sex, "1"},
                       {Field::Birth, "1990-01-01"}};
        db.apply(goro, kStaff);  // no card
    }

    // Hands the page an intent and runs whatever it asks of the host, like the kiosk's worker would; returns
    // the effects the intent produced.
    std::vector<PageEffect> act(const PageIntent& in) {
        auto effects = handle(page, in);
        for (const auto& e : effects)
            if (auto back = run_page_effect(db, e, kStaff)) handle(page, *back);
        return effects;
    }
    void open(const std::string& karte) {
        act(page_in::Open{karte});
        REQUIRE(page.data);
    }
    std::string last_action() { return db.audit_log("", 1).at(0).action; }
    size_t audits() { return db.audit_log("", 1000).size(); }
};

template <class E>
const E* only(const std::vector<PageEffect>& effects) {
    REQUIRE(effects.size() == 1);
    return std::get_if<E>(&effects[0]);
}

}  // namespace

TEST_CASE("原簿 page: opening loads the record, its checks and its changes") {
    Rig r;
    auto effects = handle(r.page, page_in::Open{"13"});
    REQUIRE(only<page_effect::Load>(effects));
    CHECK(r.page.loading);
    auto back = run_page_effect(r.db, effects[0], kStaff);
    REQUIRE(back);
    handle(r.page, *back);
    CHECK_FALSE(r.page.loading);
    REQUIRE(r.page.data);
    CHECK(r.page.data->record.patient.kana_name == "シカク イチロウ");
    CHECK(r.page.data->record.reference_number() == "A1_1510110016");
    CHECK(r.page.data->checks.size() == 1);
    CHECK(r.page.data->audit.size() == 1);

    // A カルテ that is not in the ledger: the page says so, nothing else.
    r.act(page_in::Open{"99"});
    CHECK_FALSE(r.page.data);
    CHECK(r.page.refused);
    CHECK(text::ja(r.page.message) == "カルテ番号 99 の患者様は原簿に登録されていません。");
}

TEST_CASE("原簿 page: 保険証確認 (F4) writes 保険証確認日 = today through confirm_card") {
    Rig r;
    r.clock.value = "2021-08-17T10:00:00";
    r.open("13");
    CHECK(r.act(page_in::AskConfirmCard{}).empty());
    CHECK(r.page.dialog == PatientDialog::ConfirmCard);
    const size_t before = r.audits();
    auto effects = r.act(page_in::Confirm{});
    const auto* w = only<page_effect::Write>(effects);
    REQUIRE(w);
    CHECK(w->op.kind == PageOp::Kind::ConfirmCard);
    CHECK(r.audits() == before + 1);
    CHECK(r.last_action() == "card.confirm");
    CHECK(r.page.data->record.current_card()->card_checked_on == "2021-08-17");
    CHECK(r.page.dialog == PatientDialog::None);
    CHECK_FALSE(r.page.refused);
    CHECK(text::ja(r.page.message) == "保険証確認日を本日の日付に更新しました。");

    // A patient without a card: the page refuses before asking, and the ledger's own refusal is shown as
    // it words it when the op is run anyway.
    r.open("14");
    CHECK(r.act(page_in::AskConfirmCard{}).empty());
    CHECK(r.page.dialog == PatientDialog::None);
    CHECK(text::ja(r.page.message) == "現在の保険証が登録されていません。");
    PageOp op;
    op.kind = PageOp::Kind::ConfirmCard;
    op.karte = "14";
    handle(r.page, *run_page_effect(r.db, page_effect::Write{op}, kStaff));
    CHECK(r.page.refused);
    CHECK(text::ja(r.page.message) == "現在の保険証が登録されていません。");
    CHECK(r.audits() == before + 1);
}

TEST_CASE("原簿 page: 照会番号の削除 unlinks through unlink_reference, after a confirmation naming the patient") {
    Rig r;
    r.open("13");
    r.act(page_in::AskUnlink{});
    REQUIRE(r.page.dialog == PatientDialog::Unlink);
    auto effects = r.act(page_in::Confirm{});
    CHECK(only<page_effect::Write>(effects)->op.kind == PageOp::Kind::Unlink);
    CHECK(r.last_action() == "link.remove");
    CHECK(r.db.karte_for_reference("A1_1510110016").empty());
    CHECK(r.page.data->record.reference_number().empty());
    // Nothing left to remove: refused on the page, nothing written.
    const size_t n = r.audits();
    r.act(page_in::AskUnlink{});
    CHECK(r.page.dialog == PatientDialog::None);
    CHECK(text::ja(r.page.message) == "照会番号は未登録です。");
    CHECK(r.audits() == n);
}

TEST_CASE("原簿 page: 付け替え names both patients, moves the 照会番号, and is undone from the history") {
    Rig r;
    r.open("13");
    r.act(page_in::AskRelink{});
    REQUIRE(r.page.dialog == PatientDialog::RelinkTarget);
    CHECK(r.page.relink_number == "A1_1510110016");

    // The same patient, an empty box or a カルテ nobody has: refused before anything is written.
    r.act(page_in::Confirm{});
    CHECK(text::ja(r.page.message) == "付け替え先のカルテ番号を入力してください。");
    r.act(page_in::Key{"1"});
    r.act(page_in::Key{"3"});
    CHECK(r.act(page_in::Confirm{}).empty());
    CHECK(text::ja(r.page.message) == "付け替え先がこの患者様です。別のカルテ番号を入力してください。");
    r.act(page_in::Erase{});
    r.act(page_in::Erase{});
    r.act(page_in::Key{"7"});
    r.act(page_in::Key{"7"});
    CHECK(only<page_effect::Lookup>(r.act(page_in::Confirm{}))->karte == "77");
    CHECK(r.page.dialog == PatientDialog::RelinkTarget);
    CHECK(text::ja(r.page.message) == "カルテ番号 77 の患者様は原簿に登録されていません。");

    r.act(page_in::Erase{});
    r.act(page_in::Erase{});
    r.act(page_in::Key{"1"});
    r.act(page_in::Key{"4"});
    r.act(page_in::Confirm{});
    REQUIRE(r.page.dialog == PatientDialog::RelinkConfirm);
    REQUIRE(r.page.relink_target);
    CHECK(r.page.relink_target->kanji_name == "資格　五郎");
    CHECK(r.page.data->record.patient.kanji_name == "資格　一郎");
    CHECK(r.db.karte_for_reference("A1_1510110016") == "13");  // nothing written yet

    auto effects = r.act(page_in::Confirm{});
    const auto* w = only<page_effect::Write>(effects);
    CHECK(w->op.kind == PageOp::Kind::Relink);
    CHECK(w->op.reference_number == "A1_1510110016");
    CHECK(w->op.target == "14");
    CHECK(r.last_action() == "link.move");
    CHECK(r.db.karte_for_reference("A1_1510110016") == "14");
    CHECK(text::ja(r.page.message) == "照会番号 A1_1510110016 をカルテ番号 14 の患者様に付け替えました。");
    // The page's patient no longer holds it; 付け替え offers the number it held last.
    CHECK(r.page.data->record.reference_number().empty());
    CHECK(r.page.movable_reference() == "A1_1510110016");

    // Undo from the history: the move is recorded with the patient it moved to, the newest change there.
    r.open("14");
    r.act(page_in::ShowTab{PatientTab::Changes});
    const AuditEntry move = r.page.data->audit.front();
    REQUIRE(move.action == "link.move");
    r.act(page_in::AskUndo{move.id});
    REQUIRE(r.page.dialog == PatientDialog::Undo);
    CHECK(r.page.undo_id == move.id);
    CHECK(only<page_effect::Write>(r.act(page_in::Confirm{}))->op.kind == PageOp::Kind::Undo);
    CHECK(r.last_action() == "undo");
    CHECK(r.db.karte_for_reference("A1_1510110016") == "13");
    CHECK(text::ja(r.page.message) == "取り消しました。");
}

TEST_CASE("原簿 page: an undo that later changes depend on is refused in Japanese, the dialog stays") {
    Rig r;
    r.clock.value = "2021-08-01T09:00:00";
    r.open("13");
    r.act(page_in::AskConfirmCard{});
    r.act(page_in::Confirm{});
    r.clock.value = "2021-09-01T09:00:00";
    r.act(page_in::AskConfirmCard{});
    r.act(page_in::Confirm{});
    // The first 保険証確認 is the second-newest change; the newer one wrote the same column.
    const AuditEntry first = r.page.data->audit.at(1);
    REQUIRE(first.action == "card.confirm");
    const size_t n = r.audits();
    r.act(page_in::AskUndo{first.id});
    r.act(page_in::Confirm{});
    CHECK(r.page.refused);
    CHECK(r.page.dialog == PatientDialog::Undo);
    CHECK(text::ja(r.page.message) == "後から変更されたため取り消せません。先に後の変更を取り消してください。");
    CHECK(r.audits() == n);
    CHECK(r.page.data->record.current_card()->card_checked_on == "2021-09-01");
    CHECK_FALSE(r.page.busy);
}

TEST_CASE("原簿 page: phones, 公費 and 介護 typed on the pads go through set_phones, add_kouhi, add_kaigo") {
    Rig r;
    r.open("13");

    r.act(page_in::EditPhones{});
    REQUIRE(r.page.form.size() == 3);
    r.act(page_in::Confirm{});  // nothing typed
    CHECK(text::ja(r.page.message) == "電話番号を入力してください（空欄の番号は変わりません）。");
    r.act(page_in::Focus{2});
    for (const char* k : {"0", "9", "0", "-", "1", "x"}) r.act(page_in::Key{k});
    CHECK(r.page.form[2] == "090-1");  // a letter is not a phone key
    CHECK(only<page_effect::Write>(r.act(page_in::Confirm{}))->op.kind == PageOp::Kind::Phones);
    CHECK(r.last_action() == "patient.phones");
    CHECK(r.page.data->record.patient.phones.mobile == "090-1");

    // 公費: a wrong 検証番号 is a warning, never a block; dates in 和暦 digits become ISO.
    r.act(page_in::EditKouhi{});
    REQUIRE(r.page.form.size() == 4);
    r.act(page_in::Confirm{});  // no 公費負担者番号: the ledger's refusal, as it words it
    CHECK(r.page.refused);
    CHECK(text::ja(r.page.message) == "公費負担者番号を入力してください。");
    CHECK(r.last_action() == "patient.phones");
    for (char c : std::string("54136014")) r.act(page_in::Key{std::string(1, c)});  // 検証番号 is 5
    r.act(page_in::Focus{2});
    for (char c : std::string("5030801")) r.act(page_in::Key{std::string(1, c)});
    r.act(page_in::Confirm{});
    CHECK_FALSE(r.page.refused);
    CHECK(r.last_action() == "kouhi.add");
    REQUIRE(r.page.data->record.kouhi.size() == 1);
    CHECK(r.page.data->record.kouhi[0].futansha_number == "54136014");  // stored as typed
    CHECK(r.page.data->record.kouhi[0].valid_from == "2021-08-01");
    CHECK_FALSE(r.page.form_notes.empty());

    // A date that does not exist is refused on the page.
    r.act(page_in::EditKaigo{});
    for (char c : std::string("132019")) r.act(page_in::Key{std::string(1, c)});
    r.act(page_in::Focus{2});
    r.act(page_in::Key{"3"});  // not a care level
    CHECK(r.page.form[2].empty());
    r.act(page_in::Key{"要介護2"});
    r.act(page_in::Focus{3});
    for (char c : std::string("20210231")) r.act(page_in::Key{std::string(1, c)});
    const size_t n = r.audits();
    CHECK(r.act(page_in::Confirm{}).empty());
    CHECK(r.page.refused);
    CHECK(r.audits() == n);
    r.act(page_in::Erase{});
    r.act(page_in::Erase{});
    r.act(page_in::Key{"2"});
    r.act(page_in::Key{"8"});  // 2021-02-28
    r.act(page_in::Confirm{});
    CHECK(r.last_action() == "kaigo.add");
    REQUIRE(r.page.data->record.kaigo.size() == 1);
    CHECK(r.page.data->record.kaigo[0].care_level == "要介護2");
    CHECK(r.page.data->record.kaigo[0].valid_from == "2021-02-28");
}

TEST_CASE("原簿 page: no second write while one is on the worker, 単件照会 goes to the console's query") {
    Rig r;
    r.open("13");
    r.page.dialog = PatientDialog::None;
    handle(r.page, page_in::AskConfirmCard{});
    auto first = handle(r.page, page_in::Confirm{});  // not run yet: the worker still has it
    REQUIRE(only<page_effect::Write>(first));
    CHECK(r.page.busy);
    handle(r.page, page_in::EditPhones{});
    CHECK(r.page.dialog == PatientDialog::ConfirmCard);
    CHECK(handle(r.page, page_in::Confirm{}).empty());
    CHECK(text::ja(r.page.message) == "処理中です。しばらくお待ちください。");
    handle(r.page, *run_page_effect(r.db, first[0], kStaff));
    CHECK_FALSE(r.page.busy);

    auto q = handle(r.page, page_in::Query{});
    REQUIRE(only<page_effect::Query>(q));
    CHECK(only<page_effect::Query>(q)->karte == "13");
    CHECK_FALSE(run_page_effect(r.db, q[0], kStaff));  // not the page's to run
}

TEST_CASE("原簿 page: 詳細 shows the answer's consent flags, 照会番号 and card fields") {
    Rig r;
    oqs::Message m;
    m.kind = oqs::MessageKind::Siquc01Res;
    m.header.process_execution_time = "20210817101500";
    m.header.segment_of_result = "1";
    m.body.processing_result_status = "1";
    m.body.qualification_validity = "1";
    oqs::QualificationRecord rec;
    rec.insurer_number = "06139980";
    rec.insured_card_symbol = "萩う10";
    rec.insured_identification_number = "1639960291x001";
    rec.insured_branch_number = "01";
    rec.name = "資格　一郎";
    rec.name_kana = "シカク　イチロウ";
    rec.sex1 = "1";
    rec.birthdate = "19600602";
    rec.insured_card_valid_date = "20210801";
    rec.reference_number = "A1_1510110016";
    rec.pharmacists.flag = "1";
    rec.limit_application_consent.flag = "0";
    m.body.results = std::vector<oqs::QualificationRecord>{rec};
    NewCheck c;
    c.karte = "13";
    c.method = CheckMethod::Query;
    c.status = "valid";
    c.validity = "1";
    c.raw_xml = oqs::serialize(m, oqs::Encoding::Utf8);
    const int64_t id = r.db.record_check(c, kStaff).check_id;
    c.raw_xml = "not xml";
    const int64_t broken = r.db.record_check(c, kStaff).check_id;

    r.open("13");
    r.act(page_in::ShowTab{PatientTab::Checks});
    auto effects = r.act(page_in::ShowDetail{id});
    REQUIRE(only<page_effect::Detail>(effects));
    REQUIRE(r.page.dialog == PatientDialog::Detail);
    REQUIRE(r.page.detail);
    const CheckDetail& d = *r.page.detail;
    CHECK(d.has_answer);
    CHECK(d.check.id == id);
    CHECK(d.check.raw_xml.empty());
    CHECK(d.reference_number == "A1_1510110016");
    CHECK(d.consents[0] == std::optional<bool>(true));   // 薬剤情報
    CHECK(d.consents[4] == std::optional<bool>(false));  // 限度額
    CHECK_FALSE(d.consents[1]);                          // not asked
    auto value = [&](Field f) {
        for (const auto& row : d.card)
            if (row.field == f) return row.value;
        return std::string("?");
    };
    CHECK(value(Field::InsurerNumber) == "06139980");
    CHECK(value(Field::Bango) == "1639960291x001");
    CHECK(value(Field::ValidFrom) == "令和3年8月1日");
    CHECK(value(Field::Sex) == "男");

    // The answer of the first visit carries the consents the ledger recorded with that check.
    r.act(page_in::Dismiss{});
    r.act(page_in::ShowDetail{r.page.data->checks.back().id});
    REQUIRE(r.page.detail);
    CHECK_FALSE(r.page.detail->has_answer);  // "<xml/>" is no answer
    REQUIRE(r.page.detail->recorded.size() == 1);
    CHECK(r.page.detail->recorded[0].kind == "薬剤情報");

    r.act(page_in::Dismiss{});
    r.act(page_in::ShowDetail{broken});
    REQUIRE(r.page.detail);
    CHECK_FALSE(r.page.detail->has_answer);
}
