#include <catch2/catch.hpp>

#include "core/rules/date.hpp"

using onshi::rules::Date;

TEST_CASE("Date parses and prints ISO and OQS forms", "[rules][date]") {
    REQUIRE(Date::from_iso("2021-08-01") == Date{2021, 8, 1});
    REQUIRE(Date::from_oqs("19800217") == Date{1980, 2, 17});
    CHECK(Date{2021, 8, 1}.iso() == "2021-08-01");
    CHECK(Date{987, 1, 2}.oqs() == "09870102");
    CHECK_FALSE(Date::from_iso("2021-02-29"));
    CHECK(Date::from_iso("2020-02-29"));
    CHECK_FALSE(Date::from_iso("1900-02-29"));
    CHECK(Date::from_iso("2000-02-29"));
    CHECK_FALSE(Date::from_iso("2021-8-01"));
    CHECK_FALSE(Date::from_iso("2021/08/01"));
    CHECK_FALSE(Date::from_iso("2021-13-01"));
    CHECK_FALSE(Date::from_oqs("2021080"));
    CHECK_FALSE(Date::from_oqs("2021O801"));
    CHECK_FALSE(Date::from_oqs("00000101"));
}

TEST_CASE("Date orders and adds days across months and years", "[rules][date]") {
    CHECK(Date{2019, 4, 30} < Date{2019, 5, 1});
    CHECK(Date{1989, 1, 7} < Date{1989, 1, 8});
    CHECK(Date{2020, 12, 31}.add_days(1) == Date{2021, 1, 1});
    CHECK(Date{2020, 3, 1}.add_days(-1) == Date{2020, 2, 29});
    CHECK(Date{2021, 3, 1}.add_days(-1) == Date{2021, 2, 28});
    CHECK(Date{2024, 1, 1}.add_days(366) == Date{2025, 1, 1});
    const Date d{1970, 1, 1};
    CHECK(Date::from_sys_days(d.to_sys_days()) == d);
    CHECK(d.to_sys_days().time_since_epoch().count() == 0);
}
