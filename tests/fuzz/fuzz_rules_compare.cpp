// Fuzzes name and card-number comparison: input is "A\nB". Never crash; reflexive and symmetric tiers.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/rules/compare.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace onshi::rules;
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const size_t nl = in.find('\n');
    const std::string_view a = in.substr(0, nl);
    const std::string_view b = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);

    if (compare_names(a, a).tier != Tier::Exact) std::abort();
    if (compare_names(a, b).tier != compare_names(b, a).tier) std::abort();
    if (compare_kana_names(a, b).tier != compare_kana_names(b, a).tier) std::abort();
    if (compare_kanji_names(a, b).tier != compare_kanji_names(b, a).tier) std::abort();
    const CardNumber ca = CardNumber::parse(a), cb = CardNumber::parse(b);
    if (compare_card_numbers(ca, ca).tier != Tier::Exact) std::abort();
    if (compare_card_numbers(ca, cb).tier != compare_card_numbers(cb, ca).tier) std::abort();
    // Keys are stable (the key of a key is the key), and equal keys never compare as Different.
    const std::string ka = kana_key(a), ja = kanji_key(a);
    if (kana_key(ka) != ka || kanji_key(ja) != ja || card_part_key(card_part_key(a)) != card_part_key(a)) std::abort();
    if (!kana_key(a).empty() && kana_key(a) == kana_key(b) && compare_kana_names(a, b).tier == Tier::Different)
        std::abort();
    if (!kanji_key(a).empty() && kanji_key(a) == kanji_key(b) && compare_kanji_names(a, b).tier == Tier::Different)
        std::abort();
    card_part_key(a);
    is_kana_name(a);
    return 0;
}
