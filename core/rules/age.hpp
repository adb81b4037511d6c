#pragma once
// Age-based rules: 高齢受給者 (70–74), 後期高齢者 (75+), 未就学 and the expected 負担割合.
// One reaches an age on the day before the birthday (年齢計算ニ関スル法律), which decides the edge cases.
#include <vector>

#include "core/rules/date.hpp"

namespace onshi::rules {

// Completed years on `on` (0 before the first birthday, negative never: returns 0 when on < birth).
int age_on(const Date& birth, const Date& on);

Date koureijukyu_from(const Date& birth);  // 1st of the month after the 70th birthday; that month when born on the 1st
Date kouki_from(const Date& birth);        // the 75th birthday (29 Feb → 1 Mar in common years)
Date preschool_until(const Date& birth);   // 31 March at the end of the school year in which the child reaches 6

enum class AgeBand { Preschool, Working, Koureijukyu, Kouki };
const char* age_band_label(AgeBand b);  // 未就学 / 一般 / 高齢受給者 / 後期高齢者

struct BurdenExpectation {
    AgeBand band = AgeBand::Working;
    int age = 0;
    int usual_wari = 3;             // the share without income information
    std::vector<int> allowed_wari;  // every share this band can have on that date, ascending
};

// Requires birth.valid() and on.valid(); for on < birth the band is Preschool.
BurdenExpectation expected_burden(const Date& birth, const Date& on);

}  // namespace onshi::rules
