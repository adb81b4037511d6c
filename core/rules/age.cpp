#include "core/rules/age.hpp"

namespace onshi::rules {

namespace {

// The day one reaches age n: the day before the n-th birthday. A 29 February birthday has no
// corresponding day in a common year, so the age is reached on 28 February (民法143条).
Date reach_day(const Date& birth, int n) {
    const int y = birth.year + n;
    if (birth.month == 2 && birth.day == 29 && !is_leap_year(y)) return {y, 2, 28};
    return Date{y, birth.month, birth.day}.add_days(-1);
}

Date first_of_next_month(const Date& d) {
    return d.month == 12 ? Date{d.year + 1, 1, 1} : Date{d.year, d.month + 1, 1};
}

}  // namespace

int age_on(const Date& birth, const Date& on) {
    if (on < birth) return 0;
    int age = on.year - birth.year;
    if (age > 0 && on < reach_day(birth, age).add_days(1)) --age;
    return age;
}

Date koureijukyu_from(const Date& birth) { return first_of_next_month(reach_day(birth, 70)); }

Date kouki_from(const Date& birth) { return reach_day(birth, 75).add_days(1); }

Date preschool_until(const Date& birth) {
    // School starts on the 1 April after reaching 6 (so a child born on 1 April starts a year early).
    const Date r = reach_day(birth, 6);
    return {r.month <= 3 ? r.year : r.year + 1, 3, 31};
}

const char* age_band_label(AgeBand b) {
    switch (b) {
        case AgeBand::Preschool: return "未就学";
        case AgeBand::Working: return "一般";
        case AgeBand::Koureijukyu: return "高齢受給者";
        case AgeBand::Kouki: return "後期高齢者";
    }
    return "一般";
}

BurdenExpectation expected_burden(const Date& birth, const Date& on) {
    BurdenExpectation r;
    r.age = age_on(birth, on);
    if (on >= kouki_from(birth)) {
        r.band = AgeBand::Kouki;
        r.usual_wari = 1;
        // 一定以上所得 2割 exists from 2022-10-01.
        r.allowed_wari = on >= Date{2022, 10, 1} ? std::vector<int>{1, 2, 3} : std::vector<int>{1, 3};
    } else if (on >= koureijukyu_from(birth)) {
        r.band = AgeBand::Koureijukyu;
        // Born on or before 1944-04-01: the 1割 特例 at 70–74 (all of them are 75+ since 2019-04).
        const bool tokurei = birth <= Date{1944, 4, 1};
        r.usual_wari = tokurei ? 1 : 2;
        r.allowed_wari = tokurei ? std::vector<int>{1, 3} : std::vector<int>{2, 3};
    } else if (on <= preschool_until(birth)) {
        r.band = AgeBand::Preschool;
        r.usual_wari = 2;
        r.allowed_wari = {2};
    } else {
        r.band = AgeBand::Working;
        r.usual_wari = 3;
        r.allowed_wari = {3};
    }
    return r;
}

}  // namespace onshi::rules
