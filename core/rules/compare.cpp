#include "core/rules/compare.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <span>
#include <utility>
#include <vector>

#include "core/rules/unicode.hpp"

namespace onshi::rules {

namespace {

using detail::from_utf8;
using detail::to_utf8;

constexpr UChar32 kBlackCircle = 0x25CF;  // ● : a character OQS's 中間サーバー could not hold
constexpr UChar32 kProlonged = 0x30FC;    // ー

// Small → large kana; OQS data often has large kana where the card has small (ショウ / シヨウ).
constexpr std::pair<UChar32, UChar32> kSmallLarge[] = {
    {0x30A1, 0x30A2}, {0x30A3, 0x30A4}, {0x30A5, 0x30A6}, {0x30A7, 0x30A8}, {0x30A9, 0x30AA},  // ァィゥェォ
    {0x30C3, 0x30C4}, {0x30E3, 0x30E4}, {0x30E5, 0x30E6}, {0x30E7, 0x30E8}, {0x30EE, 0x30EF},  // ッャュョヮ
    {0x30F5, 0x30AB}, {0x30F6, 0x30B1},                                                        // ヵヶ
    {0x31F0, 0x30AF}, {0x31F1, 0x30B7}, {0x31F2, 0x30B9}, {0x31F3, 0x30C8}, {0x31F4, 0x30CC},  // ㇰㇱㇲㇳㇴ
    {0x31F5, 0x30CF}, {0x31F6, 0x30D2}, {0x31F7, 0x30D5}, {0x31F8, 0x30D8}, {0x31F9, 0x30DB},  // ㇵㇶㇷㇸㇹ
    {0x31FA, 0x30E0}, {0x31FB, 0x30E9}, {0x31FC, 0x30EA}, {0x31FD, 0x30EB}, {0x31FE, 0x30EC},  // ㇺㇻㇼㇽㇾ
    {0x31FF, 0x30ED},                                                                          // ㇿ
};
// Sounds spelled two ways in names: ヴ/ブ, ヂ/ジ, ヅ/ズ, ヰ/イ, ヱ/エ, ヲ/オ, ヷヸヹヺ.
constexpr std::pair<UChar32, UChar32> kSoundAlike[] = {
    {0x30F4, 0x30D6}, {0x30C2, 0x30B8}, {0x30C5, 0x30BA}, {0x30F0, 0x30A4}, {0x30F1, 0x30A8},
    {0x30F2, 0x30AA}, {0x30F7, 0x30D0}, {0x30F8, 0x30D3}, {0x30F9, 0x30D9}, {0x30FA, 0x30DC},
};
// 異体字 → the JIS level 1/2 form insurers substitute (NFKC does not unify these).
constexpr std::pair<UChar32, UChar32> kVariants[] = {
    {0x9AD9, 0x9AD8},   // 髙 → 高
    {0xFA11, 0x5D0E},   // 﨑 → 崎
    {0x5D5C, 0x5D0E},   // 嵜 → 崎
    {0x7895, 0x5D0E},   // 碕 → 崎
    {0x908A, 0x8FBA},   // 邊 → 辺
    {0x9089, 0x8FBA},   // 邉 → 辺
    {0x9F4A, 0x6589},   // 齊 → 斉
    {0x9F4B, 0x6589},   // 齋 → 斉
    {0x658E, 0x6589},   // 斎 → 斉
    {0x570B, 0x56FD},   // 國 → 国
    {0x5FB7, 0x5FB3},   // 德 → 徳
    {0x5F4C, 0x5F25},   // 彌 → 弥
    {0x5DD6, 0x5DCC},   // 巖 → 巌
    {0x79AE, 0x793C},   // 禮 → 礼
    {0x60E0, 0x6075},   // 惠 → 恵
    {0x6FF1, 0x6D5C},   // 濱 → 浜
    {0x6FF5, 0x6D5C},   // 濵 → 浜
    {0x6FA4, 0x6CA2},   // 澤 → 沢
    {0x6AFB, 0x6851},   // 櫻 → 桜
    {0x5EE3, 0x5E83},   // 廣 → 広
    {0x51A8, 0x5BCC},   // 冨 → 富
    {0x5D8B, 0x5CF6},   // 嶋 → 島
    {0x5D8C, 0x5CF6},   // 嶌 → 島
    {0x69C7, 0x69D9},   // 槇 → 槙
    {0x69AE, 0x6804},   // 榮 → 栄
    {0x9F8D, 0x7ADC},   // 龍 → 竜
    {0x7028, 0x702C},   // 瀨 → 瀬
    {0x771E, 0x771F},   // 眞 → 真
    {0x95DC, 0x95A2},   // 關 → 関
    {0x85CF, 0x8535},   // 藏 → 蔵
    {0x58FD, 0x5BFF},   // 壽 → 寿
    {0x5BE6, 0x5B9F},   // 實 → 実
    {0x689D, 0x6761},   // 條 → 条
    {0x8C50, 0x8C4A},   // 豐 → 豊
    {0x908D, 0x6751},   // 邨 → 村
    {0x20BB7, 0x5409},  // 𠮷 → 吉
    {0x9F9C, 0x4E80},   // 龜 → 亀
    {0x7E6A, 0x7D75},   // 繪 → 絵
};

UChar32 map_cp(std::span<const std::pair<UChar32, UChar32>> table, UChar32 c) {
    for (const auto& [from, to] : table)
        if (from == c) return to;
    return c;
}

bool is_separator(UChar32 c) { return u_isUWhiteSpace(c) || c == 0x30FB || c == 0x00B7; }  // space, ・, ·

// NFKC, then each code point through `f` (which may drop it by returning -1).
template <typename F>
icu::UnicodeString map_each(const icu::UnicodeString& u, F f) {
    icu::UnicodeString out;
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
        const UChar32 c = f(u.char32At(i));
        if (c >= 0) out.append(c);
    }
    return out;
}

// A combining mark that a removed space kept apart ("カ ゙") now follows its base: compose it, so
// that the key of a key is the key itself.
icu::UnicodeString recompose(const icu::UnicodeString& u) {
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1))
        if (u_getCombiningClass(u.char32At(i)) != 0) return detail::nfkc(u);
    return u;
}

