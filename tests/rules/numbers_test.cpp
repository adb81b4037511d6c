#include <catch2/catch.hpp>

#include <random>

#include "core/rules/numbers.hpp"

using namespace onshi::rules;

TEST_CASE("check digit worked examples of the digest", "[rules][numbers]") {
    CHECK(luhn_check_digit("3312001") == '5');  // 33120015 千葉県警察共済
    CHECK(luhn_check_digit("13815") == '6');
    CHECK(luhn_check_digit("0613809") == '3');
    CHECK(luhn_check_digit("5401602") == '7');
    CHECK(luhn_check_digit("8813445") == '7');
    CHECK(luhn_check_digit("123456") == '6');
    CHECK_FALSE(luhn_check_digit(""));
    CHECK_FALSE(luhn_check_digit("12a"));
    CHECK(mynumber_check_digit("12345678901") == '8');
    CHECK(mynumber_check_digit("00000000001") == '9');
    CHECK_FALSE(mynumber_check_digit("1234567890"));
}

TEST_CASE("保険者番号: structure, kind and 検証番号", "[rules][numbers]") {
    const NumberCheck a = check_insurer("33120015");
    CHECK(a.valid);
    CHECK(a.check_digit_ok);
    CHECK(a.ok());
    CHECK(a.kind == "共済");
    CHECK(a.houbetsu == "33");

    const NumberCheck k = check_insurer("138156");
    CHECK(k.ok());
    CHECK(k.kind == "国保");
    CHECK(k.normalized == "138156");
    CHECK(k.houbetsu.empty());

    CHECK(check_insurer("06138093").kind == "組合");
    CHECK(check_insurer("01130012").kind == "協会けんぽ");
    CHECK(check_insurer("39131156").kind == "後期高齢者");
    CHECK(check_insurer("133033").kind == "国保組合");

    for (const char* ok : {"6110852", "63132286", "31130685", "39131131", "39131040", "39131156"}) {
        INFO(ok);
        CHECK(check_insurer(ok).check_digit_ok);
    }
    for (const char* bad : {"138157", "6138092", "6110854", "63132280", "31130683"}) {
        INFO(bad);
        const NumberCheck r = check_insurer(bad);
        CHECK(r.valid);  // a misprint is a warning, never a hard block
        CHECK_FALSE(r.check_digit_ok);
        REQUIRE_FALSE(r.warnings.empty());
    }
    const NumberCheck w = check_insurer("138157");
    CHECK(w.expected_check_digit == '6');
    CHECK_THAT(w.warnings[0].ja, Catch::Contains("6"));
    CHECK_THAT(w.warnings[0].en, Catch::Contains("expected 6"));
}

TEST_CASE("保険者番号 as OQS and integers write it", "[rules][numbers]") {
    const NumberCheck padded = check_insurer("  138156");
    CHECK(padded.ok());
    CHECK(padded.normalized == "138156");
    const NumberCheck lost = check_insurer("6138093");  // 06138093 stored as an int
    CHECK(lost.normalized == "06138093");
    CHECK(lost.check_digit_ok);
    CHECK(lost.valid);
    CHECK(check_insurer("１３８１５６").normalized == "138156");
    CHECK(insurer_key("  138156") == "138156");
    CHECK(insurer_key("13815") == "013815");
    CHECK(insurer_for_oqs("138156") == "  138156");
    CHECK(insurer_for_oqs("06138093") == "06138093");
    CHECK(insurer_key("1234").empty());
}

TEST_CASE("malformed numbers are not valid and say why", "[rules][numbers]") {
    for (const char* t : {"", "   ", "12-3456", "ABCDEFGH", "1234", "123456789", "１２３４５６７８９"}) {
        INFO(t);
        const NumberCheck r = check_insurer(t);
        CHECK_FALSE(r.valid);
        CHECK_FALSE(r.check_digit_ok);
        REQUIRE(r.error);
        CHECK_FALSE(r.error->ja.empty());
    }
    CHECK_FALSE(check_kouhi_payer("123").valid);
    CHECK_FALSE(check_kouhi_recipient("12345678").valid);
    CHECK_FALSE(check_mynumber("12345678901").valid);
}

