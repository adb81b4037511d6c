// 保険証・資格確認書で資格確認 (typed) and the typed 新患登録 / 保険証変更 (core/console/typed_card): the checks
// staff see as they type (Japanese notes from core/rules), the OQSsiquc01req built through the same code as
// 単件照会, and the ledger plans, applied and undone on a real ledger file.
#include <catch2/catch.hpp>

#include "core/console/typed_card.hpp"
#include "core/diff/qualification_diff.hpp"
#include "core/oqs/messages.hpp"
#include "core/rules/numbers.hpp"
#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi;
using namespace onshi::console;
using namespace onshi::ledger;
using namespace onshi::ledger::test;
using F = TypedField;

namespace {

const rules::Date kToday{2021, 8, 17};

TypedForm ichiro(TypedPurpose p = TypedPurpose::Query) {
    TypedForm f;
    f.purpose = p;
    f.at(F::Insurer) = "139980";
    f.at(F::Kigo) = "萩う10";
    f.at(F::Bango) = "1639960291x001";
    f.at(F::Edaban) = "01";
    f.at(F::Birth) = "3350602";  // 昭和35年6月2日 as GYYMMDD
    return f;
}

std::string error_of(const TypedCheck& c, F f) {
    const auto& e = c.fields[size_t(f)].error;
    return e ? e->ja : "";
}
std::vector<std::string> warnings_of(const TypedCheck& c, F f) {
    std::vector<std::string> out;
    for (const auto& w : c.fields[size_t(f)].warnings) out.push_back(w.ja);
    return out;
}
std::string refusal(const std::function<void()>& f) {
    try {
        f();
    } catch (const TypedRefused& e) {
        return e.message_ja;
    }
    return "";
}

}  // namespace

TEST_CASE("typed card: an empty form names every missing input in Japanese") {
    TypedForm f;
    TypedCheck c = check_typed(f, kToday);
    CHECK_FALSE(c.ready);
    CHECK(error_of(c, F::Insurer) == "保険者番号を入力してください。");
    CHECK(error_of(c, F::Bango) == "被保険者番号を入力してください。");
    CHECK(error_of(c, F::Birth) == "生年月日を入力してください。");
    CHECK(error_of(c, F::Kigo).empty());  // 記号 and 枝番 may be absent from a card
    CHECK(error_of(c, F::Edaban).empty());
    CHECK(refusal([&] { typed_query(f, kToday); }) == "保険者番号を入力してください。");
}

TEST_CASE("typed card: 検証番号, lengths and 枝番 are checked as staff type") {
    TypedForm f = ichiro();
    TypedCheck ok = check_typed(f, kToday);
    CHECK(ok.ready);
    CHECK(ok.insurer_kind == "国保");
    CHECK(ok.birth == rules::Date{1960, 6, 2});

    // A wrong 検証番号 warns, naming the digit, and never blocks (issuers print wrong numbers).
    const char expected = *rules::luhn_check_digit("0613998");
    f.at(F::Insurer) = std::string("0613998") + char(expected == '9' ? '0' : expected + 1);
    TypedCheck warned = check_typed(f, kToday);
    CHECK(warned.ready);
    REQUIRE_FALSE(warnings_of(warned, F::Insurer).empty());
    CHECK(warnings_of(warned, F::Insurer)[0].find(expected) != std::string::npos);

    f.at(F::Insurer) = "1399";
    CHECK(error_of(check_typed(f, kToday), F::Insurer).find("桁数") != std::string::npos);
    f.at(F::Insurer) = "39980";  // lost its leading zero: restored with a warning
    CHECK(check_typed(f, kToday).ready);
    CHECK(warnings_of(check_typed(f, kToday), F::Insurer).at(0) == "先頭の 0 を補いました。");

    f = ichiro();
    f.at(F::Edaban) = "1";
    CHECK(error_of(check_typed(f, kToday), F::Edaban) == "枝番は2桁の数字で入力してください（例: 01）。");
    f.at(F::Insurer) = "39131156";  // 後期高齢者: no 枝番
    f.at(F::Edaban) = "01";
    CHECK(warnings_of(check_typed(f, kToday), F::Edaban).size() == 1);

    f = ichiro();
    f.at(F::Bango) = std::string(39, '1');
    CHECK(error_of(check_typed(f, kToday), F::Bango) == "被保険者番号が長すぎます（38バイトまで）。");
    f.at(F::Bango) = "1639960291x001";
    f.at(F::Kigo) = "萩う\u300010";
    CHECK(error_of(check_typed(f, kToday), F::Kigo) == "被保険者記号に全角スペースは使えません。");
}

