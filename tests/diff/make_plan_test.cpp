// make_plan → LedgerStore::apply → read back: what each decision writes, and what it never touches.
#include <algorithm>

#include <catch2/catch.hpp>

#include "core/diff/qualification_diff.hpp"
#include "tests/diff/diff_test_util.hpp"

using namespace onshi;
using namespace onshi::diff;
using namespace onshi::diff::test;
using ledger::Field;
using ledger::PlanKind;

namespace {

CheckContext context() {
    CheckContext c;
    c.method = ledger::CheckMethod::Visual;
    c.checked_at = "2021-08-17T09:30:00";
    c.raw_xml = "<XmlMsg/>";
    c.consents = {{"薬剤情報", "1", "", "2022-08-17"}};
    return c;
}

std::vector<Field> prechecked(const DiffResult& d) {
    std::vector<Field> out;
    for (const auto& r : d.rows)
        if (r.overwrite) out.push_back(r.field);
    return out;
}

// Phones, 公費 and 介護保険 as add_extras() typed them: OQS never carries them, no plan may change them.
void require_extras_untouched(const ledger::PatientRecord& p) {
    CHECK(p.patient.phones.home == "03-1234-5678");
    CHECK(p.patient.phones.contact == "090-0000-1111");
    CHECK(p.patient.phones.mobile == "080-2222-3333");
    REQUIRE(p.kouhi.size() == 1);
    CHECK(p.kouhi[0].futansha_number == "54016027");
    CHECK(p.kouhi[0].valid_until == "2022-03-31");
    REQUIRE(p.kaigo.size() == 1);
    CHECK(p.kaigo[0].care_level == "要介護1");
}

struct Fixture {
    TempDir dir;
    ledger::LedgerStore db = open_ledger(dir);
    explicit Fixture(const std::function<void(ledger::OverwritePlan&)>& edit = {}) {
        auto p = ichiro_plan();
        if (edit) edit(p);
        db.apply(p, "S01");
        add_extras(db, "13");
    }
    ledger::PatientRecord patient() { return *db.patient("13"); }
};

}  // namespace

TEST_CASE("ExtendOnly: 有効期限 and 枝番 only, with the check and consents") {
    Fixture f([](auto& p) {
        set_field(p, Field::ValidUntil, "2022-03-31");
        set_field(p, Field::Edaban, "");
    });
    auto rec = ichiro_record();
    rec.insured_card_expiration_date = "20240331";
    rec.reference_number = "A1_1510110016";
    const auto result = valid(rec);
    auto before = f.patient();
    auto d = build_diff(&before, result);
    REQUIRE(d.classification == Classification::ExtendOnly);
    auto plan = make_plan(d, &before, result, {Decision::Kind::Overwrite, prechecked(d), ""}, context());
    CHECK(plan.kind == PlanKind::ExtendOnly);
    REQUIRE(plan.fields.size() == 2);
    REQUIRE(plan.check);
    CHECK(plan.check->validity == "1");
    CHECK(plan.check->raw_xml == "<XmlMsg/>");
    CHECK(plan.reference_number == "A1_1510110016");  // the first check links the 照会番号

    auto applied = f.db.apply(plan, "S01");
    CHECK(applied.check_id > 0);
    auto after = f.patient();
    REQUIRE(after.current_card());
    CHECK(after.current_card()->valid_until == "2024-03-31");
    CHECK(after.current_card()->edaban == "01");
    CHECK(after.current_card()->id == before.current_card()->id);  // the same card, not a switch
    CHECK(after.reference_number() == "A1_1510110016");
    REQUIRE(after.latest_check);
    CHECK(after.latest_check->checked_at == "2021-08-17T09:30:00");
    REQUIRE(after.consents.size() == 1);
    CHECK(after.consents[0].kind == "薬剤情報");
    require_extras_untouched(after);
    CHECK(build_diff(&after, result).classification == Classification::Unchanged);
}

