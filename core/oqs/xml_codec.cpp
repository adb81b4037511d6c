#include "core/oqs/xml_codec.hpp"

#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cctype>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <utility>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/oqs/error.hpp"

namespace onshi::oqs {
namespace {

constexpr const char* kCp932 = "windows-31j";

[[noreturn]] void malformed(const std::string& what) { throw OqsError(ErrorKind::Malformed, what); }

// XML 1.0 Char: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
bool is_xml_char(uint32_t cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

// One UTF-8 sequence at s[i]: the code point, with i moved past it; -1 (i unchanged) when the sequence
// is truncated, overlong, a surrogate or past U+10FFFF.
int32_t next_utf8(std::string_view s, size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        ++i;
        return c;
    }
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF)
        n = 1, cp = c & 0x1Fu, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 2, cp = c & 0x0Fu, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 3, cp = c & 0x07u, min = 0x10000;
    else
        return -1;
    if (s.size() - i <= n) return -1;
    for (size_t k = 1; k <= n; ++k) {
        const auto d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (d & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += n + 1;
    return int32_t(cp);
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

std::string code_point_name(uint32_t cp) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "U+%04X", unsigned(cp));
    return cp == 0 ? std::string(hex) + " (NUL)" : std::string(hex);
}

// An element name for a message: at most 64 bytes, cut on a character boundary.
std::string shown(std::string_view name) {
    if (name.size() <= 64) return std::string(name);
    size_t end = 64;
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
    return std::string(name.substr(0, end)) + "…";
}

// "line 23 (after <Name>)": where a raw byte sits, for a file refused before it is parsed.
std::string where(std::string_view text, size_t at) {
    size_t line = 1 + size_t(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n'));
    std::string out = "at line " + std::to_string(line);
    size_t lt = text.rfind('<', at);
    if (lt != std::string_view::npos) {
        size_t end = text.find_first_of(" \t\r\n/>", lt + 2);
        if (end != std::string_view::npos && end <= at && end > lt + 1)
            out += " (after <" + shown(text.substr(lt + 1, end - lt - 1)) + (text[end] == '/' ? "/" : "") + ">)";
    }
    return out;
}

// Bytes of an 8-byte word equal to `c` (an ASCII byte), for a word without bytes >= 0x80: the high bit
// of each equal byte is set. Exact: no carry crosses bytes when every byte is below 0x80.
constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
inline uint64_t equal_bytes(uint64_t w, unsigned char c) { return ~((w ^ (kOnes * c)) + kOnes * 0x7F) & kHigh; }

// The whole converted file, before pugixml sees it: well-formed UTF-8 of XML characters only (a raw
// control character is as forbidden as its reference). Returns the number of '<', an upper bound on
// the elements pugixml would allocate. Words of eight ASCII bytes without a control character other
// than tab, LF and CR (nearly all of an OQS file) are checked eight bytes at a time; everything else
// goes through next_utf8 one character at a time.
size_t scan_raw(std::string_view utf8) {
    size_t tags = 0;
    size_t i = 0;
    auto one_character = [&] {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c < 0x80) {
            tags += c == '<';
            ++i;
            return;
        }
        const size_t at = i;
        const int32_t cp = next_utf8(utf8, i);
        if (cp < 0) throw OqsError(ErrorKind::Encoding, "bytes are not valid UTF-8 " + where(utf8, at));
        if (!is_xml_char(uint32_t(cp)))
            malformed("control character " + code_point_name(uint32_t(cp)) + " " + where(utf8, at) +
                      " is not allowed in XML");
    };
#if defined(__SSE2__)
    // The same test sixteen bytes at a time; '<' are summed per byte lane and flushed before a lane
    // could overflow.
    {
        const __m128i space = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'),
                      cr = _mm_set1_epi8('\r'), lt = _mm_set1_epi8('<'), zero = _mm_setzero_si128();
        __m128i lanes = zero;
        int in_lanes = 0;
        auto flush = [&] {
            const __m128i sums = _mm_sad_epu8(lanes, zero);
            tags += size_t(_mm_cvtsi128_si64(sums)) + size_t(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
            lanes = zero;
            in_lanes = 0;
        };
        while (utf8.size() - i >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(utf8.data() + i));
            // Bytes >= 0x80 have the sign bit, so the signed compare flags them too: `stop` marks every
            // byte that is not plain ASCII text, tab, LF or CR.
            const __m128i allowed =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr));
            const int stop = _mm_movemask_epi8(_mm_andnot_si128(allowed, _mm_cmplt_epi8(v, space)));
            const __m128i is_lt = _mm_cmpeq_epi8(v, lt);
            if (stop == 0) {
                lanes = _mm_sub_epi8(lanes, is_lt);
                if (++in_lanes == 255) flush();
                i += 16;
                continue;
            }
            // The ASCII before the first such byte, then that character and the non-ASCII ones right after it
            // (a Japanese text is a run of them) the slow way.
            const unsigned plain = unsigned(__builtin_ctz(unsigned(stop)));
            tags += size_t(__builtin_popcount(unsigned(_mm_movemask_epi8(is_lt)) & ((1u << plain) - 1)));
            i += plain;
            do one_character();
            while (i < utf8.size() && static_cast<unsigned char>(utf8[i]) >= 0x80);
        }
        flush();
    }
#endif
    while (i < utf8.size()) {
        if (utf8.size() - i >= 8) {
            uint64_t w;
            std::memcpy(&w, utf8.data() + i, 8);
            if ((w & kHigh) == 0) {
                const uint64_t control = ~(w + kOnes * 0x60) & kHigh;  // bytes below 0x20
                if ((control & ~(equal_bytes(w, '\t') | equal_bytes(w, '\n') | equal_bytes(w, '\r'))) == 0) {
                    // One bit a '<' at bit 7 of its byte: summed into the top byte by the multiply.
                    tags += size_t(((equal_bytes(w, '<') >> 7) * kOnes) >> 56);
                    i += 8;
                    continue;
                }
            }
        }
        one_character();
    }
    return tags;
}

