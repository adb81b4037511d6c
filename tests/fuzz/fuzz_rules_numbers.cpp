// Fuzzes the number checks: never crash; a valid number is canonical digits whose check digit agrees.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/rules/numbers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace onshi::rules;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (NumberType t :
         {NumberType::Insurer, NumberType::KouhiPayer, NumberType::KouhiRecipient, NumberType::MyNumber}) {
        const NumberCheck r = check_number(t, text);
        if (r.valid == r.error.has_value()) std::abort();
        if (!r.valid) continue;
        if (r.normalized.find_first_not_of("0123456789") != std::string::npos) std::abort();
        if (!r.expected_check_digit) std::abort();
        if (r.check_digit_ok != (r.normalized.back() == *r.expected_check_digit)) std::abort();
        if (!r.check_digit_ok && r.warnings.empty()) std::abort();  // a bad digit always warns
        if (t == NumberType::Insurer && insurer_key(text) != r.normalized) std::abort();
    }
    luhn_check_digit(text);
    mynumber_check_digit(text);
    return 0;
}
