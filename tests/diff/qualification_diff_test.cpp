// build_diff: the seed manual's cases, table-driven, against a real ledger.
#include <catch2/catch.hpp>

#include <functional>
#include <set>

#include "core/diff/qualification_diff.hpp"
#include "tests/diff/diff_test_util.hpp"

using namespace onshi;
using namespace onshi::diff;
using namespace onshi::diff::test;
using ledger::Field;
using rules::Tier;

namespace {

std::set<Field> fields_where(const DiffResult& d, bool DiffRow::*flag) {
    std::set<Field> out;
    for (const auto& r : d.rows)
        if (r.*flag) out.insert(r.field);
    return out;
}

const DiffRow& row(const DiffResult& d, Field f) {
    for (const auto& r : d.rows)
        if (r.field == f) return r;
    throw std::logic_error("no row");
}

struct Case {
    const char* name;
    std::function<void(ledger::OverwritePlan&)> ledger;  // how the clinic typed him
    std::function<void(oqs::QualificationRecord&)> oqs;  // what OQS answered
    Classification want;
    std::set<Field> differs, prechecked;
    std::string switch_date;
};

void nothing(ledger::OverwritePlan&) {}
void same(oqs::QualificationRecord&) {}

}  // namespace

TEST_CASE("diff rows and classification for the seed's cases") {
    const std::vector<Case> cases = {
        {"same card, half-width kana from OQS (Normalized, not green)",
         nothing,
         same,
         Classification::Unchanged,
         {},
         {},
         ""},
        {"枝番 only added",
         [](auto& p) { set_field(p, Field::Edaban, ""); },
         same,
         Classification::ExtendOnly,
         {Field::Edaban},
         {Field::Edaban},
         ""},
        {"validity extended",
         [](auto& p) { set_field(p, Field::ValidUntil, "2022-03-31"); },
         [](auto& r) { r.insured_card_expiration_date = "20240331"; },
         Classification::ExtendOnly,
         {Field::ValidUntil},
         {Field::ValidUntil},
         ""},
        {"validity extended and 枝番 added",
         [](auto& p) {
             set_field(p, Field::ValidUntil, "2022-03-31");
             set_field(p, Field::Edaban, "");
         },
         [](auto& r) { r.insured_card_expiration_date = "20240331"; },
         Classification::ExtendOnly,
         {Field::ValidUntil, Field::Edaban},
         {Field::ValidUntil, Field::Edaban},
         ""},
        {"validity shortened is an overwrite",
         [](auto& p) { set_field(p, Field::ValidUntil, "2024-03-31"); },
         [](auto& r) { r.insured_card_expiration_date = "20220331"; },
         Classification::Overwrite,
         {Field::ValidUntil},
         {},
         ""},
        {"資格 一郎 with 記号 萩う10, 番号 not typed yet",
         [](auto& p) {
             for (Field f : {Field::Bango, Field::Edaban, Field::Relationship, Field::InsuredName}) set_field(p, f, "");
         },
         same,
         Classification::Overwrite,
         {Field::Bango, Field::Edaban, Field::Relationship, Field::InsuredName},
         {},
         ""},
        {"insurer 139980 → 133033, 切替日 令和3年8月1日",
         nothing,
         [](auto& r) {
             r.insurer_number = "  133033";
             r.insured_card_symbol = "葛う10";
             r.qualification_date = "20210801";
             r.insured_card_valid_date = "20210801";
             r.insured_certificate_issuance_date = "20200801";
         },
         Classification::SwitchCard,
         {Field::InsurerNumber, Field::Kigo, Field::ValidFrom, Field::IssuedOn},
         {Field::InsurerNumber, Field::Kigo, Field::Bango, Field::Edaban, Field::Relationship, Field::InsuredName,
          Field::ValidFrom, Field::IssuedOn},
         "2021-08-01"},
        {"切替日 from 保険有効開始日 when OQS sends no 資格取得日",
         nothing,
         [](auto& r) {
             r.insurer_number = "06140248";
             r.qualification_date.reset();
             r.insured_card_valid_date = "20220401";
         },
         Classification::SwitchCard,
         {Field::InsurerNumber, Field::ValidFrom},
         {Field::InsurerNumber, Field::Kigo, Field::Bango, Field::Edaban, Field::Relationship, Field::InsuredName,
          Field::ValidFrom, Field::IssuedOn},
         "2022-04-01"},
        {"● in an OQS kanji name is Probable: green, not pre-checked",
         nothing,
         [](auto& r) { r.name = "資格　●郎"; },
         Classification::Overwrite,
         {Field::KanjiName},
         {},
         ""},
        // The same card: nothing pre-ticked, so 更新する outside 上書き mode writes nothing (the manual: tick the
        // rows to overwrite in 上書き mode, then 更新する).
        {"a new address on the same card is green, not pre-ticked",
         nothing,
         [](auto& r) { r.address = "東京都港区新橋2-91-999"; },
         Classification::Overwrite,
         {Field::Address},
         {},
         ""},
        // A new card: the new address goes with the switch, pre-ticked.
        {"a new card and a new address: the address is pre-ticked with the card rows",
         nothing,
         [](auto& r) {
             r.insurer_number = "  133033";
             r.address = "東京都港区新橋2-91-999";
         },
         Classification::SwitchCard,
         {Field::Address, Field::InsurerNumber},
         {Field::Address, Field::InsurerNumber, Field::Kigo, Field::Bango, Field::Edaban, Field::Relationship,
          Field::InsuredName, Field::ValidFrom, Field::IssuedOn},
         "2012-04-01"},
        {"切替日 is the 保険有効開始日 row, not the 資格取得日",
         nothing,
         [](auto& r) {
             r.insurer_number = "  133033";
             r.qualification_date = "20210715";
             r.insured_card_valid_date = "20210801";
         },
         Classification::SwitchCard,
         {Field::InsurerNumber, Field::ValidFrom},
         {Field::InsurerNumber, Field::Kigo, Field::Bango, Field::Edaban, Field::Relationship, Field::InsuredName,
          Field::ValidFrom, Field::IssuedOn},
         "2021-08-01"},
        {"OQS sends no 交付日: never a difference",
         nothing,
         [](auto& r) { r.insured_certificate_issuance_date.reset(); },
         Classification::Unchanged,
         {},
         {},
         ""},
        {"a different 枝番 is another card",
         nothing,
         [](auto& r) { r.insured_branch_number = "02"; },
         Classification::SwitchCard,
         {Field::Edaban},
         {Field::InsurerNumber, Field::Kigo, Field::Bango, Field::Edaban, Field::Relationship, Field::InsuredName,
          Field::ValidFrom, Field::IssuedOn},
         "2012-04-01"},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            TempDir dir;
            auto db = open_ledger(dir);
            auto plan = ichiro_plan();
            c.ledger(plan);
            db.apply(plan, "S01");
            auto rec = ichiro_record();
            c.oqs(rec);
            auto patient = db.patient("13");
            REQUIRE(patient);
            auto d = build_diff(&*patient, valid(rec));
            CHECK(classification_key(d.classification) == std::string(classification_key(c.want)));
            CHECK(fields_where(d, &DiffRow::differs) == c.differs);
            CHECK(fields_where(d, &DiffRow::overwrite) == c.prechecked);
            CHECK(d.switch_date == c.switch_date);
            CHECK(d.differing().size() == c.differs.size());
            CHECK(d.guidance.empty());
            // All 18 rows, in the seed's order.
            REQUIRE(d.rows.size() == size_t(ledger::kFieldCount));
            for (int i = 0; i < ledger::kFieldCount; ++i) CHECK(d.rows[size_t(i)].field == Field(i));
            CHECK(d.rows[0].label == "カナ氏名");
            CHECK(d.rows[17].label == "限度額終了日");
        }
    }
}

