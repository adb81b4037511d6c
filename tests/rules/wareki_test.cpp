#include <catch2/catch.hpp>

#include "core/rules/wareki.hpp"

using namespace onshi::rules;

namespace {
Date parse_ok(const std::string& text) {
    INFO(text);
    const DateParse p = parse_date_text(text);
    REQUIRE(p.date);
    CHECK(p.warnings.empty());
    return *p.date;
}
}  // namespace

TEST_CASE("every 和暦 input form of the issue reads as 2021-08-01", "[rules][wareki]") {
    const Date want{2021, 8, 1};
    for (const char* t :
         {"令和3年8月1日", "令和03年08月01日", "R03.08.01", "R3.8.1", "R3/8/1", "r3/8/1", "5030801", "㋿3年8月1日",
          "令和３年８月１日", "Ｒ０３．０８．０１", "令3年8月1日", " 令和 3年 8月 1日 ", "令和3年8月1", "2021-08-01",
          "2021/8/1", "20210801", "2021年8月1日", "２０２１－０８－０１"})
        CHECK(parse_ok(t) == want);
}

TEST_CASE("元年 and the square era glyphs", "[rules][wareki]") {
    CHECK(parse_ok("令和元年5月1日") == Date{2019, 5, 1});
    CHECK(parse_ok("令和1年5月1日") == Date{2019, 5, 1});
    CHECK(parse_ok("㍻元年1月8日") == Date{1989, 1, 8});
    CHECK(parse_ok("㍼55年2月17日") == Date{1980, 2, 17});
    CHECK(parse_ok("㍽15年12月24日") == Date{1926, 12, 24});
    CHECK(parse_ok("㍾45年7月29日") == Date{1912, 7, 29});
    CHECK(parse_ok("H01.01.08") == Date{1989, 1, 8});
    CHECK(parse_ok("S64.01.07") == Date{1989, 1, 7});
    CHECK(parse_ok("T1.7.30") == Date{1912, 7, 30});
    CHECK(parse_ok("3550217") == Date{1980, 2, 17});
    CHECK(parse_ok("1450729") == Date{1912, 7, 29});
}

TEST_CASE("a date past its era's end converts with a warning naming the right era", "[rules][wareki]") {
    const DateParse a = parse_date_text("平成31年5月1日");
    REQUIRE(a.date == Date{2019, 5, 1});
    REQUIRE(a.warnings.size() == 1);
    CHECK(a.warnings[0].ja == "平成31年5月1日は令和元年5月1日です。");
    CHECK_THAT(a.warnings[0].en, Catch::Contains("令和元年5月1日"));

    const DateParse b = parse_date_text("昭和64年1月8日");
    REQUIRE(b.date == Date{1989, 1, 8});
    REQUIRE(b.warnings.size() == 1);
    CHECK(b.warnings[0].ja == "昭和64年1月8日は平成元年1月8日です。");

    const DateParse c = parse_date_text("平成32年1月1日");
    REQUIRE(c.date == Date{2020, 1, 1});
    REQUIRE(c.warnings.size() == 1);
    CHECK_THAT(c.warnings[0].ja, Catch::Contains("令和2年1月1日"));

    const DateParse d = parse_date_text("H31.05.01");  // same rule for every input form
    CHECK(d.date == Date{2019, 5, 1});
    CHECK(d.warnings.size() == 1);

    const DateParse e = parse_date_text("令和元年4月30日");  // before the era began
    CHECK(e.date == Date{2019, 4, 30});
    REQUIRE(e.warnings.size() == 1);
    CHECK_THAT(e.warnings[0].ja, Catch::Contains("平成31年4月30日"));
}