TEST_CASE("typed card: 生年月日 in 和暦 digits or 西暦, with the rules' warnings, never in the future") {
    TypedForm f = ichiro();
    f.at(F::Birth) = "19600602";
    CHECK(check_typed(f, kToday).birth == rules::Date{1960, 6, 2});
    f.at(F::Birth) = "昭和35年6月2日";
    CHECK(check_typed(f, kToday).birth == rules::Date{1960, 6, 2});
    f.at(F::Birth) = "4310501";  // 平成31年5月1日 is 令和元年5月1日
    TypedCheck c = check_typed(f, kToday);
    CHECK(c.birth == rules::Date{2019, 5, 1});
    CHECK(warnings_of(c, F::Birth).size() == 1);
    f.at(F::Birth) = "3350230";  // 2月30日
    CHECK_FALSE(error_of(check_typed(f, kToday), F::Birth).empty());
    f.at(F::Birth) = "20210818";
    CHECK(error_of(check_typed(f, kToday), F::Birth) == "生年月日が未来の日付です。");
}

TEST_CASE("typed card: the siquc01req is the one 単件照会 builds for the same card") {
    TypedForm f = ichiro();
    f.consent = intake::LimitConsent::Yes;
    oqs::QualificationQuery q = typed_query(f, kToday);
    CHECK(q.insurer_number == "139980");
    CHECK(q.symbol == "萩う10");
    CHECK(q.number == "1639960291x001");
    CHECK(q.branch == "01");
    CHECK(q.birthdate == rules::Date{1960, 6, 2});
    CHECK(q.confirmation_date == kToday);
    CHECK(q.limit_application_consent);
    oqs::Message req = oqs::make_request(q, "1312345678");
    REQUIRE(req.body.search.size() == 1);
    CHECK(req.body.search[0].insurer_number == "  139980");
    CHECK(req.body.search[0].birthdate == "19600602");
    CHECK(req.body.search[0].limit_application_certificate_related_cons_flg == "1");
    // 未確認 and 拒否 both send 0.
    f.consent = intake::LimitConsent::No;
    CHECK_FALSE(typed_query(f, kToday).limit_application_consent);
    f.consent = intake::LimitConsent::Unasked;
    CHECK_FALSE(typed_query(f, kToday).limit_application_consent);

    // The same card registered in the 原簿: 単件照会 asks exactly the same.
    TempDir dir{"onshi-typed"};
    Clock clock;
    LedgerStore db = open_with(dir.path / "l.sqlite", clock);
    db.apply(register_ichiro("13"), "uketsuke");
    oqs::QualificationQuery registered = intake::single_query(db, "13", intake::LimitConsent::Unasked, kToday);
    f.at(F::Kigo) = "萩う10";
    CHECK(registered.insurer_number == typed_query(f, kToday).insurer_number);
    CHECK(registered.symbol == q.symbol);
    CHECK(registered.number == q.number);
    CHECK(registered.branch == q.branch);
    CHECK(registered.birthdate == q.birthdate);
}

TEST_CASE("typed card: 医療扶助 takes the 公費負担者番号 and 受給者番号 in the card's boxes") {
    TypedForm f = ichiro();
    const std::string payer = std::string("1213600") + *rules::luhn_check_digit("1213600");
    f.at(F::Insurer) = payer;
    f.at(F::Kigo) = "";
    f.at(F::Edaban) = "";
    f.at(F::Bango) = "";
    CHECK(error_of(check_typed(f, kToday), F::Bango) == "受給者番号を入力してください。");
    f.at(F::Bango) = std::string("123456") + *rules::luhn_check_digit("123456");
    TypedCheck c = check_typed(f, kToday);
    CHECK(c.ready);
    CHECK(c.insurer_kind.find("公費(12") == 0);
    CHECK(warnings_of(c, F::Insurer).empty());  // no "法別番号 12 は公費の番号です" here
    CHECK(typed_query(f, kToday).insurer_number == payer);
}

