#include "reader/mynumber/collation.hpp"

#include <algorithm>

#include "core/rules/wareki.hpp"

namespace onshi::reader {

static bool digits(const std::string& s, std::size_t n) {
    return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> collation_b(const std::string& birth, const std::string& expiry, const std::string& code,
                                       std::string* why) {
    auto fail = [&](const char* w) -> std::optional<std::string> {
        if (why) *why = w;
        return std::nullopt;
    };
    if (!digits(birth, 6)) return fail("the birth date must be 6 digits: 和暦 year, month, day (YYMMDD)");
    int yy = std::stoi(birth.substr(0, 2)), mm = std::stoi(birth.substr(2, 2)), dd = std::stoi(birth.substr(4, 2));
    if (yy < 1 || mm < 1 || mm > 12 || dd < 1 || dd > 31) return fail("the birth date YYMMDD is not a date");
    if (!digits(expiry, 4) || expiry < "2015" || expiry > "2099")
        return fail("the expiry must be the 4-digit 西暦 year printed on the card");
    if (!digits(code, 4)) return fail("the security code must be 4 digits");
    return birth + expiry + code;
}

std::optional<std::string> collation_b(const rules::Date& birth, int expiry_year, const std::string& code) {
    std::string yymmdd = rules::wareki_yymmdd(birth);
    if (yymmdd.empty()) return std::nullopt;
    return collation_b(yymmdd, std::to_string(expiry_year), code);
}

}  // namespace onshi::reader