icu::UnicodeString kana_normal_u(std::string_view text) {
    const icu::UnicodeString k = detail::hiragana_to_katakana(detail::nfkc(from_utf8(text)));
    icu::UnicodeString out = map_each(k, [](UChar32 c) -> UChar32 {
        if (is_separator(c) || detail::is_variation_selector(c)) return -1;
        if (detail::is_dash(c)) return kProlonged;
        return c;
    });
    return recompose(out);
}

icu::UnicodeString kanji_plain_u(std::string_view text) {
    return recompose(map_each(detail::nfkc(from_utf8(text)), [](UChar32 c) -> UChar32 {
        return u_isUWhiteSpace(c) || detail::is_variation_selector(c) ? -1 : c;
    }));
}

icu::UnicodeString fold_variants(const icu::UnicodeString& u) {
    return map_each(u, [](UChar32 c) { return map_cp(kVariants, c); });
}

std::vector<UChar32> code_points(const icu::UnicodeString& u) {
    std::vector<UChar32> out;
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) out.push_back(u.char32At(i));
    return out;
}

// Equal length, and every position equal or ● on either side.
bool wildcard_equal(const icu::UnicodeString& a, const icu::UnicodeString& b) {
    const auto x = code_points(a), y = code_points(b);
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
        if (x[i] != y[i] && x[i] != kBlackCircle && y[i] != kBlackCircle) return false;
    return true;
}

Comparison result(Tier t, std::string ja, std::string en) { return {t, Note{std::move(ja), std::move(en)}}; }

std::string strip_zeros(const std::string& s) {
    const size_t p = s.find_first_not_of('0');
    if (p == std::string::npos) return s.empty() ? s : "0";
    return s.substr(p);
}

}  // namespace

const char* tier_name(Tier t) {
    switch (t) {
        case Tier::Exact: return "exact";
        case Tier::Normalized: return "normalized";
        case Tier::Probable: return "probable";
        case Tier::Different: return "different";
    }
    return "different";
}

std::string nfkc(std::string_view text) { return to_utf8(detail::nfkc(from_utf8(text))); }

std::string kana_normal(std::string_view text) { return to_utf8(kana_normal_u(text)); }

std::string kana_key(std::string_view text) {
    // Small→large first, then recompose (ｯﾞ is ッ + U+3099, which only becomes ヅ once ッ is ツ), then the
    // sound-alike folds (ヅ→ズ) — otherwise the key of a key differs from the key (found by fuzz_rules_compare).
    const icu::UnicodeString large =
        recompose(map_each(kana_normal_u(text), [](UChar32 c) { return map_cp(kSmallLarge, c); }));
    return to_utf8(recompose(map_each(large, [](UChar32 c) { return map_cp(kSoundAlike, c); })));
}

std::string kanji_key(std::string_view text) { return to_utf8(fold_variants(kanji_plain_u(text))); }

std::string card_part_key(std::string_view text) {
    return to_utf8(recompose(map_each(detail::nfkc(from_utf8(text)), [](UChar32 c) -> UChar32 {
        if (is_separator(c) || detail::is_dash(c) || c == '(' || c == ')' || detail::is_variation_selector(c))
            return -1;
        if (c >= 'a' && c <= 'z') return c - 'a' + 'A';
        return c;
    })));
}

bool is_kana_name(std::string_view text) {
    const icu::UnicodeString u = kana_normal_u(text);
    if (u.isEmpty()) return false;
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
        const UChar32 c = u.char32At(i);
        const bool kana = (c >= 0x30A1 && c <= 0x30FA) || c == kProlonged || (c >= 0x31F0 && c <= 0x31FF) ||
                          c == 0x3099 || c == 0x309A;
        if (!kana) return false;
    }
    return true;
}