// A text or attribute value with its references decoded: &lt; &gt; &amp; &apos; &quot; &#N; &#xH;.
// pugixml runs without parse_escapes, so every reference passes through here and a reference to a
// character XML forbids (&#0;, &#1;, &#xD800;, &#x110000;, &#xFFFE; …) is refused, never truncated.
void append_decoded(std::string& out, std::string_view raw, std::string_view element) {
    size_t i = 0;
    for (;;) {
        const size_t amp = raw.find('&', i);
        out.append(raw.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i));
        if (amp == std::string_view::npos) break;
        const size_t semi = raw.find(';', amp + 1);
        const std::string_view ref =
            semi == std::string_view::npos ? std::string_view() : raw.substr(amp + 1, semi - amp - 1);
        if (ref.empty() || ref.size() > 32)
            malformed("'&' that starts no reference in <" + shown(element) + "> (write &amp;)");
        if (ref == "lt")
            out += '<';
        else if (ref == "gt")
            out += '>';
        else if (ref == "amp")
            out += '&';
        else if (ref == "apos")
            out += '\'';
        else if (ref == "quot")
            out += '"';
        else if (ref[0] == '#') {
            const bool hex = ref.size() > 1 && ref[1] == 'x';
            const std::string_view digits = ref.substr(hex ? 2 : 1);
            uint64_t v = 0;
            bool ok = !digits.empty();
            for (char d : digits) {
                int x;
                if (d >= '0' && d <= '9')
                    x = d - '0';
                else if (hex && d >= 'a' && d <= 'f')
                    x = d - 'a' + 10;
                else if (hex && d >= 'A' && d <= 'F')
                    x = d - 'A' + 10;
                else {
                    ok = false;
                    break;
                }
                if (v <= 0x10FFFF) v = v * (hex ? 16 : 10) + uint64_t(x);  // past U+10FFFF stays past it
            }
            if (!ok) malformed("invalid character reference &" + std::string(ref) + "; in <" + shown(element) + ">");
            if (!is_xml_char(uint32_t(std::min<uint64_t>(v, 0x110000))))
                malformed("character reference &" + std::string(ref) + "; in <" + shown(element) + "> is " +
                          (v > 0x10FFFF ? std::string("past U+10FFFF") : code_point_name(uint32_t(v))) +
                          ", not an allowed XML character");
            append_utf8(out, uint32_t(v));
        } else {
            bool plain = std::all_of(ref.begin(), ref.end(), [](char ch) {
                return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
            });
            if (!plain) malformed("'&' that starts no reference in <" + shown(element) + "> (write &amp;)");
            malformed("undefined entity &" + std::string(ref) + "; in <" + shown(element) + ">");
        }
        i = semi + 1;
    }
}

// Only references need decoding: a text without '&' (nearly every text) is copied as it is.
std::string decode_references(std::string_view raw, std::string_view element) {
    if (raw.find('&') == std::string_view::npos) return std::string(raw);
    std::string out;
    out.reserve(raw.size());
    append_decoded(out, raw, element);
    return out;
}

bool is_record(const char* name) {
    switch (name[0]) {  // one comparison for nearly every element, which is no record
        case 'R': return std::strcmp(name, "ResultOfQualificationConfirmation") == 0;
        case 'B': return std::strcmp(name, "BulkConfirmUnit") == 0;
        case 'Q': return std::strcmp(name, "QualificationConfirmSearchInfo") == 0;
        case 'M': return std::strcmp(name, "MedicalTicketInfo") == 0;
        case 'S': return std::strcmp(name, "SpecificDiseasesCertificateInfo") == 0;
        default: return false;
    }
}

// A text or attribute value whose references must decode: the first one that does not is kept (and
// thrown once the limits are known to hold, so an oversized file is TooLarge whatever else is wrong).
void check_references(const char* raw, const pugi::xml_node& element, std::optional<OqsError>& first) {
    if (first || !std::strchr(raw, '&')) return;
    try {
        std::string scratch;
        append_decoded(scratch, raw, element.name());
    } catch (const OqsError& e) {
        first = e;
    }
}

// Counts elements, per-patient records and depth on pugixml's tree without recursion, before any
// Element or message struct is built for them, and checks every reference in texts and attributes
// (pugixml runs without parse_escapes; attributes carry no data, but must be valid too).
// A file read in pieces (decode_units) counts all of them into one DomCounts, each piece from the depth its
// root has in the whole file.
struct DomCounts {
    size_t elements = 0, records = 0;
};

