#include "reader/emulator/profile.hpp"

#include <stdexcept>

#include "core/util/files.hpp"
#include "core/util/json.hpp"

namespace onshi::emulator {

Profile load_profile(const std::filesystem::path& file) {
    auto text = files::read(file);
    if (!text) throw std::runtime_error("cannot read profile " + file.string());
    Json j = Json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw std::runtime_error(file.string() + ": not a JSON object");
    auto str = [&](const char* k) {
        if (!j.contains(k) || !j[k].is_string())
            throw std::runtime_error(file.string() + ": missing string \"" + k + "\"");
        return j[k].get<std::string>();
    };
    auto date = [&](const char* k) {
        auto d = rules::Date::from_iso(str(k));
        if (!d) throw std::runtime_error(file.string() + ": \"" + k + "\" must be YYYY-MM-DD");
        return *d;
    };
    Profile p;
    p.id = file.stem().string();
    p.name = str("name");
    p.kana = str("kana");
    p.address = str("address");
    p.birth = date("birth");
    p.sex = str("sex");
    p.expiry = date("expiry");
    p.security_code = str("security_code");
    p.kojin_bango = str("kojin_bango");
    if (j.contains("text_pin")) p.text_pin = str("text_pin");
    if (j.contains("tries_b")) p.tries_b = j["tries_b"].get<int>();
    if (j.contains("cert_serial")) p.cert_serial = j["cert_serial"].get<std::string>();
    if (j.contains("photo")) p.photo = file.parent_path() / str("photo");
    if (p.security_code.size() != 4 || p.kojin_bango.size() != 12 || (p.sex != "1" && p.sex != "2" && p.sex != "3"))
        throw std::runtime_error(file.string() + ": security_code 4 digits, kojin_bango 12 digits, sex 1/2/3");
    return p;
}

}  // namespace onshi::emulator