TEST_CASE("unusual 法別 and prefecture are warnings", "[rules][numbers]") {
    const NumberCheck r = check_insurer("54016027");  // a 公費 number typed as 保険者番号
    CHECK(r.valid);
    CHECK(r.check_digit_ok);
    CHECK_FALSE(r.ok());
    CHECK(r.kind == "不明");
    const NumberCheck p = check_insurer("01990000");
    CHECK(p.valid);
    CHECK_FALSE(p.warnings.empty());
}

TEST_CASE("公費負担者番号 and 公費受給者番号", "[rules][numbers]") {
    const NumberCheck n = check_kouhi_payer("54016027");
    CHECK(n.ok());
    CHECK(n.kind == "公費(54 難病)");
    CHECK(n.houbetsu == "54");
    const NumberCheck good = check_kouhi_payer("88134457");
    CHECK(good.ok());
    CHECK(good.kind == "公費(88 地方単独)");
    const NumberCheck tokyo = check_kouhi_payer("88134458");  // the real 東京都 misprint
    CHECK(tokyo.valid);
    CHECK_FALSE(tokyo.check_digit_ok);
    CHECK(tokyo.expected_check_digit == '7');
    CHECK_THAT(tokyo.warnings.at(0).ja, Catch::Contains("7"));
    CHECK(check_kouhi_payer("80137151").check_digit_ok);
    CHECK(check_kouhi_payer("81137150").check_digit_ok);
    CHECK(check_insurer("41139155").check_digit_ok);

    CHECK(check_kouhi_recipient("1234566").ok());
    const NumberCheck r = check_kouhi_recipient("1234567");
    CHECK(r.valid);
    CHECK_FALSE(r.check_digit_ok);
    CHECK(r.expected_check_digit == '6');
    CHECK(check_kouhi_recipient("234566").normalized == "0234566");
}

TEST_CASE("個人番号 check digit", "[rules][numbers]") {
    CHECK(check_mynumber("123456789018").ok());
    CHECK(check_mynumber("000000000019").ok());
    const NumberCheck bad = check_mynumber("123456789012");
    CHECK(bad.valid);
    CHECK_FALSE(bad.check_digit_ok);
    CHECK(bad.expected_check_digit == '8');
    for (const auto& w : bad.warnings) CHECK(w.en.find("12345678901") == std::string::npos);  // never echoed
}

TEST_CASE("property: a computed check digit always validates, one changed digit never does", "[rules][numbers]") {
    std::mt19937 rng(20240601);
    std::uniform_int_distribution<int> digit(0, 9);
    auto body = [&](size_t n) {
        std::string s;
        for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + digit(rng)));
        return s;
    };
    for (int round = 0; round < 300; ++round) {
        // 6-digit 国保 / 8-digit 保険者, 8-digit 負担者, 7-digit 受給者: all the Luhn rule.
        for (auto [n, check] : {std::pair<size_t, NumberCheck (*)(std::string_view)>{6, check_insurer},
                                {8, check_insurer},
                                {8, check_kouhi_payer},
                                {7, check_kouhi_recipient}}) {
            const std::string b = body(n - 1);
            const std::string num = b + *luhn_check_digit(b);
            INFO(num);
            REQUIRE(check(num).check_digit_ok);
            for (size_t i = 0; i < n; ++i)
                for (char c = '0'; c <= '9'; ++c) {
                    if (c == num[i]) continue;
                    std::string m = num;
                    m[i] = c;
                    INFO(m);
                    REQUIRE_FALSE(check(m).check_digit_ok);
                }
        }
        // 個人番号: remainders 0 and 1 both give 0, so a body change between them is the one blind spot.
        const std::string b = body(11);
        const std::string num = b + *mynumber_check_digit(b);
        REQUIRE(check_mynumber(num).check_digit_ok);
        auto rem = [](const std::string& s) {
            static constexpr int w[11] = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
            int sum = 0;
            for (size_t i = 0; i < 11; ++i) sum += (s[i] - '0') * w[i];
            return sum % 11;
        };
        for (size_t i = 0; i < 12; ++i)
            for (char c = '0'; c <= '9'; ++c) {
                if (c == num[i]) continue;
                std::string m = num;
                m[i] = c;
                const bool blind = i < 11 && rem(num) <= 1 && rem(m) <= 1;
                INFO(m);
                REQUIRE(check_mynumber(m).check_digit_ok == blind);
            }
    }
}