void check_dom(const pugi::xml_node& root, const DecodeOptions& opt, DomCounts& counts, size_t depth = 0) {
    size_t& elements = counts.elements;
    size_t& records = counts.records;
    std::optional<OqsError> bad_reference;
    pugi::xml_node n = root;
    for (;;) {
        if (n.type() == pugi::node_pcdata) {
            check_references(n.value(), n.parent(), bad_reference);
        } else if (n.type() == pugi::node_element) {
            if (++elements > opt.max_elements)
                throw OqsError(ErrorKind::TooLarge, "more than " + std::to_string(opt.max_elements) +
                                                        " XML elements (the limit for one OQS file)");
            if (depth > opt.max_depth)
                malformed("elements nested too deeply (more than " + std::to_string(opt.max_depth) + " levels)");
            if (is_record(n.name()) && ++records > opt.max_records)
                throw OqsError(ErrorKind::TooLarge, "more than " + std::to_string(opt.max_records) +
                                                        " records (<ResultOfQualificationConfirmation>, "
                                                        "<BulkConfirmUnit>, … ; the limit for one OQS file)");
            for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute())
                check_references(a.value(), n, bad_reference);
            check_references(n.value(), n, bad_reference);  // its first text (parse_embed_pcdata)
            if (pugi::xml_node c = n.first_child()) {
                n = c;
                ++depth;
                continue;
            }
        }
        while (n != root && !n.next_sibling()) {
            n = n.parent();
            --depth;
        }
        if (n == root) break;
        n = n.next_sibling();
    }
    if (bad_reference) throw *bad_reference;
}

struct ConverterDeleter {
    void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterDeleter>;

Converter open_strict(const char* name) {
    UErrorCode st = U_ZERO_ERROR;
    Converter c(ucnv_open(name, &st));
    if (U_FAILURE(st)) throw OqsError(ErrorKind::Encoding, std::string("ICU has no converter ") + name);
    ucnv_setToUCallBack(c.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &st);
    ucnv_setFromUCallBack(c.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &st);
    return c;
}

// Returns false when a sequence cannot be converted; `out` then holds the prefix converted so far.
bool convert(const char* from, const char* to, std::string_view in, std::string& out) {
    Converter src = open_strict(from), dst = open_strict(to);
    out.assign(in.size() * 2 + 16, '\0');
    char* target = out.data();
    const char* source = in.data();
    UChar pivot[1024];
    UChar* ps = pivot;
    UChar* pt = pivot;
    UErrorCode st = U_ZERO_ERROR;
    for (;;) {
        ucnv_convertEx(dst.get(), src.get(), &target, out.data() + out.size(), &source, in.data() + in.size(), pivot,
                       &ps, &pt, pivot + 1024, false, true, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            size_t done = size_t(target - out.data());
            out.resize(out.size() * 2);
            target = out.data() + done;
            st = U_ZERO_ERROR;
            continue;
        }
        break;
    }
    out.resize(size_t(target - out.data()));
    return U_SUCCESS(st);
}

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& ch : r) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return r;
}

// The encoding named by `<?xml … encoding="…"?>`; XML's default (UTF-8) when there is none.
Encoding declared_encoding(std::string_view bytes) {
    if (bytes.size() >= 2 && ((uint8_t(bytes[0]) == 0xFF && uint8_t(bytes[1]) == 0xFE) ||
                              (uint8_t(bytes[0]) == 0xFE && uint8_t(bytes[1]) == 0xFF)))
        throw OqsError(ErrorKind::Encoding, "UTF-16 files are not part of the OQS interface");
    if (bytes.substr(0, 5) != "<?xml") return Encoding::Utf8;
    auto end = bytes.find("?>");
    if (end == std::string_view::npos || end > 512)
        throw OqsError(ErrorKind::Malformed, "unterminated XML declaration");
    std::string_view decl = bytes.substr(0, end);
    auto at = decl.find("encoding");
    if (at == std::string_view::npos) return Encoding::Utf8;
    auto q = decl.find_first_of("\"'", at);
    if (q == std::string_view::npos) throw OqsError(ErrorKind::Malformed, "XML declaration: encoding without a value");
    auto q2 = decl.find(decl[q], q + 1);
    if (q2 == std::string_view::npos) throw OqsError(ErrorKind::Malformed, "XML declaration: unterminated encoding");
    return encoding_from_name(decl.substr(q + 1, q2 - q - 1));
}

void append_escaped(std::string& out, std::string_view text, std::string_view element) {
    if (size_t bad = first_non_xml_char(text); bad != std::string_view::npos) {
        size_t i = bad;
        int32_t cp = next_utf8(text, i);
        if (cp < 0) throw OqsError(ErrorKind::Encoding, "text of <" + shown(element) + "> is not valid UTF-8");
        throw OqsError(ErrorKind::Usage, "text of <" + shown(element) + "> holds " + code_point_name(uint32_t(cp)) +
                                             ", which an XML file cannot carry");
    }
    for (char ch : text) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '\r': out += "&#13;"; break;  // a raw CR would be read back as LF
            default: out += ch;
        }
    }
}

void write_element(std::string& out, const Element& e, int depth) {
    out.append(size_t(depth) * 2, ' ');
    out += '<';
    out += e.name;
    out += '>';
    if (e.leaf()) {
        append_escaped(out, e.text, e.name);
    } else {
        out += '\n';
        for (const auto& c : e.children) write_element(out, c, depth + 1);
        out.append(size_t(depth) * 2, ' ');
    }
    out += "</";
    out += e.name;
    out += ">\n";
}