TEST_CASE("typed 新患登録: one audited plan with the patient and the card, undone like any change") {
    TypedForm f = ichiro(TypedPurpose::Register);
    CHECK(error_of(check_typed(f, kToday), F::KanaName) == "カナ氏名を入力してください。");
    CHECK(refusal([&] { register_plan(f, kToday); }) == "カナ氏名を入力してください。");
    f.at(F::KanaName) = "シカク イチロウ";
    f.sex = "1";
    f.at(F::Insurer) = "39980";  // typed without its leading zero: stored as the 6-digit number
    OverwritePlan plan = register_plan(f, kToday);
    CHECK(plan.kind == PlanKind::RegisterPatient);
    CHECK(plan.karte.empty());
    CHECK_FALSE(plan.check);
    CHECK(refusal([&] { switch_plan(f, kToday); }) == "保険証変更の入力ではありません。");

    TempDir dir{"onshi-typed"};
    Clock clock;
    LedgerStore db = open_with(dir.path / "l.sqlite", clock);
    db.apply(register_ichiro("13"), "uketsuke");
    ApplyResult r = db.apply(plan, "uketsuke");
    CHECK(r.karte == "14");
    auto rec = db.patient("14");
    REQUIRE(rec);
    CHECK(rec->patient.kana_name == "シカク イチロウ");
    CHECK(rec->patient.kanji_name.empty());
    CHECK(rec->patient.sex == "1");
    CHECK(rec->patient.birth == "1960-06-02");
    REQUIRE(rec->current_card());
    CHECK(rec->current_card()->insurer_number == "039980");
    CHECK(rec->current_card()->bango == "1639960291x001");
    CHECK(db.audit_log("14", 1).at(0).action == "plan.register");
    db.undo(r.audit_id, "uketsuke");
    CHECK_FALSE(db.patient("14"));
}

TEST_CASE("typed 保険証変更: the old card closes the day before the 切替日, 保険有効開始日 and 限度額開始日") {
    TempDir dir{"onshi-typed"};
    Clock clock;
    LedgerStore db = open_with(dir.path / "l.sqlite", clock);
    db.apply(register_ichiro("13"), "uketsuke");

    TypedForm f;
    f.purpose = TypedPurpose::Switch;
    f.at(F::Insurer) = "133033";
    f.at(F::Bango) = "1639960291x001";
    f.at(F::SwitchDate) = "5030801";
    CHECK(error_of(check_typed(f, kToday), F::SwitchDate) == "保険証変更する患者様が選ばれていません。");
    f.karte = "13";
    f.at(F::SwitchDate) = "";
    CHECK(error_of(check_typed(f, kToday), F::SwitchDate) == "切替日を入力してください。");
    f.at(F::SwitchDate) = "5030801";
    OverwritePlan plan = switch_plan(f, kToday);
    CHECK(plan.kind == PlanKind::SwitchCard);
    CHECK(plan.karte == "13");
    CHECK(plan.switch_date == "2021-08-01");
    bool valid_from = false;
    for (const auto& fv : plan.fields)
        if (fv.field == Field::ValidFrom) valid_from = fv.value == "2021-08-01";  // none typed: the 切替日
    CHECK(valid_from);

    f.at(F::ValidFrom) = "20210725";
    f.at(F::LimitFrom) = "5030801";
    plan = switch_plan(f, kToday);
    ApplyResult r = db.apply(plan, "uketsuke");
    auto rec = db.patient("13");
    REQUIRE(rec->cards.size() == 2);
    CHECK(rec->cards[0].insurer_number == "133033");
    CHECK(rec->cards[0].valid_from == "2021-07-25");
    CHECK(rec->cards[0].limit_from == "2021-08-01");
    CHECK(rec->cards[1].insurer_number == "139980");
    CHECK(rec->cards[1].closed_on == "2021-07-31");
    CHECK(db.audit_log("13", 1).at(0).action == "plan.switch");
    db.undo(r.audit_id, "uketsuke");
    rec = db.patient("13");
    REQUIRE(rec->cards.size() == 1);
    CHECK(rec->cards[0].closed_on.empty());
}

