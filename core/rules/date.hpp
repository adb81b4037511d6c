#pragma once
// A Gregorian calendar date. OQS sends YYYYMMDD, the ledger stores YYYY-MM-DD.
#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace onshi::rules {

bool is_leap_year(int year);
int days_in_month(int year, int month);  // 0 for a month outside 1..12

struct Date {
    int year = 0;
    int month = 0;
    int day = 0;

    // A real day of the proleptic Gregorian calendar, years 1..9999.
    bool valid() const;

    auto operator<=>(const Date&) const = default;
    bool operator==(const Date&) const = default;

    // Parse only exact, existing dates; nullopt otherwise (never throws).
    static std::optional<Date> from_iso(std::string_view text);  // "YYYY-MM-DD"
    static std::optional<Date> from_oqs(std::string_view text);  // "YYYYMMDD"
    std::string iso() const;                                     // "YYYY-MM-DD"
    std::string oqs() const;                                     // "YYYYMMDD"

    // Requires valid(); the result is clamped to nothing, so stay within years 1..9999.
    Date add_days(int days) const;
    std::chrono::sys_days to_sys_days() const;
    static Date from_sys_days(std::chrono::sys_days d);
};

}  // namespace onshi::rules
