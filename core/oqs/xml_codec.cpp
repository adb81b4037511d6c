#include "core/oqs/xml_codec.hpp"

#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cctype>
#include <memory>
#include <pugixml.hpp>

#include "core/oqs/error.hpp"

namespace onshi::oqs {
namespace {

constexpr int kMaxDepth = 32;   // real messages nest 6 deep; the limit keeps hostile input off the stack
constexpr const char* kCp932 = "windows-31j";

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
        ucnv_convertEx(dst.get(), src.get(), &target, out.data() + out.size(), &source, in.data() + in.size(),
                       pivot, &ps, &pt, pivot + 1024, false, true, &st);
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
    if (end == std::string_view::npos || end > 512) throw OqsError(ErrorKind::Malformed, "unterminated XML declaration");
    std::string_view decl = bytes.substr(0, end);
    auto at = decl.find("encoding");
    if (at == std::string_view::npos) return Encoding::Utf8;
    auto q = decl.find_first_of("\"'", at);
    if (q == std::string_view::npos) throw OqsError(ErrorKind::Malformed, "XML declaration: encoding without a value");
    auto q2 = decl.find(decl[q], q + 1);
    if (q2 == std::string_view::npos) throw OqsError(ErrorKind::Malformed, "XML declaration: unterminated encoding");
    return encoding_from_name(decl.substr(q + 1, q2 - q - 1));
}

void append_escaped(std::string& out, std::string_view text) {
    for (char ch : text) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default:
                if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
                    throw OqsError(ErrorKind::Usage, "control character in a text value");
                out += ch;
        }
    }
}

void write_element(std::string& out, const Element& e, int depth) {
    out.append(size_t(depth) * 2, ' ');
    out += '<';
    out += e.name;
    out += '>';
    if (e.leaf()) {
        append_escaped(out, e.text);
    } else {
        out += '\n';
        for (const auto& c : e.children) write_element(out, c, depth + 1);
        out.append(size_t(depth) * 2, ' ');
    }
    out += "</";
    out += e.name;
    out += ">\n";
}

void to_tree(const pugi::xml_node& n, Element& e, int depth) {
    if (depth > kMaxDepth) throw OqsError(ErrorKind::Malformed, "elements nested too deeply");
    e.name = n.name();
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) {
            e.children.emplace_back();
            to_tree(c, e.children.back(), depth + 1);
        } else if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
            e.text += c.value();
        }
    }
    if (!e.children.empty()) e.text.clear();   // indentation between child elements is not data
}

}  // namespace

const char* declaration_name(Encoding e) { return e == Encoding::Utf8 ? "UTF-8" : "Shift_JIS"; }

Encoding encoding_from_name(std::string_view name) {
    std::string n = lower(name);
    if (n == "utf-8" || n == "utf8") return Encoding::Utf8;
    if (n == "shift_jis" || n == "shift-jis" || n == "sjis" || n == "x-sjis" || n == "windows-31j" ||
        n == "cp932" || n == "ms932")
        return Encoding::ShiftJis;
    throw OqsError(ErrorKind::Encoding, "unsupported encoding \"" + std::string(name) + "\" (UTF-8 or Shift_JIS)");
}

std::string character_code_of(Encoding e, bool alternative) {
    if (alternative) return e == Encoding::Utf8 ? "1" : "2";
    return e == Encoding::Utf8 ? "0" : "1";
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
    if (to == Encoding::Utf8) return to_utf8(utf8, Encoding::Utf8);   // validates
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

Document decode_xml(std::string_view bytes, const DecodeOptions& opt) {
    if (bytes.size() > opt.max_bytes)
        throw OqsError(ErrorKind::TooLarge, "file of " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                                                std::to_string(opt.max_bytes));
    if (bytes.empty()) throw OqsError(ErrorKind::Malformed, "empty file");
    Document doc;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    doc.encoding = declared_encoding(bytes);
    std::string utf8 = to_utf8(bytes, doc.encoding);

    pugi::xml_document x;
    pugi::xml_parse_result r = x.load_buffer(utf8.data(), utf8.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!r)
        throw OqsError(ErrorKind::Malformed,
                       std::string("not well-formed XML: ") + r.description() + " at byte " + std::to_string(r.offset));
    pugi::xml_node root = x.document_element();
    if (std::string_view(root.name()) != "XmlMsg")
        throw OqsError(ErrorKind::Malformed, std::string("root element is <") + root.name() + ">, not <XmlMsg>");
    to_tree(root, doc.root, 0);

    if (opt.check_character_code) {
        const Element* h = doc.root.child("MessageHeader");
        const Element* cc = h ? h->child("CharacterCodeIdentifier") : nullptr;
        if (cc && cc->text != character_code_of(doc.encoding, opt.alternative_character_codes))
            throw OqsError(ErrorKind::Mismatch, "CharacterCodeIdentifier " + cc->text + " disagrees with the declared " +
                                                    declaration_name(doc.encoding));
    }
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
