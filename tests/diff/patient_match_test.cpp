// match_patient: 照会番号 first, then birth + sex + name tiers; staff choose whenever it is not clear.
#include <catch2/catch.hpp>

#include "core/diff/patient_match.hpp"
#include "tests/diff/diff_test_util.hpp"

using namespace onshi;
using namespace onshi::diff;
using namespace onshi::diff::test;
using ledger::Field;
using Kind = MatchResult::Kind;

namespace {

void add_patient(ledger::LedgerStore& db, const std::string& karte, const std::string& kanji, const std::string& kana,
                 const std::string& sex = "1", const std::string& birth = "1960-06-02") {
    auto p = ichiro_plan();
    p.karte = karte;
    set_field(p, Field::KanjiName, kanji);
    set_field(p, Field::KanaName, kana);
    set_field(p, Field::Sex, sex);
    set_field(p, Field::Birth, birth);
    db.apply(p, "S01");
}

std::vector<std::string> kartes(const MatchResult& m) {
    std::vector<std::string> out;
    for (const auto& c : m.candidates) out.push_back(c.karte);
    return out;
}

}  // namespace

TEST_CASE("matching, table-driven") {
    struct Case {
        const char* name;
        std::function<void(ledger::LedgerStore&)> ledger;
        std::function<void(oqs::QualificationRecord&)> oqs;
        Kind want;
        std::string karte;
        std::vector<std::string> candidates;
    };
    const std::vector<Case> cases = {
        {"one patient, same birth, sex and kana (half-width from OQS)",
         [](auto& db) {
             add_patient(db, "13", "資格　一郎", "シカク イチロウ");
             add_patient(db, "14", "資格　五郎", "シカク ゴロウ", "1", "1990-01-01");
         },
         [](auto&) {},
         Kind::Linked,
         "13",
         {"13"}},
        {"by 照会番号 even when the names were typed differently",
         [](auto& db) {
             add_patient(db, "20", "資格　市郎", "シカク シロウ");
             add_patient(db, "13", "資格　一郎", "シカク イチロウ");
             ledger::OverwritePlan link;
             link.kind = ledger::PlanKind::RecordCheckOnly;
             link.karte = "20";
             link.reference_number = "A1_1510110016";
             db.apply(link, "S01");
         },
         [](auto& r) { r.reference_number = "A1_1510110016"; },
         Kind::Linked,
         "20",
         {"20"}},
        {"a 照会番号 nobody holds falls back to birth + sex + name",
         [](auto& db) { add_patient(db, "13", "資格　一郎", "シカク イチロウ"); },
         [](auto& r) { r.reference_number = "A1_0000000001"; },
         Kind::Linked,
         "13",
         {"13"}},
        {"two patients registered twice: staff choose",
         [](auto& db) {
             add_patient(db, "13", "資格　一郎", "シカク イチロウ");
             add_patient(db, "102", "資格　一郎", "ｼｶｸ ｲﾁﾛｳ");
         },
         [](auto&) {},
         Kind::Choose,
         "",
         {"102", "13"}},  // both Exact; the exact kana first
        {"the exact one ranks before the normalised one",
         [](auto& db) {
             add_patient(db, "7", "資格 一郎", "シカク イチロウ");
             add_patient(db, "13", "資格　一郎", "ｼｶｸ ｲﾁﾛｳ");
         },
         [](auto&) {},
         Kind::Choose,
         "",
         {"13", "7"}},
        {"only a probable match (異体字 and small kana): staff choose",
         [](auto& db) { add_patient(db, "31", "髙橋　祥子", "タカハシ シヨウコ", "2", "1970-10-08"); },
         [](auto& r) {
             r.name = "高橋　祥子";
             r.name_kana = "ﾀｶﾊｼ ｼｮｳｺ";
             r.sex1 = "2";
             r.birthdate = "19701008";
         },
         Kind::Choose,
         "",
         {"31"}},
        {"other sex: nobody",
         [](auto& db) { add_patient(db, "13", "資格　一郎", "シカク イチロウ", "2"); },
         [](auto&) {},
         Kind::None,
         "",
         {}},
        {"same birth and sex, another name: nobody",
         [](auto& db) { add_patient(db, "40", "扶助　四郎", "フジョ シロウ"); },
         [](auto&) {},
         Kind::None,
         "",
         {}},
        {"kana right, kanji different: a candidate, not linked",
         [](auto& db) { add_patient(db, "13", "四角　一朗", "シカク イチロウ"); },
         [](auto&) {},
         Kind::Choose,
         "",
         {"13"}},
        {"empty ledger", [](auto&) {}, [](auto&) {}, Kind::None, "", {}},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            TempDir dir;
            auto db = open_ledger(dir);
            c.ledger(db);
            auto rec = ichiro_record();
            c.oqs(rec);
            auto m = match_patient(db, valid(rec));
            CHECK(m.kind == c.want);
            CHECK(m.karte == c.karte);
            CHECK(kartes(m) == c.candidates);
        }
    }
}

TEST_CASE("a match by 照会番号 says so, answers without records match nobody") {
    TempDir dir;
    auto db = open_ledger(dir);
    auto p = ichiro_plan();
    p.reference_number = "A1_1510110016";
    db.apply(p, "S01");
    auto rec = ichiro_record();
    rec.reference_number = "A1_1510110016";
    auto m = match_patient(db, valid(rec));
    REQUIRE(m.candidates.size() == 1);
    CHECK(m.candidates[0].by_reference);
    CHECK(m.candidates[0].tier == rules::Tier::Exact);  // kanji exact, kana only width

    // After unlinking (ほかの患者様と紐づけてしまったとき) the number leads nowhere; birth + name still do.
    db.unlink_reference("13", "S01");
    auto again = match_patient(db, valid(rec));
    CHECK(again.kind == Kind::Linked);
    REQUIRE(again.candidates.size() == 1);
    CHECK_FALSE(again.candidates[0].by_reference);

    CHECK(match_patient(db, result_of(oqs::Status::NotFound, {})).kind == Kind::None);
    rec.birthdate = "19600231";  // not a day: nothing to search by
    rec.reference_number.reset();
    CHECK(match_patient(db, valid(rec)).kind == Kind::None);
    CHECK_THROWS_AS(match_patient(db, valid(rec), 3), std::invalid_argument);
}