// Builds the Element tree; check_dom has bounded the depth of this recursion and checked every
// reference already. With parse_embed_pcdata an element's first text is its value, the rest are nodes.
void to_tree(const pugi::xml_node& n, Element& e) {
    e.name = n.name();
    append_decoded(e.text, n.value(), e.name);
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) {
            e.children.emplace_back();
            to_tree(c, e.children.back());
        } else if (c.type() == pugi::node_pcdata) {
            append_decoded(e.text, c.value(), e.name);
        } else if (c.type() == pugi::node_cdata) {
            e.text += c.value();
        }
    }
    if (!e.children.empty()) e.text.clear();  // indentation between child elements is not data
}

}  // namespace

const char* declaration_name(Encoding e) { return e == Encoding::Utf8 ? "UTF-8" : "Shift_JIS"; }

Encoding encoding_from_name(std::string_view name) {
    std::string n = lower(name);
    if (n == "utf-8" || n == "utf8") return Encoding::Utf8;
    if (n == "shift_jis" || n == "shift-jis" || n == "sjis" || n == "x-sjis" || n == "windows-31j" || n == "cp932" ||
        n == "ms932")
        return Encoding::ShiftJis;
    throw OqsError(ErrorKind::Encoding, "unsupported encoding \"" + std::string(name) + "\" (UTF-8 or Shift_JIS)");
}

std::string character_code_of(Encoding e, bool alternative) {
    if (alternative) return e == Encoding::Utf8 ? "1" : "2";
    return e == Encoding::Utf8 ? "0" : "1";
}

std::size_t first_invalid_utf8(std::string_view bytes) {
    for (size_t i = 0; i < bytes.size();)
        if (next_utf8(bytes, i) < 0) return i;
    return std::string_view::npos;
}

std::size_t first_non_xml_char(std::string_view utf8) {
    for (size_t i = 0; i < utf8.size();) {
        size_t at = i;
        int32_t cp = next_utf8(utf8, i);
        if (cp < 0 || !is_xml_char(uint32_t(cp))) return at;
    }
    return std::string_view::npos;
}

std::string to_utf8(std::string_view bytes, Encoding from) {
    std::string out;
    if (!convert(from == Encoding::Utf8 ? "UTF-8" : kCp932, "UTF-8", bytes, out))
        throw OqsError(ErrorKind::Encoding, std::string("bytes are not valid ") + declaration_name(from) +
                                                " near byte " + std::to_string(out.size()));
    return out;
}

std::string from_utf8(std::string_view utf8, Encoding to) {
    std::string out;
    if (to == Encoding::Utf8) return to_utf8(utf8, Encoding::Utf8);  // validates
    if (convert("UTF-8", kCp932, utf8, out)) return out;
    // Name the first character that failed, so staff can fix the record.
    int32_t i = 0, len = int32_t(utf8.size());
    while (i < len) {
        int32_t start = i;
        UChar32 cp;
        U8_NEXT(utf8.data(), i, len, cp);
        std::string one;
        if (cp < 0 || !convert("UTF-8", kCp932, utf8.substr(size_t(start), size_t(i - start)), one)) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "U+%04X", unsigned(cp < 0 ? 0xFFFD : cp));
            throw OqsError(ErrorKind::Encoding, "\"" + std::string(utf8.substr(size_t(start), size_t(i - start))) +
                                                    "\" (" + hex + ") cannot be written in Shift_JIS (CP932)");
        }
    }
    throw OqsError(ErrorKind::Encoding, "text cannot be written in Shift_JIS (CP932)");
}

DecodedXml::DecodedXml() = default;
DecodedXml::DecodedXml(DecodedXml&&) noexcept = default;
DecodedXml& DecodedXml::operator=(DecodedXml&&) noexcept = default;
DecodedXml::~DecodedXml() = default;
pugi::xml_node DecodedXml::root() const { return doc_->document_element(); }

std::string dom_text(const pugi::xml_node& n) {
    const pugi::xml_node first = n.first_child();
    if (!first) {  // a leaf with one text or none
        const char* value = n.value();
        return std::strchr(value, '&') ? decode_references(value, n.name()) : std::string(value);
    }
    Element e;
    to_tree(n, e);
    return std::move(e.text);
}

Element dom_tree(const pugi::xml_node& n) {
    Element e;
    to_tree(n, e);
    return e;
}