TEST_CASE("tiers and display forms of single rows") {
    TempDir dir;
    auto db = open_ledger(dir);
    db.apply(ichiro_plan(), "S01");
    auto patient = db.patient("13");
    auto rec = ichiro_record();
    rec.name = "資格　●郎";
    rec.insurer_number = "  133033";
    rec.qualification_date = "20210701";
    rec.insured_card_valid_date = "20210801";  // 切替日 comes from this row
    auto d = build_diff(&*patient, valid(rec));

    const auto& kana = row(d, Field::KanaName);
    CHECK(kana.tier == Tier::Normalized);
    CHECK_FALSE(kana.differs);
    CHECK(kana.online == "シカク イチロウ");  // shown (and stored) full-width
    CHECK(row(d, Field::KanjiName).tier == Tier::Probable);
    CHECK(row(d, Field::KanjiName).online == "資格　●郎");
    CHECK(row(d, Field::Sex).online == "男");
    CHECK(row(d, Field::Birth).current == "昭和35年6月2日");
    CHECK(row(d, Field::Birth).online_value == "1960-06-02");
    CHECK(row(d, Field::Postal).tier == Tier::Normalized);
    CHECK(row(d, Field::Postal).online_value == "1000014");
    CHECK(row(d, Field::InsurerNumber).online_value == "133033");  // OQS's padding removed
    CHECK(row(d, Field::InsurerNumber).tier == Tier::Different);
    CHECK(row(d, Field::Relationship).online == "本人");
    CHECK(row(d, Field::ValidUntil).online_carried == false);
    CHECK(d.switch_date == "2021-08-01");

    // The same insurer number, padded by OQS, is only Normalized.
    auto same = build_diff(&*patient, valid(ichiro_record()));
    CHECK(row(same, Field::InsurerNumber).tier == Tier::Normalized);
    CHECK_FALSE(row(same, Field::InsurerNumber).differs);
}

