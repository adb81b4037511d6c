#pragma once
// Bytes <-> Element tree. pugixml parses UTF-8 only, so Shift_JIS (CP932) files are converted with
// ICU first, strictly: a byte sequence that is invalid in the declared encoding is an error, never
// a replacement character, because a misdecoded name would reach the ledger.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/oqs/element.hpp"

namespace onshi::oqs {

enum class Encoding { Utf8, ShiftJis };

const char* declaration_name(Encoding e);                 // "UTF-8" | "Shift_JIS"
Encoding encoding_from_name(std::string_view name);       // UTF-8, Shift_JIS, CP932 … ; OqsError otherwise

struct DecodeOptions {
    std::size_t max_bytes = 64u << 20;   // a 10,000-unit bulk result is ~30 MB
    bool check_character_code = true;    // cross-check MessageHeader/CharacterCodeIdentifier
    // OQSCD005 is 0 = UTF-8, 1 = Shift_JIS in most sources; one source says 1 = UTF-8, 2 = Shift_JIS.
    bool alternative_character_codes = false;
};

struct Document {
    Encoding encoding = Encoding::Utf8;
    Element root;                        // <XmlMsg>
};

// Throws OqsError (TooLarge, Encoding, Malformed, Mismatch).
Document decode_xml(std::string_view bytes, const DecodeOptions& opt = {});
// Throws OqsError(Encoding) naming the first character the encoding cannot carry.
std::string encode_xml(const Element& root, Encoding e);

// Strict conversions, also used for .err texts and the simulator.
std::string to_utf8(std::string_view bytes, Encoding from);
std::string from_utf8(std::string_view utf8, Encoding to);

// CharacterCodeIdentifier value for an encoding (OQSCD005).
std::string character_code_of(Encoding e, bool alternative = false);

}  // namespace onshi::oqs