namespace {

// No parse_escapes: append_decoded decodes and checks every reference itself. A text of only whitespace is
// kept when it is an element's whole content (it is data: "<Symbol> </Symbol>"). parse_embed_pcdata keeps
// an element's first text in the element node, not a node of its own.
constexpr unsigned kParseFlags = pugi::parse_cdata | pugi::parse_wconv_attribute | pugi::parse_eol |
                                 pugi::parse_ws_pcdata_single | pugi::parse_embed_pcdata;

// The checks before any parse: size, encoding, and (scan_raw) every character of the UTF-8 text, which is
// `bytes` itself for a UTF-8 file and `converted` for Shift_JIS.
std::string_view checked_text(std::string_view bytes, const DecodeOptions& opt, Encoding& encoding,
                              std::string& converted) {
    if (bytes.size() > opt.max_bytes)
        throw OqsError(ErrorKind::TooLarge, "file of " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                                                std::to_string(opt.max_bytes));
    if (bytes.empty()) throw OqsError(ErrorKind::Malformed, "empty file");
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    encoding = declared_encoding(bytes);
    // A UTF-8 file is checked by scan_raw as it is (no ICU pass); only Shift_JIS goes through ICU.
    std::string_view text = bytes;
    if (encoding != Encoding::Utf8) text = converted = to_utf8(bytes, encoding);
    const size_t tags = scan_raw(text);
    // Every element has one or two tags: a file with many more '<' than the limit allows is refused
    // before pugixml allocates a node for each.
    if (tags / 2 > opt.max_elements)
        throw OqsError(ErrorKind::TooLarge, "more than " + std::to_string(opt.max_elements) +
                                                " XML elements (the limit for one OQS file): " + std::to_string(tags) +
                                                " tags");
    return text;
}

void check_character_code(const pugi::xml_node& root, Encoding encoding, const DecodeOptions& opt) {
    if (!opt.check_character_code) return;
    const pugi::xml_node h = root.child("MessageHeader");
    const pugi::xml_node cc = h ? h.child("CharacterCodeIdentifier") : pugi::xml_node();
    if (!cc) return;
    const std::string code = dom_text(cc);
    if (code != character_code_of(encoding, opt.alternative_character_codes))
        throw OqsError(ErrorKind::Mismatch,
                       "CharacterCodeIdentifier " + code + " disagrees with the declared " + declaration_name(encoding));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool all_space(std::string_view s) { return std::all_of(s.begin(), s.end(), is_space); }

// The elements open at the end of `prefix` (a start of the file), when it is made only of the XML declaration,
// text and plain tags (<Name>, </Name>, <Name/>: no attribute, comment, CDATA, DOCTYPE or processing
// instruction) whose end tags match and it ends on a tag and optional whitespace; nullopt otherwise. The
// tags of such a prefix are what pugixml reads in it whatever follows.
std::optional<std::vector<std::string_view>> open_elements(std::string_view prefix) {
    size_t i = 0;
    if (prefix.substr(0, 5) == "<?xml") {
        i = prefix.find("?>");
        if (i == std::string_view::npos) return std::nullopt;
        i += 2;
    }
    std::vector<std::string_view> open;
    size_t last_tag_end = 0;
    for (;;) {
        size_t lt = prefix.find('<', i);
        if (lt == std::string_view::npos) break;
        i = lt + 1;
        const bool end_tag = i < prefix.size() && prefix[i] == '/';
        if (end_tag) ++i;
        const size_t start = i;
        while (i < prefix.size() && std::strchr(" \t\r\n<>/!?=\"'&", prefix[i]) == nullptr) ++i;
        const std::string_view name = prefix.substr(start, i - start);
        if (name.empty() || i >= prefix.size()) return std::nullopt;
        bool empty_element = false;
        if (prefix[i] == '>') {
            ++i;
        } else if (!end_tag && prefix.substr(i, 2) == "/>") {
            i += 2;
            empty_element = true;
        } else {
            return std::nullopt;
        }
        if (end_tag) {
            if (open.empty() || open.back() != name) return std::nullopt;
            open.pop_back();
        } else if (!empty_element) {
            open.push_back(name);
        }
        last_tag_end = i;
    }
    if (!all_space(prefix.substr(last_tag_end))) return std::nullopt;
    return open;
}

}  // namespace

DecodedXml decode_dom(std::string_view bytes, const DecodeOptions& opt) {
    DecodedXml d;
    std::string converted;
    const std::string_view text = checked_text(bytes, opt, d.encoding_, converted);
    if (d.encoding_ == Encoding::Utf8)
        d.buffer_.assign(text);
    else
        d.buffer_ = std::move(converted);

    d.doc_ = std::make_unique<pugi::xml_document>();
    // In place, so pugixml's nodes point into buffer_: reserve(16) puts even a tiny file on the heap,
    // where a move of the DecodedXml leaves the characters (a small-string buffer would move them).
    d.buffer_.reserve(16);
    pugi::xml_parse_result r =
        d.doc_->load_buffer_inplace(d.buffer_.data(), d.buffer_.size(), kParseFlags, pugi::encoding_utf8);
    if (!r)
        throw OqsError(ErrorKind::Malformed,
                       std::string("not well-formed XML: ") + r.description() + " at byte " + std::to_string(r.offset));
    pugi::xml_node root = d.doc_->document_element();
    if (std::string_view(root.name()) != "XmlMsg")
        throw OqsError(ErrorKind::Malformed, "root element is <" + shown(root.name()) + ">, not <XmlMsg>");
    DomCounts counts;
    check_dom(root, opt, counts);
    check_character_code(root, d.encoding_, opt);
    return d;
}

// The unit-at-a-time reader. The file is P U Q: U a run of <unit> elements (whitespace between them) in
// <XmlMsg><MessageBody>, P and Q the rest. P is read by open_elements, so the run starts in the body's content;
// each unit is parsed alone and must be exactly one element, which makes it balanced content; so the file is
// well-formed exactly when P Q is, and P Q parses to the file's tree without the units. The counts and
// reference checks of check_dom add up over the pieces as over the whole file.
bool decode_units(std::string_view bytes, const DecodeOptions& opt, std::string_view unit, const UnitVisitor& visit) {
    if (bytes.size() > opt.max_bytes || bytes.empty()) return false;
    const std::string open_tag = "<" + std::string(unit) + ">", close_tag = "</" + std::string(unit) + ">";
    // Most files hold no unit: they go to decode_dom without a second pass over their bytes.
    if (bytes.find(open_tag) == std::string_view::npos) return false;
    Encoding encoding;
    std::string converted;
    const std::string_view text = checked_text(bytes, opt, encoding, converted);

    const size_t first = text.find(open_tag);
    if (first == std::string_view::npos) return false;
    const std::string_view prefix = text.substr(0, first);
    const auto open = open_elements(prefix);
    if (!open || open->size() != 2 || (*open)[0] != "XmlMsg" || (*open)[1] != "MessageBody" ||
        prefix.find("<" + std::string(unit)) != std::string_view::npos)
        return false;
    std::vector<std::pair<size_t, size_t>> spans;  // [begin, end) of each unit
    size_t at = first, largest = 0;
    const std::boyer_moore_horspool_searcher find_close(close_tag.begin(), close_tag.end());
    for (;;) {
        const auto hit = std::search(text.begin() + std::ptrdiff_t(at), text.end(), find_close);
        if (hit == text.end()) return false;
        const size_t end = size_t(hit - text.begin()) + close_tag.size();
        spans.emplace_back(at, end);
        largest = std::max(largest, end - at);
        at = end;
        size_t next = at;
        while (next < text.size() && is_space(text[next])) ++next;
        if (text.compare(next, open_tag.size(), open_tag) != 0) break;
        at = next;
    }
    const std::string_view rest = text.substr(at);
    if (!all_space(rest.substr(0, rest.find('<'))) || rest.find("<" + std::string(unit)) != std::string_view::npos)
        return false;

    // The file without its units: <XmlMsg>, the header and everything else in the body.
    std::string skeleton;
    skeleton.reserve(prefix.size() + rest.size());
    skeleton.append(prefix).append(rest);
    pugi::xml_document skeleton_doc;
    if (!skeleton_doc.load_buffer_inplace(skeleton.data(), skeleton.size(), kParseFlags, pugi::encoding_utf8))
        return false;
    const pugi::xml_node root = skeleton_doc.document_element();
    if (std::string_view(root.name()) != "XmlMsg") return false;
    DomCounts counts;
    check_dom(root, opt, counts);
    check_character_code(root, encoding, opt);
    visit.skeleton(root, spans.size());

    // One unit at a time in one buffer and one document, both reused: the DOM of a unit is gone before the next.
    std::string piece;
    piece.reserve(largest);
    pugi::xml_document doc;
    for (const auto& [begin, end] : spans) {
        piece.assign(text.data() + begin, end - begin);
        if (!doc.load_buffer_inplace(piece.data(), piece.size(), kParseFlags, pugi::encoding_utf8)) return false;
        const pugi::xml_node u = doc.first_child();
        if (u != doc.last_child() || u.type() != pugi::node_element || std::string_view(u.name()) != unit)
            return false;
        check_dom(u, opt, counts, 2);
        visit.unit(u);
    }
    return true;
}

namespace {

// XML name characters as pugixml reads them, restricted to ASCII: a name of other bytes goes to decode_dom.
bool is_name_start(unsigned char c) {
    const unsigned char l = c | 0x20;
    return (l >= 'a' && l <= 'z') || c == '_' || c == ':';
}
bool is_name_char(unsigned char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-'; }

// The number of name characters from p on (p < end).
size_t name_length(const char* p, const char* end) {
    size_t n = 0;
#if defined(__SSE2__)
    const __m128i case_bit = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a' - 1), z = _mm_set1_epi8('z' + 1),
                  d0 = _mm_set1_epi8('0' - 1), d9 = _mm_set1_epi8('9' + 1), us = _mm_set1_epi8('_'),
                  colon = _mm_set1_epi8(':'), dot = _mm_set1_epi8('.'), dash = _mm_set1_epi8('-');
    while (end - p - std::ptrdiff_t(n) >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n));
        const __m128i l = _mm_or_si128(v, case_bit);  // bytes >= 0x80 stay negative: never a letter
        const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(l, a), _mm_cmplt_epi8(l, z));
        const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, d0), _mm_cmplt_epi8(v, d9));
        const __m128i punct = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, us), _mm_cmpeq_epi8(v, colon)),
                                           _mm_or_si128(_mm_cmpeq_epi8(v, dot), _mm_cmpeq_epi8(v, dash)));
        const unsigned ok = unsigned(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), punct)));
        if (ok != 0xFFFF) return n + size_t(__builtin_ctz(~ok));
        n += 16;
    }
