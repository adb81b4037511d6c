#pragma once
// 照合番号B: 和暦 birth date YYMMDD + 西暦 expiry year YYYY + 4-digit security code, as printed on the card
// front and keyed by staff. A secret: never log it.
#include <optional>
#include <string>

#include "core/rules/date.hpp"

namespace onshi::reader {

// Checks and joins the three parts; nullopt with `why` set when one is malformed.
std::optional<std::string> collation_b(const std::string& birth_wareki_yymmdd, const std::string& expiry_year,
                                       const std::string& security_code, std::string* why = nullptr);

// From the Gregorian birth date (the emulator's profiles): the 和暦 part comes from core/rules/wareki.
std::optional<std::string> collation_b(const rules::Date& birth, int expiry_year, const std::string& security_code);

}  // namespace onshi::reader