TEST_CASE("詳細情報 from 負担割合 and 限度額区分") {
    TempDir dir;
    auto db = open_ledger(dir);
    auto plan = ichiro_plan();
    set_field(plan, Field::Detail, "3割上限[一般]ウ");
    db.apply(plan, "S01");
    auto patient = db.patient("13");
    auto rec = ichiro_record();
    rec.insured_partial_contribution_ratio = "030";
    rec.limit_application = oqs::LimitApplicationCertificateInfo{};
    rec.limit_application->classification_flag = "A03";
    rec.limit_application->valid_start_date = "20210801";
    auto d = build_diff(&*patient, valid(rec));
    CHECK(row(d, Field::Detail).online == "3割 区分ウ");
    CHECK(row(d, Field::Detail).tier == Tier::Normalized);  // the ledger's text names the same things
    CHECK(row(d, Field::LimitFrom).online == "令和3年8月1日");
    CHECK(row(d, Field::LimitFrom).differs);

    rec.insured_partial_contribution_ratio = "010";
    auto d1 = build_diff(&*patient, valid(rec));
    CHECK(row(d1, Field::Detail).online == "1割 区分ウ");
    CHECK(row(d1, Field::Detail).tier == Tier::Different);
}

TEST_CASE("new patient, and answers that allow no change") {
    auto rec = ichiro_record();
    auto d = build_diff(nullptr, valid(rec));
    CHECK(d.classification == Classification::NewPatient);
    CHECK(fields_where(d, &DiffRow::overwrite).size() == 14);  // every row OQS carried
    CHECK(fields_where(d, &DiffRow::overwrite).count(Field::ValidUntil) == 0);

    struct S {
        oqs::Status status;
        Classification want;
        const char* guidance;
    };
    for (const S& s : {S{oqs::Status::Invalid, Classification::NoValidCard, "10割請求"},
                       S{oqs::Status::InvalidNewQualification, Classification::NoValidCard, "新しい保険証を確認"},
                       S{oqs::Status::NotFound, Classification::NoValidCard, "保険者に確認"},
                       S{oqs::Status::Multiple, Classification::Error, "複数"},
                       S{oqs::Status::Error, Classification::Error, "単件照会"},
                       S{oqs::Status::Querying, Classification::Error, "照会中"}}) {
        TempDir dir;
        auto db = open_ledger(dir);
        db.apply(ichiro_plan(), "S01");
        auto patient = db.patient("13");
        auto r = result_of(
            s.status, s.status == oqs::Status::Invalid ? std::vector{rec} : std::vector<oqs::QualificationRecord>{});
        auto x = build_diff(&*patient, r);
        CHECK(x.classification == s.want);
        CHECK_THAT(text::ja(x.guidance), Catch::Contains(s.guidance));
        CHECK(fields_where(x, &DiffRow::overwrite).empty());
        CHECK(x.rows.size() == size_t(ledger::kFieldCount));
        CHECK_FALSE(x.offer_medical_info);
    }
    // 有効 with no record at all is an error, not a silent "unchanged".
    auto empty = build_diff(nullptr, result_of(oqs::Status::Valid, {}));
    CHECK(empty.classification == Classification::Error);
    CHECK_FALSE(empty.guidance.empty());
}

TEST_CASE("特健・薬剤等を取得する is offered only when unchanged and no 照会番号 is registered") {
    TempDir dir;
    auto db = open_ledger(dir);
    db.apply(ichiro_plan(), "S01");
    auto rec = ichiro_record();
    rec.reference_number = "A1_1510110016";
    auto patient = db.patient("13");
    auto d = build_diff(&*patient, valid(rec));
    CHECK(d.classification == Classification::Unchanged);
    CHECK(d.offer_medical_info);
    CHECK(d.reference_number == "A1_1510110016");

    rec.reference_number = std::nullopt;  // OQS knows none yet: offered, to register one (照会番号登録)
    CHECK(build_diff(&*patient, valid(rec)).offer_medical_info);
    rec.reference_number = "A1_1510110016";

    rec.address = "東京都港区新橋2-91-999";
    CHECK_FALSE(build_diff(&*patient, valid(rec)).offer_medical_info);  // changed: 更新 instead

    ledger::OverwritePlan link;
    link.kind = ledger::PlanKind::RecordCheckOnly;
    link.karte = "13";
    link.reference_number = "A1_1510110016";
    db.apply(link, "S01");
    patient = db.patient("13");
    rec = ichiro_record();
    rec.reference_number = "A1_1510110016";
    CHECK_FALSE(build_diff(&*patient, valid(rec)).offer_medical_info);  // 照会番号 already registered
}

TEST_CASE("record index out of range is a clear error") {
    auto r = valid(ichiro_record());
    CHECK_THROWS_AS(build_diff(nullptr, r, 1), std::invalid_argument);
    CHECK_NOTHROW(build_diff(nullptr, r, 0));
}