#endif
    while (p + n < end && is_name_char(static_cast<unsigned char>(p[n]))) ++n;
    return n;
}

// Whether the n bytes at a and b are equal, where a + n <= b and b + n <= end (an end tag's name and its
// start tag's): sixteen bytes at a time while the text goes on that far.
bool same_bytes(const char* a, const char* b, size_t n, const char* end) {
#if defined(__SSE2__)
    if (end - b >= std::ptrdiff_t(n + 15 - (n + 15) % 16)) {
        for (size_t i = 0; i < n; i += 16) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i));
            const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
            const unsigned differ = ~unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y))) & 0xFFFFu;
            const size_t left = n - i;
            if (differ & (left >= 16 ? 0xFFFFu : (1u << left) - 1)) return false;
        }
        return true;
    }
#else
    (void)end;
#endif
    return std::memcmp(a, b, n) == 0;
}

bool is_record_name(std::string_view n) {
    switch (n.size()) {  // the record names differ in length
        case 33: return n == "ResultOfQualificationConfirmation";
        case 15: return n == "BulkConfirmUnit";
        case 30: return n == "QualificationConfirmSearchInfo";
        case 17: return n == "MedicalTicketInfo";
        case 31: return n == "SpecificDiseasesCertificateInfo";
        default: return false;
    }
}

