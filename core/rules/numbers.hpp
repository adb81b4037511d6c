#pragma once
// 保険者番号, 公費負担者番号, 公費受給者番号 (検証番号 = Luhn) and 個人番号 (weights 6 5 4 3 2 7 6 5 4 3 2).
// Numbers are strings: leading zeros matter. A wrong check digit is a warning naming the expected digit.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/rules/note.hpp"

namespace onshi::rules {

enum class NumberType { Insurer, KouhiPayer, KouhiRecipient, MyNumber };

struct NumberCheck {
    std::string input;       // as given
    std::string normalized;  // canonical digits (6 or 8 for 保険者番号); empty if not digits
    bool valid = false;      // well-formed: digits of a usable length (都道府県, 法別 only warn)
    bool check_digit_ok = false;
    std::optional<char> expected_check_digit;  // whenever the body is all digits of a usable length
    std::string kind;  // "国保", "協会けんぽ", "組合", "共済", "後期高齢者", "公費(54 難病)" …
    std::string houbetsu;        // 法別番号, empty for 6-digit 国保 and for 個人番号
    std::vector<Note> warnings;  // check digit, unknown 法別, prefecture …
    std::optional<Note> error;   // why not valid

    bool ok() const { return valid && check_digit_ok && warnings.empty(); }
};

// Luhn check digit of an all-digit body ('0'..'9'); nullopt when the body is empty or not digits.
std::optional<char> luhn_check_digit(std::string_view body);
// 個人番号 check digit of an 11-digit body; nullopt otherwise.
std::optional<char> mynumber_check_digit(std::string_view body11);

// Input may carry full-width digits and spaces (OQS pads 6-digit 国保 numbers to "  138156").
// 5 and 7 digits are read as integers that lost a leading zero and get it back.
NumberCheck check_insurer(std::string_view text);          // 保険者番号
NumberCheck check_kouhi_payer(std::string_view text);      // 公費負担者番号 (8)
NumberCheck check_kouhi_recipient(std::string_view text);  // 公費受給者番号 (7)
NumberCheck check_mynumber(std::string_view text);         // 個人番号 (12); never log the value
NumberCheck check_number(NumberType type, std::string_view text);

// Canonical comparison key of a 保険者番号 (digits only, 6 or 8), or empty when it is not a number.
std::string insurer_key(std::string_view text);
// The 8-character OQS request form: 8 digits as is, 6-digit 国保 right-aligned with spaces.
std::string insurer_for_oqs(std::string_view text);

// Label of a 法別番号 ("01" → "協会けんぽ", "54" → "難病"), empty when unknown.
std::string houbetsu_label(std::string_view houbetsu);

}  // namespace onshi::rules
