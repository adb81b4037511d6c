#pragma once
// Comparison of clinic records with OQS results: 記号・番号・枝番 and names, in tiers with a reason.
// Raw values are stored as entered; comparison runs on keys computed here (ICU NFKC, width, kana).
#include <string>
#include <string_view>

#include "core/rules/note.hpp"

namespace onshi::rules {

enum class Tier {
    Exact,       // identical as given
    Normalized,  // equal after NFKC, width, spaces, separators, leading zeros
    Probable,    // likely the same: small/large kana, 異体字, ● wildcard, parts split differently
    Different,
};
const char* tier_name(Tier t);  // "exact", "normalized", "probable", "different"

struct Comparison {
    Tier tier = Tier::Different;
    Note reason;
};

// ---- normalizers (valid UTF-8 in, valid UTF-8 out; invalid bytes become U+FFFD) ----
std::string nfkc(std::string_view text);
// NFKC + hiragana→katakana, whitespace and ・ removed, dashes unified to ー. Lossless for kana.
std::string kana_normal(std::string_view text);
// kana_normal + small→large (ショウ→シヨウ) + ヴ→ブ ヂ→ジ ヅ→ズ ヰ→イ ヱ→エ ヲ→オ. The ledger stores it for kana
// search.
std::string kana_key(std::string_view text);
// NFKC, whitespace removed, variation selectors dropped, 異体字 folded (髙→高 﨑→崎 邊→辺 …).
std::string kanji_key(std::string_view text);
// 記号/番号 key: NFKC, dashes unified, spaces, ・, -, () removed, ASCII upper-cased.
std::string card_part_key(std::string_view text);
// True when the text is kana (either width, either script), spaces and ー only, and not empty.
bool is_kana_name(std::string_view text);

// ---- comparisons ----
struct CardNumber {
    std::string kigou;   // 記号, may be empty
    std::string bangou;  // 番号
    std::string edaban;  // 枝番, empty when the card has none
    // "記号:番号:枝番" or JP-CLINS "保険者番号:記号:番号:枝番" (parts may be empty, ':' or '：'), kept as
    // written; a text with no colon is one 記号番号 value (held in bangou).
    static CardNumber parse(std::string_view text);
};
Comparison compare_card_numbers(const CardNumber& a, const CardNumber& b);
Comparison compare_kana_names(std::string_view a, std::string_view b);
// ● (from OQS) matches any one character on the other side.
Comparison compare_kanji_names(std::string_view a, std::string_view b);
// Kana comparison when both sides are kana, else kanji.
Comparison compare_names(std::string_view a, std::string_view b);

}  // namespace onshi::rules