TEST_CASE("Overwrite: exactly the checked rows, never blanking what OQS did not send") {
    Fixture f([](auto& p) {
        for (Field x : {Field::Bango, Field::Edaban, Field::Relationship}) set_field(p, x, "");
        set_field(p, Field::ValidUntil, "2030-03-31");  // OQS sends no 有効期限 for him
    });
    auto rec = ichiro_record();
    rec.address = "東京都港区新橋2-91-999";
    const auto result = valid(rec);
    auto before = f.patient();
    auto d = build_diff(&before, result);
    REQUIRE(d.classification == Classification::Overwrite);

    // Staff leave 住所 unchecked.
    std::vector<Field> chosen = {Field::Bango, Field::Edaban, Field::Relationship};
    auto plan = make_plan(d, &before, result, {Decision::Kind::Overwrite, chosen, ""}, context());
    CHECK(plan.kind == PlanKind::OverwriteFields);
    REQUIRE(plan.fields.size() == 3);
    CHECK(plan.fields[0].value == "1639960291x001");

    CHECK_THROWS_AS(make_plan(d, &before, result, {Decision::Kind::Overwrite, {Field::ValidUntil}, ""}, context()),
                    std::invalid_argument);
    CHECK_THROWS_AS(make_plan(d, &before, result, {Decision::Kind::Overwrite, {}, ""}, context()),
                    std::invalid_argument);
    CHECK_THROWS_AS(
        make_plan(d, &before, result, {Decision::Kind::Overwrite, {Field::Bango, Field::Bango}, ""}, context()),
        std::invalid_argument);
    CHECK_THROWS_AS(make_plan(d, &before, result, {Decision::Kind::SwitchCard, {}, "2021-08-01"}, context()),
                    std::invalid_argument);

    f.db.apply(plan, "S01");
    auto after = f.patient();
    CHECK(after.current_card()->bango == "1639960291x001");
    CHECK(after.current_card()->relationship == "1");
    CHECK(after.current_card()->valid_until == "2030-03-31");
    CHECK(after.patient.address == "東京都千代田区永田町1-99-99");  // not checked, not written
    require_extras_untouched(after);
}

TEST_CASE("SwitchCard: insurer 139980 → 133033 on 切替日 令和3年8月1日") {
    Fixture f;
    auto rec = ichiro_record();
    rec.insurer_number = "  133033";
    rec.insured_card_symbol = "葛う10";
    rec.qualification_date = "20210801";
    rec.insured_card_valid_date = "20210801";
    rec.insured_certificate_issuance_date = "20200801";
    const auto result = valid(rec);
    auto before = f.patient();
    auto d = build_diff(&before, result);
    REQUIRE(d.classification == Classification::SwitchCard);
    REQUIRE(d.switch_date == "2021-08-01");

    // Correcting a card typed wrongly (ほかの患者様のデータと紐づけてしまったとき) is an 上書き, still allowed.
    CHECK(make_plan(d, &before, result, {Decision::Kind::Overwrite, {Field::Kigo}, ""}, context()).kind ==
          PlanKind::OverwriteFields);
    auto plan = make_plan(d, &before, result, {Decision::Kind::SwitchCard, {}, ""}, context());
    CHECK(plan.kind == PlanKind::SwitchCard);
    CHECK(plan.switch_date == "2021-08-01");
    for (const auto& fv : plan.fields) CHECK_FALSE(ledger::is_patient_field(fv.field));
    CHECK_THROWS_AS(make_plan(d, &before, result, {Decision::Kind::SwitchCard, {}, "2021-02-30"}, context()),
                    std::invalid_argument);

    f.db.apply(plan, "S01");
    auto after = f.patient();
    REQUIRE(after.cards.size() == 2);
    CHECK(after.cards[0].insurer_number == "133033");
    CHECK(after.cards[0].kigo == "葛う10");
    CHECK(after.cards[0].valid_from == "2021-08-01");
    CHECK(after.cards[0].issued_on == "2020-08-01");
    CHECK(after.cards[0].bango == "1639960291x001");
    CHECK(after.cards[1].insurer_number == "139980");
    CHECK(after.cards[1].closed_on == "2021-07-31");  // 切替日 − 1: 過1
    require_extras_untouched(after);
    CHECK(build_diff(&after, result).classification == Classification::Unchanged);
}

