// Fuzzes the 和暦/西暦 text parser: never crashes, and every accepted date prints and reads back.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/rules/wareki.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace onshi::rules;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const DateParse p = parse_date_text(text);
    if (p.date.has_value() == p.error.has_value()) std::abort();  // exactly one of date / error
    if (!p.date) return 0;
    if (!p.date->valid()) std::abort();
    const std::string w = format_wareki(*p.date);
    if (!w.empty()) {
        const DateParse back = parse_date_text(w);
        if (!(back.date == p.date) || !back.warnings.empty()) std::abort();
        if (wareki_yymmdd(*p.date).size() != 6 && to_wareki(*p.date)->year < 100) std::abort();
    }
    if (Date::from_iso(p.date->iso()) != p.date || Date::from_oqs(p.date->oqs()) != p.date) std::abort();
    return 0;
}
