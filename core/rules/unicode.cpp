#include "core/rules/unicode.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>

#include <memory>
#include <stdexcept>

namespace onshi::rules::detail {

icu::UnicodeString from_utf8(std::string_view s) {
    return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string to_utf8(const icu::UnicodeString& u) {
    std::string out;
    u.toUTF8String(out);
    return out;
}

icu::UnicodeString nfkc(const icu::UnicodeString& u) {
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(ec);
    if (U_FAILURE(ec)) throw std::runtime_error("ICU NFKC data is missing");  // broken install, not bad input
    icu::UnicodeString pre(u);
    pre.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x309B)),
                       icu::UnicodeString(static_cast<UChar32>(0x3099)));
    pre.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x309C)),
                       icu::UnicodeString(static_cast<UChar32>(0x309A)));
    icu::UnicodeString out = n->normalize(pre, ec);
    if (U_FAILURE(ec)) throw std::runtime_error("ICU NFKC failed");
    return out;
}

namespace {
std::unique_ptr<icu::Transliterator> make_hira_kata() {
    UErrorCode ec = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Hiragana-Katakana", UTRANS_FORWARD, ec));
    if (U_FAILURE(ec) || !t) throw std::runtime_error("ICU Hiragana-Katakana transliterator is missing");
    return t;
}
}  // namespace

icu::UnicodeString hiragana_to_katakana(const icu::UnicodeString& u) {
    thread_local const std::unique_ptr<icu::Transliterator> t = make_hira_kata();
    icu::UnicodeString out(u);
    t->transliterate(out);
    return out;
}

bool is_variation_selector(UChar32 c) { return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF); }

bool is_dash(UChar32 c) {
    switch (c) {
        case 0x002D:
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2014:
        case 0x2015:
        case 0x2212:
        case 0x30FC:
        case 0xFF0D:
        case 0xFF70:
        case 0x2500: return true;
        default: return false;
    }
}

}  // namespace onshi::rules::detail