TEST_CASE("SwitchCard: the 切替日 dialog's 保険有効開始日 and 限度額開始日 are stored on the new card") {
    Fixture f;
    auto rec = ichiro_record();
    rec.insurer_number = "  133033";
    rec.insured_card_valid_date = "20210801";
    oqs::LimitApplicationCertificateInfo limit;
    limit.classification = "01";
    limit.valid_start_date = "20210731";
    rec.limit_application = limit;
    const auto result = valid(rec);
    auto before = f.patient();
    auto d = build_diff(&before, result);
    REQUIRE(d.classification == Classification::SwitchCard);
    // The dialog opens with the answer's rows.
    const SwitchDates opened = switch_dates_of(d);
    CHECK(opened.switch_date == "2021-08-01");
    CHECK(opened.valid_from == "2021-08-01");
    CHECK(opened.limit_from == "2021-07-31");

    // Dates that cannot be written, each with its own message.
    auto refused = [&](const std::string& sw, const std::string& from, const std::string& limit_from) {
        Decision dec{Decision::Kind::SwitchCard, {}, sw};
        dec.valid_from = from;
        dec.limit_from = limit_from;
        try {
            make_plan(d, &before, result, dec, context());
        } catch (const Refused& e) {
            return text::ja(e.message);
        }
        return std::string("(written)");
    };
    CHECK(refused("2021-07-31", "", "") ==
          "切替日が保険有効開始日より前です。新しい保険証は保険有効開始日から使えます。");
    CHECK(refused("2021-08-01", "2021-02-30", "") == "保険有効開始日が正しい日付ではありません。");
    CHECK(refused("2021-08-01", "", "2021-13-01") == "限度額開始日が正しい日付ではありません。");
    CHECK(refused("2021-02-30", "", "") == "切替日が正しい日付ではありません。");
    CHECK(switch_dates_problem({"", "", ""}).has_value());
    CHECK_FALSE(switch_dates_problem({"2021-08-01", "", ""}).has_value());

    // As staff changed them in the dialog: 切替日 after the card's start, a later 限度額開始日.
    Decision dec{Decision::Kind::SwitchCard, {}, "2021-08-02"};
    dec.valid_from = "2021-07-20";
    dec.limit_from = "2021-08-05";
    auto plan = make_plan(d, &before, result, dec, context());
    CHECK(plan.switch_date == "2021-08-02");
    f.db.apply(plan, "S01");
    auto after = f.patient();
    REQUIRE(after.cards.size() == 2);
    CHECK(after.cards[0].insurer_number == "133033");
    CHECK(after.cards[0].valid_from == "2021-07-20");
    CHECK(after.cards[0].limit_from == "2021-08-05");
    CHECK(after.cards[1].closed_on == "2021-08-01");  // 切替日 − 1

    // Left as the dialog opened: the answer's own dates.
    Fixture g;
    auto before_g = g.patient();
    auto dg = build_diff(&before_g, result);
    g.db.apply(make_plan(dg, &before_g, result, {Decision::Kind::SwitchCard, {}, ""}, context()), "S01");
    CHECK(g.patient().cards[0].valid_from == "2021-08-01");
    CHECK(g.patient().cards[0].limit_from == "2021-07-31");
}

TEST_CASE("SwitchCard without a choice of rows writes the pre-ticked address and name with the new card") {
    Fixture f;
    auto rec = ichiro_record();
    rec.insurer_number = "  133033";
    rec.insured_card_valid_date = "20210801";
    rec.address = "東京都港区新橋2-91-999";
    rec.name = "資格　一朗";
    const auto result = valid(rec);
    auto before = f.patient();
    auto d = build_diff(&before, result);
    REQUIRE(d.classification == Classification::SwitchCard);
    const auto ticked = prechecked(d);
    REQUIRE(std::count(ticked.begin(), ticked.end(), Field::Address) == 1);
    REQUIRE(std::count(ticked.begin(), ticked.end(), Field::KanjiName) == 1);

    // The screen's 切替 passes no rows: what it showed ticked goes with the switch.
    auto plan = make_plan(d, &before, result, {Decision::Kind::SwitchCard, {}, ""}, context());
    bool address = false, name = false;
    for (const auto& fv : plan.fields) {
        address = address || fv.field == Field::Address;
        name = name || fv.field == Field::KanjiName;
    }
    CHECK(address);
    CHECK(name);
    f.db.apply(plan, "S01");
    auto after = f.patient();
    CHECK(after.patient.address == "東京都港区新橋2-91-999");
    CHECK(after.patient.kanji_name == "資格　一朗");
    CHECK(after.cards[0].insurer_number == "133033");
    CHECK(after.cards[0].valid_from == "2021-08-01");

    // Staff unticked every patient row in 上書き mode: the card alone.
    Decision none{Decision::Kind::SwitchCard, {}, ""};
    none.fields_as_ticked = true;
    auto card_only = make_plan(d, &before, result, none, context());
    for (const auto& fv : card_only.fields) CHECK_FALSE(ledger::is_patient_field(fv.field));
}

TEST_CASE("更新する outside 上書き mode writes nothing on the same card") {
    Fixture f;
    auto rec = ichiro_record();
    rec.address = "東京都港区新橋2-91-999";
    const auto result = valid(rec);
    auto before = f.patient();
    auto d = build_diff(&before, result);
    REQUIRE(d.classification == Classification::Overwrite);
    // What the screen would write without 上書き mode: the pre-ticked rows, and there are none.
    CHECK(prechecked(d).empty());
    CHECK_THROWS_AS(make_plan(d, &before, result, {Decision::Kind::Overwrite, prechecked(d), ""}, context()), Refused);
    CHECK(f.patient().patient.address == "東京都千代田区永田町1-99-99");
    // Ticked in 上書き mode: written.
    auto plan = make_plan(d, &before, result, {Decision::Kind::Overwrite, {Field::Address}, ""}, context());
    f.db.apply(plan, "S01");
    CHECK(f.patient().patient.address == "東京都港区新橋2-91-999");
}