// What a text run between tags holds besides plain characters.
struct TextRun {
    bool reference = false, cr = false;
};

// Moves p to the next '<' at or after it, checking every character on the way as scan_raw does: false at a
// character scan_raw refuses (decode_dom names it) or when no '<' follows.
bool scan_text(const char*& p, const char* begin, const char* end, TextRun& run) {
    for (;;) {
#if defined(__SSE2__)
        const __m128i space = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'),
                      lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&');
        while (end - p >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            // Controls other than tab and LF, bytes >= 0x80 (negative), '<' and '&'.
            const __m128i plain = _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf));
            const __m128i stop = _mm_or_si128(_mm_andnot_si128(plain, _mm_cmplt_epi8(v, space)),
                                              _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp)));
            const unsigned m = unsigned(_mm_movemask_epi8(stop));
            if (m == 0) {
                p += 16;
                continue;
            }
            p += __builtin_ctz(m);
            break;
        }
#endif
        while (p < end) {
            const auto c = static_cast<unsigned char>(*p);
            if ((c >= 0x20 && c < 0x80 && c != '<' && c != '&') || c == '\t' || c == '\n')
                ++p;
            else
                break;
        }
        if (p >= end) return false;
        const auto c = static_cast<unsigned char>(*p);
        if (c == '<') return true;
        if (c == '&') {
            run.reference = true;
            ++p;
        } else if (c == '\r') {
            run.cr = true;
            ++p;
        } else if (c < 0x20) {
            return false;
        } else if (c >= 0xC2 && c <= 0xDF && end - p >= 2 && (static_cast<unsigned char>(p[1]) & 0xC0) == 0x80) {
            p += 2;  // U+0080–U+07FF: all XML characters
        } else if (c >= 0xE1 && c <= 0xEC && end - p >= 3 && (static_cast<unsigned char>(p[1]) & 0xC0) == 0x80 &&
                   (static_cast<unsigned char>(p[2]) & 0xC0) == 0x80) {
            p += 3;  // U+1000–U+CFFF (kana and most kanji): all XML characters, none a surrogate
        } else {
            const std::string_view all(begin, size_t(end - begin));
            size_t i = size_t(p - begin);
            do {
                const int32_t cp = next_utf8(all, i);
                if (cp < 0 || !is_xml_char(uint32_t(cp))) return false;
            } while (i < all.size() && static_cast<unsigned char>(all[i]) >= 0x80);
            p = begin + i;
        }
    }
}

// Whether [p, q) is all whitespace (q <= end): the indentation between elements, sixteen bytes at a time.
bool only_space(const char* p, const char* q, const char* end) {
#if defined(__SSE2__)
    while (q - p > 0 && end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i space = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                                           _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
        const unsigned other = ~unsigned(_mm_movemask_epi8(space)) & 0xFFFFu;
        const std::ptrdiff_t left = q - p;
        if (other & (left >= 16 ? 0xFFFFu : (1u << left) - 1)) return false;
        p += 16;
    }
#else
    (void)end;
#endif
    for (; p < q; ++p)
        if (!is_space(*p)) return false;
    return true;
}

// A text as pugixml (parse_eol) and append_decoded make it: CR LF and lone CR become LF, then references.
std::string decoded_text(std::string_view raw, const TextRun& run, std::string_view element) {
    std::string eol;
    if (run.cr) {
        eol.reserve(raw.size());
        for (size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '\r') {
                eol += raw[i];
            } else {
                eol += '\n';
                if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
            }
        }
        raw = eol;
    }
    std::string out;
    out.reserve(raw.size());
    append_decoded(out, raw, element);
    return out;
}

}  // namespace

