#include <catch2/catch.hpp>

#include "core/rules/age.hpp"

using namespace onshi::rules;

TEST_CASE("age on a date", "[rules][age]") {
    CHECK(age_on({1980, 2, 17}, {2021, 2, 16}) == 40);
    CHECK(age_on({1980, 2, 17}, {2021, 2, 17}) == 41);
    CHECK(age_on({2000, 2, 29}, {2021, 2, 28}) == 20);
    CHECK(age_on({2000, 2, 29}, {2021, 3, 1}) == 21);
    CHECK(age_on({2000, 2, 29}, {2024, 2, 29}) == 24);
    CHECK(age_on({2021, 1, 1}, {2020, 1, 1}) == 0);
}

TEST_CASE("高齢受給者 from the 1st of the month after the 70th birthday", "[rules][age]") {
    CHECK(koureijukyu_from({1955, 1, 10}) == Date{2025, 2, 1});  // meidensha-kenpo: 1/10 → 2/1
    CHECK(koureijukyu_from({1955, 1, 1}) == Date{2025, 1, 1});   // born on the 1st: that month
    CHECK(koureijukyu_from({1955, 1, 2}) == Date{2025, 2, 1});
    CHECK(koureijukyu_from({1955, 12, 15}) == Date{2026, 1, 1});
    CHECK(koureijukyu_from({1956, 2, 29}) == Date{2026, 3, 1});
}

TEST_CASE("後期高齢者 from the 75th birthday itself", "[rules][age]") {
    CHECK(kouki_from({1950, 6, 15}) == Date{2025, 6, 15});
    CHECK(kouki_from({1952, 2, 29}) == Date{2027, 3, 1});
    CHECK(kouki_from({1948, 2, 29}) == Date{2023, 2, 28}.add_days(1));
}

TEST_CASE("未就学 until the 31 March after reaching 6", "[rules][age]") {
    CHECK(preschool_until({2018, 4, 2}) == Date{2025, 3, 31});
    CHECK(preschool_until({2018, 4, 1}) == Date{2024, 3, 31});  // reaches 6 on 3/31: school a year early
    CHECK(preschool_until({2019, 1, 15}) == Date{2025, 3, 31});
    CHECK(preschool_until({2018, 12, 31}) == Date{2025, 3, 31});
}

TEST_CASE("expected 負担割合 band for a date", "[rules][age]") {
    const Date child{2019, 6, 1};
    auto b = expected_burden(child, {2025, 3, 31});
    CHECK(b.band == AgeBand::Preschool);
    CHECK(b.usual_wari == 2);
    b = expected_burden(child, {2026, 4, 1});
    CHECK(b.band == AgeBand::Working);
    CHECK(b.allowed_wari == std::vector<int>{3});

    const Date senior{1955, 1, 10};
    CHECK(expected_burden(senior, {2025, 1, 31}).band == AgeBand::Working);  // 70 already, not yet in effect
    CHECK(expected_burden(senior, {2025, 1, 31}).age == 70);
    b = expected_burden(senior, {2025, 2, 1});
    CHECK(b.band == AgeBand::Koureijukyu);
    CHECK(b.usual_wari == 2);
    CHECK(b.allowed_wari == std::vector<int>{2, 3});
    CHECK(expected_burden(senior, {2030, 1, 9}).band == AgeBand::Koureijukyu);
    b = expected_burden(senior, {2030, 1, 10});
    CHECK(b.band == AgeBand::Kouki);
    CHECK(b.usual_wari == 1);
    CHECK(b.allowed_wari == std::vector<int>{1, 2, 3});
    CHECK(expected_burden({1940, 5, 5}, {2020, 1, 1}).allowed_wari == std::vector<int>{1, 3});  // before 2022-10
    CHECK(expected_burden({1944, 4, 1}, {2016, 1, 1}).usual_wari == 1);  // 特例 1割 at 70–74
    CHECK(std::string(age_band_label(AgeBand::Kouki)) == "後期高齢者");
}
