#pragma once
// 和暦 ⇄ 西暦 for 明治 to 令和. The era is chosen by the full date, never by the year alone.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/rules/date.hpp"
#include "core/rules/note.hpp"

namespace onshi::rules {

enum class Era { Meiji, Taisho, Showa, Heisei, Reiwa };

struct EraInfo {
    Era era;
    const char* name;  // "令和"
    char letter;       // 'R' (JIS X 0301)
    int digit;         // 5: the era code of GYYMMDD (1 明治 … 5 令和)
    Date first_day;    // 2019-05-01
    int offset;        // 西暦 = offset + 和暦年
};

std::span<const EraInfo> eras();  // oldest first
const EraInfo& era_info(Era era);

struct Wareki {
    Era era;
    int year;  // 1 = 元年
    int month;
    int day;
};

// nullopt for an invalid date or one before 明治元年1月1日 (1868-01-25).
std::optional<Wareki> to_wareki(const Date& date);

// "令和3年8月1日", "令和元年5月1日"; empty when to_wareki() has no answer.
std::string format_wareki(const Date& date);

// Era year, month and day as six digits "YYMMDD" (昭和55年2月17日 → "550217"): the first part of
// 照合番号B of the マイナンバーカード 券面事項確認AP and the 生年月日 key. Empty when to_wareki() has no answer.
std::string wareki_yymmdd(const Date& date);

struct DateParse {
    std::optional<Date> date;    // set when the text names a real day
    std::vector<Note> warnings;  // e.g. past the era's end: "平成31年5月1日は令和元年5月1日です"
    std::optional<Note> error;   // set when date is not
    bool ok() const { return date.has_value(); }
};

// Accepts 令和3年8月1日, 令和元年5月1日, 令和03年08月01日, R03.08.01, R3/8/1, 5030801 (GYYMMDD), square era
// glyphs (㋿ ㍻ ㍼ ㍽ ㍾), full-width digits, and 西暦 forms (2021-08-01, 2021/8/1, 20210801, 2021年8月1日).
// A date past its era's end converts with a warning; a day that does not exist, or year 0, is an error.
DateParse parse_date_text(std::string_view text);

}  // namespace onshi::rules