bool decode_plain(std::string_view bytes, const DecodeOptions& opt, std::string_view unit,
                  const std::function<void(const PlainTree&, std::uint32_t, std::size_t)>& on_unit, PlainTree& tree) {
    if (bytes.size() > opt.max_bytes || bytes.empty()) return false;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    tree.encoding = declared_encoding(bytes);
    std::string_view text = bytes;
    if (tree.encoding != Encoding::Utf8) text = tree.converted = to_utf8(bytes, tree.encoding);

    const char* const begin = text.data();
    const char* const end = begin + text.size();
    const char* p = begin;
    size_t tags = 0, elements = 0, records = 0;
    // The declaration: pugixml skips it to the first "?>"; its characters must be plain ASCII here.
    if (text.substr(0, 5) == "<?xml") {
        const size_t close = text.find("?>");
        if (close == std::string_view::npos) return false;
        for (size_t i = 1; i < close; ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            if (c == '<' || c >= 0x80 || (c < 0x20 && !is_space(char(c)))) return false;
        }
        tags = 1;
        p += close + 2;
    }
    while (p < end && is_space(*p)) ++p;
    if (p == end || *p != '<') return false;

    std::vector<PlainNode>& nodes = tree.nodes;
    nodes.clear();
    tree.decoded.clear();
    struct Open {
        std::uint32_t node, last_child, previous_sibling;
        std::uint32_t decoded;  // tree.decoded's size when the element began
        bool children;          // has had a child element (a unit read and dropped counts)
    };
    std::vector<Open> open;
    open.reserve(opt.max_depth + 2);
    const char* first_unit = nullptr;  // where the first unit began
    size_t units = 0;
    // An element that has just ended: a unit under <XmlMsg><MessageBody> is read and dropped.
    auto ended = [&](std::uint32_t node, std::uint32_t previous_sibling, std::uint32_t decoded) {
        if (open.size() != 2 || nodes[node].name != unit || nodes[0].name != "XmlMsg" ||
            nodes[open[1].node].name != "MessageBody")
            return;
        ++units;  // the rest of the text at the units' average size so far
        on_unit(tree, node, size_t(double(end - p) * double(units) / double(p - first_unit)));
        Open& body = open.back();
        body.last_child = previous_sibling;
        (previous_sibling ? nodes[previous_sibling].next_sibling : nodes[body.node].first_child) = 0;
        nodes.resize(node);
        tree.decoded.resize(decoded);
    };
    for (;;) {
        // At a '<' in the content of open.back() (or before the root).
        ++tags;
        if (p + 1 < end && p[1] == '/') {
            if (open.empty()) return false;
            const std::string_view name = nodes[open.back().node].name;
            if (size_t(end - p) < name.size() + 3 || !same_bytes(name.data(), p + 2, name.size(), end) ||
                p[2 + name.size()] != '>')
                return false;
            p += name.size() + 3;
            const Open e = open.back();
            open.pop_back();
            if (open.empty()) break;  // the root ended
            ended(e.node, e.previous_sibling, e.decoded);
        } else {
            const size_t n = name_length(p + 1, end);
            if (n == 0 || !is_name_start(static_cast<unsigned char>(p[1]))) return false;  // <! <? </ or a name pugixml reads differently
            const char* after = p + 1 + n;
            bool empty = false;
            if (after < end && *after == '>') {
                ++after;
            } else if (end - after >= 2 && after[0] == '/' && after[1] == '>') {
                after += 2;
                empty = true;
            } else {
                return false;  // an attribute, whitespace in the tag, or the end of the file
            }
            const std::string_view name(p + 1, n);
            const size_t depth = open.size();
            if (depth == 2 && !first_unit && name == unit) first_unit = p;
            if (++elements > opt.max_elements || depth > opt.max_depth ||
                (is_record_name(name) && ++records > opt.max_records))
                return false;
            const auto index = std::uint32_t(nodes.size());
            nodes.push_back(PlainNode{name, {}, 0, 0});
            std::uint32_t previous = 0;
            if (depth > 0) {
                Open& parent = open.back();
                parent.children = true;
                previous = parent.last_child;
                (previous ? nodes[previous].next_sibling : nodes[parent.node].first_child) = index;
                parent.last_child = index;
            }
            const auto decoded = std::uint32_t(tree.decoded.size());
            p = after;
            if (empty) {
                if (depth == 0) break;
                ended(index, previous, decoded);
            } else {
                open.push_back(Open{index, 0, previous, decoded, false});
            }
        }
        // The content up to the next tag: the text of an element without children, whitespace otherwise.
        const char* const start = p;
        TextRun run;
        if (!scan_text(p, begin, end, run)) return false;
        Open& e = open.back();
        if (p + 1 < end && p[1] == '/' && !e.children) {
            const std::string_view raw(start, size_t(p - start));
            nodes[e.node].text =
                run.reference || run.cr ? tree.decoded.emplace_back(decoded_text(raw, run, nodes[e.node].name)) : raw;
        } else if (!only_space(start, p, end)) {
            return false;  // mixed content
        }
    }
    while (p < end && is_space(*p)) ++p;
    if (p != end || tags / 2 > opt.max_elements || nodes[0].name != "XmlMsg") return false;
    // CharacterCodeIdentifier, as check_character_code reads it from the first <MessageHeader>.
    if (opt.check_character_code) {
        auto child = [&](std::uint32_t parent, std::string_view name) -> std::uint32_t {
            for (std::uint32_t c = nodes[parent].first_child; c; c = nodes[c].next_sibling)
                if (nodes[c].name == name) return c;
            return 0;
        };
        if (const std::uint32_t h = child(0, "MessageHeader"))
            if (const std::uint32_t cc = child(h, "CharacterCodeIdentifier"))
                if (nodes[cc].text != character_code_of(tree.encoding, opt.alternative_character_codes)) return false;
    }
    return true;
}

Document decode_xml(std::string_view bytes, const DecodeOptions& opt) {
    DecodedXml d = decode_dom(bytes, opt);
    Document doc;
    doc.encoding = d.encoding();
    to_tree(d.root(), doc.root);
    return doc;
}

std::string encode_xml(const Element& root, Encoding e) {
    std::string out = "<?xml version=\"1.0\" encoding=\"";
    out += declaration_name(e);
    out += "\" standalone=\"no\"?>\n";
    write_element(out, root, 0);
    return from_utf8(out, e);
}

}  // namespace onshi::oqs