TEST_CASE("days that do not exist, year 0 and garbage are rejected with a reason", "[rules][wareki]") {
    for (const char* t : {"令和3年2月29日",
                          "令和0年1月1日",
                          "R00.01.01",
                          "5000101",
                          "平成2年13月1日",
                          "令和3年4月31日",
                          "",
                          "   ",
                          "令和",
                          "令和3年",
                          "令和3年8月",
                          "R3.8/1",
                          "X3.8.1",
                          "令和三年八月一日",
                          "6030801",
                          "2021-02-29",
                          "999-01-01",
                          "2021-08-01-01",
                          "令和12345年1月1日",
                          "令和9999年1月1日",
                          "令和3年8月1日日",
                          "abc"}) {
        INFO(t);
        const DateParse p = parse_date_text(t);
        CHECK_FALSE(p.date);
        REQUIRE(p.error);
        CHECK_FALSE(p.error->ja.empty());
        CHECK_FALSE(p.error->en.empty());
    }
    CHECK(parse_date_text("令和4年2月29日").error);  // 2022 is not a leap year
    CHECK(parse_date_text("令和2年2月29日").date == Date{2020, 2, 29});
}

TEST_CASE("formatting as the seed writes it, and the 照合番号B birth part", "[rules][wareki]") {
    CHECK(format_wareki({2021, 8, 1}) == "令和3年8月1日");
    CHECK(format_wareki({2019, 5, 1}) == "令和元年5月1日");
    CHECK(format_wareki({1989, 1, 7}) == "昭和64年1月7日");
    CHECK(format_wareki({1989, 1, 8}) == "平成元年1月8日");
    CHECK(format_wareki({2019, 4, 30}) == "平成31年4月30日");
    CHECK(format_wareki({1868, 1, 24}).empty());
    CHECK(format_wareki({2021, 2, 29}).empty());
    CHECK(wareki_yymmdd({1980, 2, 17}) == "550217");  // mynumber-card.md §4.3 example
    CHECK(wareki_yymmdd({2020, 2, 24}) == "020224");
    CHECK(wareki_yymmdd({2019, 5, 1}) == "010501");
    CHECK(wareki_yymmdd({1800, 1, 1}).empty());
}

TEST_CASE("each era boundary, day by day", "[rules][wareki]") {
    for (const EraInfo& e : eras()) {
        for (int k = -40; k <= 40; ++k) {
            const Date d = e.first_day.add_days(k);
            INFO(e.name << " " << d.iso());
            const auto w = to_wareki(d);
            if (k < 0) {
                if (e.era == Era::Meiji) {
                    CHECK_FALSE(w);
                    continue;
                }
                REQUIRE(w);
                CHECK(w->era == static_cast<Era>(static_cast<int>(e.era) - 1));
            } else {
                REQUIRE(w);
                CHECK(w->era == e.era);
                CHECK(w->year == d.year - e.offset);
                if (d.year == e.first_day.year) CHECK(w->year == 1);
            }
            // The printed form reads back as the same day with no warning, in every style.
            CHECK(parse_ok(format_wareki(d)) == d);
            char buf[32];
            std::snprintf(buf, sizeof buf, "%c%02d.%02d.%02d", era_info(w->era).letter, w->year, w->month, w->day);
            CHECK(parse_ok(buf) == d);
            std::snprintf(buf, sizeof buf, "%d%02d%02d%02d", era_info(w->era).digit, w->year, w->month, w->day);
            CHECK(parse_ok(buf) == d);
            // The same day written in the neighbouring era converts with a warning.
            if (e.era != Era::Meiji) {
                const Era other = k < 0 ? e.era : static_cast<Era>(static_cast<int>(e.era) - 1);
                const int y = d.year - era_info(other).offset;
                std::snprintf(buf, sizeof buf, "%s%d年%d月%d日", k < 0 ? e.name : era_info(other).name,
                              k < 0 ? d.year - e.offset : y, d.month, d.day);
                const DateParse p = parse_date_text(buf);
                INFO(buf);
                if (k < 0 && d.year - e.offset == 0) {
                    CHECK(p.error);  // e.g. 令和0年: year 0 is rejected
                } else {
                    CHECK(p.date == d);
                    CHECK(p.warnings.size() == 1);
                }
            }
        }
    }
}

TEST_CASE("every day from 明治 to 2100 round-trips through the 和暦 text", "[rules][wareki]") {
    size_t n = 0;
    for (Date d{1868, 1, 25}; d <= Date{2100, 12, 31}; d = d.add_days(1), ++n) {
        const DateParse p = parse_date_text(format_wareki(d));
        if (!(p.date == d) || !p.warnings.empty()) FAIL(d.iso() << " -> " << format_wareki(d));
    }
    CHECK(n > 84000);
}