CardNumber CardNumber::parse(std::string_view text) {
    // Split on ':' and '：', keeping each part as written.
    std::vector<std::string> parts(1);
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ':') {
            parts.emplace_back();
        } else if (text.substr(i).starts_with("\uFF1A")) {
            parts.emplace_back();
            i += 2;
        } else {
            parts.back().push_back(text[i]);
        }
    }
    CardNumber n;
    if (parts.size() == 1) {
        n.bangou = std::move(parts[0]);
        return n;
    }
    if (parts.size() >= 4) parts.erase(parts.begin());  // 保険者番号:記号:番号:枝番
    n.kigou = parts[0];
    n.bangou = parts[1];
    if (parts.size() > 2) n.edaban = parts[2];
    return n;
}

Comparison compare_card_numbers(const CardNumber& a, const CardNumber& b) {
    const std::string ak = card_part_key(a.kigou), bk = card_part_key(b.kigou);
    const std::string an = card_part_key(a.bangou), bn = card_part_key(b.bangou);
    const std::string ae = strip_zeros(card_part_key(a.edaban)), be = strip_zeros(card_part_key(b.edaban));
    const bool both_edaban = !ae.empty() && !be.empty();
    if (both_edaban && ae != be) return result(Tier::Different, "枝番が一致しません。", "枝番 differs");
    const bool edaban_skipped = !both_edaban && (ae.empty() != be.empty());
    if (a.kigou == b.kigou && a.bangou == b.bangou && a.edaban == b.edaban)
        return result(Tier::Exact, "一致しています。", "identical");

    const bool bangou_equal = strip_zeros(an) == strip_zeros(bn);
    if (ak == bk && bangou_equal) {
        if (edaban_skipped)
            return result(Tier::Normalized, "記号・番号は一致しています（枝番は片方にしかないため比較していません）。",
                          "記号 and 番号 equal after normalisation; 枝番 not compared (only one side has one)");
        if (an != bn)
            return result(Tier::Normalized, "番号の先頭の 0 の違いを除いて一致しています。",
                          "equal apart from leading zeros of 番号 or 枝番");
        return result(Tier::Normalized, "全角・半角や区切り文字の違いを除いて一致しています。",
                      "equal after NFKC, width and separator normalisation");
    }
    if (ak + an == bk + bn || strip_zeros(ak + an) == strip_zeros(bk + bn))
        return result(Tier::Probable, "記号と番号の区切り方が異なりますが、続けると一致します。",
                      "記号 and 番号 are split differently but read the same together");
    if (bangou_equal && (ak.empty() || bk.empty()))
        return result(Tier::Probable, "番号は一致していますが、記号が片方にしかありません。",
                      "番号 equal; 記号 present on one side only");
    if (ak != bk && bangou_equal) return result(Tier::Different, "記号が一致しません。", "記号 differs");
    return result(Tier::Different, "番号が一致しません。", "番号 differs");
}

Comparison compare_kana_names(std::string_view a, std::string_view b) {
    if (a == b) return result(Tier::Exact, "一致しています。", "identical");
    const icu::UnicodeString na = kana_normal_u(a), nb = kana_normal_u(b);
    if (na.isEmpty() || nb.isEmpty())
        return result(Tier::Different, "フリガナが片方にしかありません。", "kana name missing on one side");
    if (na == nb)
        return result(Tier::Normalized, "全角・半角、ひらがな・カタカナ、空白の違いを除いて一致しています。",
                      "equal after width, hiragana/katakana and space normalisation");
    if (kana_key(a) == kana_key(b))
        return result(Tier::Probable,
                      "小さい文字（ャ・ュ・ョ・ッ など）や ヴ・ヂ・ヅ の書き方の違いを除いて一致しています。",
                      "equal when small kana are read as large (ショウ/シヨウ) or ヴ/ヂ/ヅ/ヲ are folded");
    return result(Tier::Different, "フリガナが一致しません。", "kana names differ");
}

Comparison compare_kanji_names(std::string_view a, std::string_view b) {
    if (a == b) return result(Tier::Exact, "一致しています。", "identical");
    const icu::UnicodeString pa = kanji_plain_u(a), pb = kanji_plain_u(b);
    if (pa.isEmpty() || pb.isEmpty())
        return result(Tier::Different, "氏名が片方にしかありません。", "name missing on one side");
    if (pa == pb)
        return result(Tier::Normalized, "全角・半角や空白の違いを除いて一致しています。",
                      "equal after NFKC and space normalisation");
    const icu::UnicodeString fa = fold_variants(pa), fb = fold_variants(pb);
    if (fa == fb)
        return result(Tier::Probable, "異体字（髙/高、﨑/崎 など）の違いを除いて一致しています。",
                      "equal after folding variant kanji (髙/高, 﨑/崎, 邊/辺 ...)");
    if (wildcard_equal(fa, fb))
        return result(Tier::Probable, "●（表示できない文字）の部分を除いて一致しています。",
                      "equal when ● (a character OQS could not hold) matches any one character");
    return result(Tier::Different, "氏名が一致しません。", "names differ");
}

Comparison compare_names(std::string_view a, std::string_view b) {
    if (is_kana_name(a) && is_kana_name(b)) return compare_kana_names(a, b);
    return compare_kanji_names(a, b);
}

}  // namespace onshi::rules
