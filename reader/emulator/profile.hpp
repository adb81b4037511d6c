#pragma once
// A card profile (assets/cards/*.json): the person printed on the card and the card's own numbers.
#include <filesystem>
#include <string>

#include "core/rules/date.hpp"

namespace onshi::emulator {

struct Profile {
    std::string id;  // file stem, names the keys in the state folder
    std::string name, kana, address;
    rules::Date birth;
    std::string sex;            // "1" 男, "2" 女
    rules::Date expiry;         // 有効期限
    std::string security_code;  // 4 digits printed on the front
    std::string kojin_bango;    // 12 digits (照合番号A); synthetic
    std::string text_pin = "1234";
    int tries_b = 10;         // remaining tries of 照合番号B at power-on
    std::string cert_serial;  // hex serial of the 利用者証明用 certificate (the simulated OQS terminal maps it
                              // to a person); empty = random
    std::filesystem::path photo;  // JPEG 2000; empty = generated
};

// Throws std::runtime_error naming the field when the profile is malformed.
Profile load_profile(const std::filesystem::path& file);

}  // namespace onshi::emulator