TEST_CASE("typed 保険証変更: the 切替日 dialog's rules (diff::switch_dates_problem) on the 切替日 box, refused until fixed") {
    TypedView v;
    TypedForm pre;
    pre.at(F::Insurer) = "133033";
    pre.at(F::Bango) = "1639960291x001";
    pre.at(F::SwitchDate) = "5030801";  // 令和3年8月1日
    pre.at(F::ValidFrom) = "5030815";   // 保険有効開始日 after it
    handle(v, typed_in::Open{TypedPurpose::Switch, "13", "資格　一郎", pre}, kToday);
    // The same Japanese the visit's 切替日 dialog shows, under the 切替日 as staff type.
    const std::string before = text::ja(text::msg(text::Msg::SwitchBeforeValidFrom));
    CHECK(before == "切替日が保険有効開始日より前です。新しい保険証は保険有効開始日から使えます。");
    CHECK(error_of(v.check, F::SwitchDate) == before);
    CHECK(diff::switch_dates_problem({"2021-08-01", "2021-08-15", ""}) == text::msg(text::Msg::SwitchBeforeValidFrom));
    CHECK_FALSE(v.check.ready);
    CHECK(handle(v, typed_in::Submit{}, kToday).empty());  // nothing goes to the ledger
    CHECK(v.refused);
    CHECK(text::ja(v.message) == before);
    CHECK(refusal([&] { switch_plan(v.form, kToday); }) == before);

    // The 切替日 on the 保険有効開始日 (or after it) is accepted; an empty 保険有効開始日 is the 切替日.
    handle(v, typed_in::Focus{F::ValidFrom}, kToday);
    handle(v, typed_in::Erase{}, kToday);
    handle(v, typed_in::Erase{}, kToday);
    for (const char* k : {"0", "1"}) handle(v, typed_in::Key{k}, kToday);
    CHECK(v.form.at(F::ValidFrom) == "5030801");
    CHECK(error_of(v.check, F::SwitchDate).empty());
    CHECK(v.check.ready);
    v.form.at(F::ValidFrom).clear();
    CHECK(check_typed(v.form, kToday).ready);
    auto fx = handle(v, typed_in::Submit{}, kToday);
    REQUIRE(fx.size() == 1);
    CHECK(std::get<typed_effect::Apply>(fx[0]).plan.switch_date == "2021-08-01");
}

TEST_CASE("typed card: the pad types digits into number and date boxes, any key into 記号 and カナ氏名") {
    TypedForm f;
    type_key(f, F::Insurer, "1");
    type_key(f, F::Insurer, "a");
    type_key(f, F::Insurer, "ア");
    CHECK(f.at(F::Insurer) == "1");
    for (int i = 0; i < 10; ++i) type_key(f, F::Insurer, "2");
    CHECK(f.at(F::Insurer) == "12222222");  // 8 digits at most
    for (int i = 0; i < 3; ++i) type_key(f, F::Edaban, "0");
    CHECK(f.at(F::Edaban) == "00");
    type_key(f, F::KanaName, "シ");
    type_key(f, F::KanaName, "カ");
    erase_key(f, F::KanaName);
    CHECK(f.at(F::KanaName) == "シ");  // one character, all its bytes
    type_key(f, F::Kigo, "萩");
    type_key(f, F::Kigo, "1");
    CHECK(f.at(F::Kigo) == "萩1");
    erase_key(f, F::Bango);  // nothing to erase
    CHECK(f.at(F::Bango).empty());
    CHECK(std::string(typed_field_id(F::SwitchDate)) == "switch_date");
}

