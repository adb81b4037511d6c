#include "core/rules/date.hpp"

#include <cstdio>

namespace onshi::rules {

namespace {
// Reads exactly n ASCII digits at s[pos]; -1 when any is not a digit.
int digits(std::string_view s, size_t pos, size_t n) {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}
std::optional<Date> checked(Date d) {
    if (d.valid()) return d;
    return std::nullopt;
}
}  // namespace

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

bool Date::valid() const {
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

std::optional<Date> Date::from_iso(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    return checked({digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2)});
}

std::optional<Date> Date::from_oqs(std::string_view s) {
    if (s.size() != 8) return std::nullopt;
    return checked({digits(s, 0, 4), digits(s, 4, 2), digits(s, 6, 2)});
}

std::string Date::iso() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::string Date::oqs() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
    return buf;
}

std::chrono::sys_days Date::to_sys_days() const {
    return std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                                 std::chrono::day{static_cast<unsigned>(day)}};
}

Date Date::from_sys_days(std::chrono::sys_days d) {
    const std::chrono::year_month_day ymd{d};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

Date Date::add_days(int n) const { return from_sys_days(to_sys_days() + std::chrono::days{n}); }

}  // namespace onshi::rules