TEST_CASE("Register: 新患 from the OQS record") {
    TempDir dir;
    auto db = open_ledger(dir);
    db.apply(ichiro_plan(), "S01");  // カルテ 13 exists; the new patient gets 14
    auto rec = ichiro_record();
    rec.name = "資格　五郎";
    rec.name_kana = "ｼｶｸ ｺﾞﾛｳ";
    rec.birthdate = "19900101";
    rec.insured_identification_number = "1639960291x005";
    rec.reference_number = "A1_1510110099";
    const auto result = valid(rec);
    auto d = build_diff(nullptr, result);
    REQUIRE(d.classification == Classification::NewPatient);
    CHECK_THROWS_AS(make_plan(d, nullptr, result, {Decision::Kind::RecordOnly, {}, ""}, context()),
                    std::invalid_argument);
    auto plan = make_plan(d, nullptr, result, {Decision::Kind::Register, {}, ""}, context());
    CHECK(plan.kind == PlanKind::RegisterPatient);
    CHECK(plan.karte.empty());
    auto r = db.apply(plan, "S01");
    CHECK(r.karte == "14");
    auto p = db.patient("14");
    REQUIRE(p);
    CHECK(p->patient.kana_name == "シカク ゴロウ");  // full-width in the ledger
    CHECK(p->patient.birth == "1990-01-01");
    CHECK(p->patient.postal == "1000014");
    REQUIRE(p->current_card());
    CHECK(p->current_card()->insurer_number == "139980");
    CHECK(p->reference_number() == "A1_1510110099");

    auto existing = db.patient("13");
    CHECK_THROWS_AS(
        make_plan(build_diff(&*existing, result), &*existing, result, {Decision::Kind::Register, {}, ""}, context()),
        std::invalid_argument);
}

TEST_CASE("無効 / 該当資格なし / エラー write only the check") {
    for (auto status : {oqs::Status::Invalid, oqs::Status::NotFound, oqs::Status::Error}) {
        Fixture f;
        auto rec = ichiro_record();
        rec.reference_number = "A1_1510110016";
        const auto result = result_of(
            status, status == oqs::Status::Invalid ? std::vector{rec} : std::vector<oqs::QualificationRecord>{});
        auto before = f.patient();
        auto d = build_diff(&before, result);
        for (auto kind : {Decision::Kind::Overwrite, Decision::Kind::SwitchCard, Decision::Kind::Register,
                          Decision::Kind::FetchMedicalInfo})
            CHECK_THROWS_AS(make_plan(d, &before, result, {kind, {Field::Address}, "2021-08-01"}, context()),
                            std::invalid_argument);
        auto plan = make_plan(d, &before, result, {Decision::Kind::RecordOnly, {}, ""}, context());
        CHECK(plan.kind == PlanKind::RecordCheckOnly);
        CHECK(plan.fields.empty());
        CHECK(plan.reference_number.empty());
        f.db.apply(plan, "S01");
        auto after = f.patient();
        REQUIRE(after.cards.size() == 1);
        CHECK(after.cards[0].id == before.cards[0].id);
        CHECK(after.cards[0].card_checked_on.empty());  // not a 有効 check: no 保険証確認日
        CHECK(after.reference_number().empty());
        REQUIRE(after.latest_check);
        CHECK(after.latest_check->validity == result.validity.value_or(""));
        CHECK_FALSE(after.latest_check->message.empty());
        if (status == oqs::Status::Error) {
            CHECK(after.latest_check->processing_status == "2");
            CHECK(after.latest_check->result_code == "EOQS0001");
        }
        require_extras_untouched(after);
    }
}

TEST_CASE("FetchMedicalInfo links the 照会番号 and changes nothing else") {
    Fixture f;
    auto rec = ichiro_record();
    rec.reference_number = "A1_1510110016";
    const auto result = valid(rec);
    auto before = f.patient();
    auto d = build_diff(&before, result);
    REQUIRE(d.offer_medical_info);
    auto plan = make_plan(d, &before, result, {Decision::Kind::FetchMedicalInfo, {}, ""}, context());
    CHECK(plan.kind == PlanKind::RecordCheckOnly);
    CHECK(plan.reference_number == "A1_1510110016");
    f.db.apply(plan, "S01");
    auto after = f.patient();
    CHECK(after.reference_number() == "A1_1510110016");
    CHECK(after.current_card()->card_checked_on == "2021-08-17");
    auto again = build_diff(&after, result);
    CHECK_FALSE(again.offer_medical_info);
    CHECK_THROWS_AS(make_plan(again, &after, result, {Decision::Kind::FetchMedicalInfo, {}, ""}, context()),
                    std::invalid_argument);
}
