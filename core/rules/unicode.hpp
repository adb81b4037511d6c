#pragma once
// Internal to onshi_rules: ICU glue shared by the parsers and the comparison keys.
#include <unicode/unistr.h>

#include <string>
#include <string_view>

namespace onshi::rules::detail {

// Invalid UTF-8 becomes U+FFFD, so every later step sees well-formed text.
icu::UnicodeString from_utf8(std::string_view s);
std::string to_utf8(const icu::UnicodeString& u);

// NFKC, after turning the spacing (han)dakuten ゛゜ into combining marks: NFKC alone would make
// "カ゛" a space plus U+3099 instead of ガ.
icu::UnicodeString nfkc(const icu::UnicodeString& u);

// ICU "Hiragana-Katakana" transliterator (one instance a thread: transliterators are not thread-safe).
icu::UnicodeString hiragana_to_katakana(const icu::UnicodeString& u);

bool is_variation_selector(UChar32 c);
bool is_dash(UChar32 c);  // - ‐ ‑ ‒ – — ― − ー and the like, after NFKC

}  // namespace onshi::rules::detail
