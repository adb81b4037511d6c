#include <catch2/catch.hpp>

#include <set>

#include "core/rules/codes.hpp"

using namespace onshi::rules;

TEST_CASE("OQSCD001–OQSCD036 are all present", "[rules][codes]") {
    std::set<std::string> ids;
    for (const auto& t : code_tables()) {
        CHECK_FALSE(t.entries.empty());
        CHECK_FALSE(t.name.empty());
        ids.insert(std::string(t.id));
    }
    CHECK(ids.size() == 36);
    CHECK(*ids.begin() == "OQSCD001");
    CHECK(*ids.rbegin() == "OQSCD036");
    CHECK(code_table("6") == code_table("OQSCD006"));
    CHECK(code_table("006")->element == "QualificationValidity");
    CHECK(code_table("OQSCD037") == nullptr);
    CHECK(code_table("x") == nullptr);
}

TEST_CASE("labels the screens show", "[rules][codes]") {
    CHECK(code_label(oqscd::QualificationValidity, "1") == "有効");
    CHECK(code_label(oqscd::QualificationValidity, "3") == "無効（新しい資格あり）");
    CHECK(code_label(oqscd::InsuredCardClassification, "A1") == "医療扶助");
    CHECK(code_label(oqscd::LimitCertificateFlag, "B09") == "一般Ⅱ");
    CHECK(code_label(oqscd::PersonalFamily, "2") == "家族");
    CHECK(code_label(oqscd::SegmentOfResult, "9") == "異常終了");
    CHECK(code_label(oqscd::CharacterCode, "0") == "UTF-8");
    CHECK(code_label("OQSCD036", "SRJ") == "診療・アレルギー・検査");
    CHECK(code_label(oqscd::ReasonOfLoss, "1") == "死亡");  // leading zeros ignored for numeric codes
    CHECK(code_label(oqscd::Sex, " 2 ") == "女");
}

TEST_CASE("unknown codes get a clear answer", "[rules][codes]") {
    const CodeLookup a = lookup_code("OQSCD006", "7");
    CHECK(a.known_table);
    CHECK_FALSE(a.known_code);
    CHECK(a.label == "不明なコード（OQSCD006: 7）");
    const CodeLookup b = lookup_code("OQSCD099", "1");
    CHECK_FALSE(b.known_table);
    CHECK_FALSE(b.known_code);
    CHECK(b.label == "不明なコード（OQSCD099: 1）");
    CHECK_FALSE(code_label("OQSCD012", "B11"));
    CHECK_FALSE(code_label("OQSCD010", ""));
}
