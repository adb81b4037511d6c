#pragma once
// Bytes <-> Element tree. pugixml parses UTF-8 only, so Shift_JIS (CP932) files are converted with
// ICU first, strictly: a byte sequence that is invalid in the declared encoding is an error, never
// a replacement character, because a misdecoded name would reach the ledger.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/oqs/element.hpp"

namespace pugi {
class xml_document;
class xml_node;
}  // namespace pugi

namespace onshi::oqs {

enum class Encoding { Utf8, ShiftJis };

const char* declaration_name(Encoding e);            // "UTF-8" | "Shift_JIS"
Encoding encoding_from_name(std::string_view name);  // UTF-8, Shift_JIS, CP932 … ; OqsError otherwise

// Limits that keep a hostile or broken file from exhausting memory (docs/security.md, "OQS XML
// messages"). Over a limit the file is refused with OqsError(TooLarge) before the Element tree or the
// message structs are built. The defaults leave a 10,000-unit 一括照会 result far inside every one.
struct DecodeOptions {
    std::size_t max_bytes = 64u << 20;     // a 10,000-unit bulk result is 15–30 MB
    std::size_t max_elements = 1'000'000;  // XML elements in the file (a bulk unit is 30–70)
    // Per-patient groups: ResultOfQualificationConfirmation, BulkConfirmUnit and
    // QualificationConfirmSearchInfo (one 一括照会 unit is three of them).
    std::size_t max_records = 60'000;
    std::size_t max_depth = 32;        // real messages nest 6 deep; the tree is built recursively
    bool check_character_code = true;  // cross-check MessageHeader/CharacterCodeIdentifier
    // OQSCD005 is 0 = UTF-8, 1 = Shift_JIS in most sources; one source says 1 = UTF-8, 2 = Shift_JIS.
    bool alternative_character_codes = false;
};

struct Document {
    Encoding encoding = Encoding::Utf8;
    Element root;  // <XmlMsg>
};

// Throws OqsError (TooLarge, Encoding, Malformed, Mismatch). Every element name and text of the
// result is valid UTF-8 made only of XML 1.0 characters: a control character other than tab, LF and
// CR, U+FFFE/U+FFFF, a surrogate or a code point past U+10FFFF — raw or as a character reference
// such as &#0; or &#xD800; — makes the file Malformed, naming the element.
Document decode_xml(std::string_view bytes, const DecodeOptions& opt = {});
// The decoded file before any Element tree is built: pugixml's DOM over the converted bytes, already
// held to every DecodeOptions limit and every character rule (raw characters, references in texts and
// attributes, CharacterCodeIdentifier). Messages are read straight from it (messages.cpp); decode_xml
// builds the Element tree from it for callers that keep elements the model does not name.
class DecodedXml {
public:
    DecodedXml(DecodedXml&&) noexcept;
    DecodedXml& operator=(DecodedXml&&) noexcept;
    ~DecodedXml();
    Encoding encoding() const { return encoding_; }
    pugi::xml_node root() const;  // <XmlMsg>

private:
    friend DecodedXml decode_dom(std::string_view bytes, const DecodeOptions& opt);
    DecodedXml();
    Encoding encoding_ = Encoding::Utf8;
    std::string buffer_;  // the UTF-8 text pugixml parsed in place
    std::unique_ptr<pugi::xml_document> doc_;
};
// Same errors as decode_xml.
DecodedXml decode_dom(std::string_view bytes, const DecodeOptions& opt = {});
// A file whose <XmlMsg><MessageBody> holds a run of `unit` elements (BulkConfirmUnit) read one unit at a
// time, so the DOM and a copy of the whole file never exist at once (docs/performance.md, "OQS parse"):
// `skeleton` gets <XmlMsg> of the file without the units and how many follow, then `unit` gets each unit in
// order, from a DOM that lives for that call only. Every DecodeOptions limit and character rule applies to
// the file as a whole. Returns false, having visited nothing or not all, when the file is not in the plain
// shape this reader takes (no such run, an attribute, comment, CDATA or processing instruction before the
// run, units elsewhere); throws OqsError (or passes on what a visitor throws) when a check fails. Either
// way the caller reads the file with decode_dom, which gives the exact answer or error for the whole file.
struct UnitVisitor {
    std::function<void(const pugi::xml_node& root, std::size_t units)> skeleton;
    std::function<void(const pugi::xml_node& unit)> unit;
};
bool decode_units(std::string_view bytes, const DecodeOptions& opt, std::string_view unit, const UnitVisitor& visit);
// The fast path for the plain XML an OQS terminal writes (docs/performance.md, "OQS parse"): one pass over the
// bytes that checks them as decode_dom does and builds a PlainTree, with no pugixml DOM. It takes only the
// XML declaration, elements without attributes, and texts (references, CR LF) that are either an element's
// whole content or whitespace between its child elements: no comment, CDATA, DOCTYPE, processing
// instruction, attribute or mixed content. Each `unit` element directly under <XmlMsg><MessageBody> is given
// to `on_unit` as soon as it is complete (with a guess at how many more follow: the rest of the text at the
// units' average size so far) and then dropped from the tree, so the tree of a bulk answer never holds more than one unit; `tree`
// keeps the rest. Returns false (or throws OqsError, or passes on what
// on_unit throws) for anything outside that subset and for every file decode_dom refuses; then the caller
// reads the file again with decode_dom (or decode_units), which gives the exact answer or error.
struct PlainNode {
    std::string_view name, text;  // text: "" for an element with child elements
    std::uint32_t first_child = 0, next_sibling = 0;  // indexes into PlainTree::nodes; 0 is none (the root)
};
struct PlainTree {
    std::vector<PlainNode> nodes;     // nodes[0] is <XmlMsg>, then depth-first
    std::deque<std::string> decoded;  // texts that held references or CRs, decoded
    Encoding encoding = Encoding::Utf8;
    std::string converted;  // a Shift_JIS file in UTF-8: the names and texts point into it
};
bool decode_plain(std::string_view bytes, const DecodeOptions& opt, std::string_view unit,
                  const std::function<void(const PlainTree&, std::uint32_t, std::size_t)>& on_unit, PlainTree& tree);
// The text of an element of a DecodedXml: its character data with references decoded, as Element::text
// holds it ("" for an element with child elements). The DOM was checked, so this cannot throw on data.
std::string dom_text(const pugi::xml_node& element);
// The Element tree of one element of a DecodedXml.
Element dom_tree(const pugi::xml_node& element);

// Throws OqsError(Encoding) naming the first character the encoding cannot carry.
std::string encode_xml(const Element& root, Encoding e);

// Offset of the first byte that does not start a well-formed UTF-8 sequence of an XML 1.0 Char
// (tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF); npos when all of `utf8` is.
std::size_t first_non_xml_char(std::string_view utf8);
// Offset of the first byte that is not part of well-formed UTF-8 (shortest form, no surrogates,
// at most U+10FFFF); npos when there is none.
std::size_t first_invalid_utf8(std::string_view bytes);

// Strict conversions, also used for .err texts and the simulator.
std::string to_utf8(std::string_view bytes, Encoding from);
std::string from_utf8(std::string_view utf8, Encoding to);

// CharacterCodeIdentifier value for an encoding (OQSCD005).
std::string character_code_of(Encoding e, bool alternative = false);

}  // namespace onshi::oqs