TEST_CASE("typed page: keys go to the focused box, 資格確認 hands the query to the console, a plan to the ledger") {
    TypedView v;
    handle(v, typed_in::Open{TypedPurpose::Query, "", "", {}}, kToday);
    CHECK(v.focus == F::Insurer);
    CHECK_FALSE(v.check.ready);
    // Refused with the first error's Japanese; nothing for the host.
    CHECK(handle(v, typed_in::Submit{}, kToday).empty());
    CHECK(v.refused);
    CHECK(text::ja(v.message) == "保険者番号を入力してください。");

    for (const char* k : {"1", "3", "9", "9", "8", "0"}) handle(v, typed_in::Key{k}, kToday);
    handle(v, typed_in::Focus{F::Bango}, kToday);
    for (const char* k : {"1", "2", "3"}) handle(v, typed_in::Key{k}, kToday);
    handle(v, typed_in::Erase{}, kToday);
    handle(v, typed_in::Focus{F::Birth}, kToday);
    for (char c : std::string("3350602")) handle(v, typed_in::Key{std::string(1, c)}, kToday);
    handle(v, typed_in::Consent{intake::LimitConsent::Yes}, kToday);
    CHECK(v.form.at(F::Bango) == "12");
    CHECK(v.check.ready);
    auto fx = handle(v, typed_in::Submit{}, kToday);
    REQUIRE(fx.size() == 1);
    const auto* q = std::get_if<typed_effect::Query>(&fx[0]);
    REQUIRE(q);
    CHECK(q->karte.empty());
    CHECK(q->query.insurer_number == "139980");
    CHECK(q->query.number == "12");
    CHECK(q->query.birthdate == rules::Date{1960, 6, 2});
    CHECK(q->query.limit_application_consent);
    CHECK_FALSE(v.refused);

    // Opened from a patient's 原簿: the card and birth date as registered.
    TempDir dir{"onshi-typed"};
    Clock clock;
    LedgerStore db = open_with(dir.path / "l.sqlite", clock);
    db.apply(register_ichiro("13"), "uketsuke");
    const TypedForm pre = form_from_record(*db.patient("13"), TypedPurpose::Query);
    handle(v, typed_in::Open{TypedPurpose::Query, "13", "資格　一郎", pre}, kToday);
    CHECK(v.form.at(F::Insurer) == "139980");
    CHECK(v.form.at(F::Birth) == "19600602");
    CHECK(v.check.ready);
    fx = handle(v, typed_in::Submit{}, kToday);
    REQUIRE(fx.size() == 1);
    CHECK(std::get<typed_effect::Query>(fx[0]).karte == "13");

    // 新患登録: the plan goes to the host; the page waits for it.
    handle(v, typed_in::Open{TypedPurpose::Register, "", "", {}}, kToday);
    CHECK(v.focus == F::KanaName);
    for (const char* k : {"シ", "カ", "ク"}) handle(v, typed_in::Key{k}, kToday);
    handle(v, typed_in::Sex{"2"}, kToday);
    handle(v, typed_in::Sex{"9"}, kToday);
    CHECK(v.form.sex == "2");
    for (auto [f, text] : {std::pair{F::Birth, "3350602"}, {F::Insurer, "139980"}, {F::Bango, "77"}}) {
        handle(v, typed_in::Focus{f}, kToday);
        for (char c : std::string(text)) handle(v, typed_in::Key{std::string(1, c)}, kToday);
    }
    fx = handle(v, typed_in::Submit{}, kToday);
    REQUIRE(fx.size() == 1);
    const auto& plan = std::get<typed_effect::Apply>(fx[0]).plan;
    CHECK(plan.kind == PlanKind::RegisterPatient);
    CHECK(v.busy);
    CHECK(handle(v, typed_in::Submit{}, kToday).empty());  // one at a time
    ApplyResult r = db.apply(plan, "uketsuke");
    handle(v, typed_in::Written{true, r.karte, text::msg(text::Msg::TypedRegistered, -1, -1, r.karte)}, kToday);
    CHECK_FALSE(v.busy);
    CHECK(text::ja(v.message) == "新患登録しました（カルテ番号 14）。");
    CHECK(db.patient("14")->patient.kana_name == "シカク");
}

TEST_CASE("typed query on the host: sent, and for a registered patient recorded 照会中 (method 保険証) under its request") {
    struct Gateway : oqs::OqsGateway {
        std::vector<oqs::QualificationQuery> sent;
        std::string submit(const oqs::QualificationQuery& q) override {
            sent.push_back(q);
            return "OQSsiquc01req_" + std::to_string(sent.size()) + ".xml";
        }
    } gw;
    TempDir dir{"onshi-typed"};
    Clock clock;
    LedgerStore db = open_with(dir.path / "l.sqlite", clock);
    db.apply(register_ichiro("13"), "uketsuke");

    TypedView v;
    handle(v, typed_in::Open{TypedPurpose::Query, "13", "資格　一郎", form_from_record(*db.patient("13"), TypedPurpose::Query)},
           kToday);
    auto fx = handle(v, typed_in::Submit{}, kToday);
    REQUIRE(fx.size() == 1);
    TypedSent s = send_typed_query(db, gw, std::get<typed_effect::Query>(fx[0]), "uketsuke");
    REQUIRE(gw.sent.size() == 1);
    CHECK(gw.sent[0].number == "1639960291x001");
    CHECK(s.request == "OQSsiquc01req_1.xml");
    auto pending = db.pending_check(s.request);
    REQUIRE(pending);
    CHECK(pending->id == s.check_id);
    CHECK(pending->karte == "13");
    CHECK(pending->method == CheckMethod::InsuranceCard);
    CHECK(pending->status == "processing");

    // Nobody in the 原簿 yet: sent, nothing recorded.
    typed_effect::Query anon = std::get<typed_effect::Query>(fx[0]);
    anon.karte.clear();
    const size_t audits = db.audit_log("", 1000).size();
    TypedSent s2 = send_typed_query(db, gw, anon, "uketsuke");
    CHECK(gw.sent.size() == 2);
    CHECK(s2.check_id == 0);
    CHECK_FALSE(db.pending_check(s2.request));
    CHECK(db.audit_log("", 1000).size() == audits);
}
