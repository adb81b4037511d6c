// parse_message reads the message straight from the checked DOM, parse_file through the Element tree:
// they must agree on every input (the same message, or the same OqsError), and the block-at-a-time
// character scan must find a forbidden byte and count '<' at every offset of its blocks.
#include <catch2/catch.hpp>

#include <filesystem>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"
#include "core/util/files.hpp"

using namespace onshi::oqs;
namespace fs = std::filesystem;

namespace {

constexpr MessageKind kKinds[] = {MessageKind::Siquc01Res, MessageKind::Face, MessageKind::Muquc01Req,
                                  MessageKind::Muquc02Res, MessageKind::Muhvq02Res};

// "ok" or "<kind>: <message>" for one path.
template <class F>
std::string outcome(F&& parse) {
    try {
        parse();
        return "ok";
    } catch (const OqsError& e) {
        return std::string(to_string(e.kind)) + ": " + e.what();
    }
}

void same_on_both_paths(const std::string& bytes, const DecodeOptions& opt = {}) {
    for (MessageKind k : kKinds) {
        Message direct, tree;
        std::string a = outcome([&] { direct = parse_message(bytes, k, opt); });
        std::string b = outcome([&] { tree = parse_file(bytes, k, opt).message; });
        INFO(kind_name(k));
        CHECK(a == b);
        if (a == "ok" && b == "ok") CHECK(direct == tree);
    }
}

std::string face_with_name(const std::string& name) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult>"
           "<CharacterCodeIdentifier>0</CharacterCodeIdentifier></MessageHeader><MessageBody>"
           "<ProcessingResultStatus>1</ProcessingResultStatus><QualificationValidity>1</QualificationValidity>"
           "<ResultList><ResultOfQualificationConfirmation><Name>" +
           name + "</Name></ResultOfQualificationConfirmation></ResultList></MessageBody></XmlMsg>\n";
}

}  // namespace

TEST_CASE("parse_message and parse_file agree on fixtures, fuzz seeds and odd shapes", "[oqs][paths]") {
    std::vector<fs::path> files;
    for (const char* dir : {"/assets/oqs/fixtures", "/tests/fuzz/corpus/oqs", "/tests/fuzz/corpus/oqs_roundtrip"})
        for (const auto& e : fs::directory_iterator(std::string(ONSHI_SOURCE_DIR) + dir))
            if (e.is_regular_file()) files.push_back(e.path());
    REQUIRE(files.size() > 10);
    for (const auto& f : files) {
        INFO(f.filename().string());
        auto bytes = onshi::files::read(f);
        REQUIRE(bytes);
        same_on_both_paths(*bytes);
        if (!bytes->empty()) same_on_both_paths(bytes->substr(1));  // the fuzz seeds carry a kind byte first
    }
    // Unknown elements (kept in extra, with their subtrees), mixed text, CDATA, references, repeats.
    same_on_both_paths(
        face_with_name("資格 七夫</Name><Unknown a=\"&amp;\"><X>1<![CDATA[<y>]]>2</X></Unknown><Name>again"));
    same_on_both_paths(face_with_name("<![CDATA[a]]>b&#x3042;c"));
    same_on_both_paths(face_with_name("x<Sub/>y"));
    same_on_both_paths(face_with_name(" "));
    same_on_both_paths(face_with_name("&bogus;"));
    same_on_both_paths(face_with_name("&#0;"));
    same_on_both_paths("<XmlMsg/>");
    same_on_both_paths("<XmlMsg><MessageHeader>text</MessageHeader><MessageBody/></XmlMsg>");
}

TEST_CASE("the character scan finds a forbidden byte at every offset of its blocks", "[oqs][paths]") {
    const std::string plain(48, 'a');
    REQUIRE_NOTHROW(parse_message(face_with_name(plain), MessageKind::Face));
    for (size_t at = 0; at < plain.size(); ++at) {
        INFO("offset " << at);
        std::string name = plain;
        name[at] = '\x01';
        CHECK_THROWS_MATCHES(
            parse_message(face_with_name(name), MessageKind::Face), OqsError,
            Catch::Predicate<OqsError>([](const OqsError& e) { return e.kind == ErrorKind::Malformed; }));
        name[at] = '\xFF';
        CHECK_THROWS_MATCHES(
            parse_message(face_with_name(name), MessageKind::Face), OqsError,
            Catch::Predicate<OqsError>([](const OqsError& e) { return e.kind == ErrorKind::Encoding; }));
        name[at] = '\x7F';  // DEL is an XML character
        CHECK_NOTHROW(parse_message(face_with_name(name), MessageKind::Face));
        name = plain;
        name.replace(at, 1, "\xE3\x81");  // a sequence cut short
        CHECK_THROWS_MATCHES(
            parse_message(face_with_name(name), MessageKind::Face), OqsError,
            Catch::Predicate<OqsError>([](const OqsError& e) { return e.kind == ErrorKind::Encoding; }));
        name = plain;
        name.replace(at, 1, "\t\r\n\xE3\x81\x82");  // allowed controls and あ
        Message m = parse_message(face_with_name(name), MessageKind::Face);
        REQUIRE(m.body.results);
        CHECK(m.body.results->at(0).name == name.substr(0, at) + "\t\n\xE3\x81\x82" + plain.substr(at + 1));
    }
}

TEST_CASE("'<' are counted exactly for the element limit, wherever they fall", "[oqs][paths]") {
    for (size_t pad = 0; pad < 20; ++pad) {
        // Unknown empty elements after a text of `pad` bytes shift every '<' across the blocks.
        std::string many = std::string(pad, 'b') + "</Name>";
        for (int i = 0; i < 300; ++i) many += "<E/>";
        many += "<Name>";
        const std::string bytes = face_with_name(many);
        size_t tags = 0;
        for (char c : bytes) tags += c == '<';
        DecodeOptions opt;
        opt.max_elements = tags / 2 - 1;
        INFO("pad " << pad);
        CHECK_THROWS_WITH(parse_message(bytes, MessageKind::Face, opt),
                          Catch::Contains(std::to_string(tags) + " tags"));
    }
}

TEST_CASE("a decoded file keeps its text when moved, even a tiny one", "[oqs][paths]") {
    DecodedXml a = decode_dom("<XmlMsg/>");
    DecodedXml b = std::move(a);
    CHECK(dom_tree(b.root()).name == "XmlMsg");
}

namespace {

// A bulk answer: `before` and `after` around the run of units in the body, `units` as written.
std::string bulk(const std::vector<std::string>& units, const std::string& before = "", const std::string& after = "",
                 const std::string& between = "\n  ") {
    std::string s =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult>"
        "<CharacterCodeIdentifier>0</CharacterCodeIdentifier></MessageHeader>\n<MessageBody>\n  " +
        before;
    for (size_t i = 0; i < units.size(); ++i) s += (i ? between : "") + units[i];
    return s + after + "\n</MessageBody></XmlMsg>\n";
}

std::string unit(int i, const std::string& inside = "") {
    return "<BulkConfirmUnit><QualificationConfirmSearchInfo><InsurerNumber>  133033</InsurerNumber>"
           "<ArbitraryIdentifier>" +
           std::to_string(i) +
           "_1</ArbitraryIdentifier></QualificationConfirmSearchInfo><ProcessingResultStatus>1"
           "</ProcessingResultStatus><QualificationValidity>1</QualificationValidity>"
           "<ResultOfQualificationConfirmation><Name>資格 五郎</Name></ResultOfQualificationConfirmation>" +
           inside + "</BulkConfirmUnit>";
}

// Whether the unit-at-a-time reader took the whole file (the units it saw, or -1 when it gave it back).
int read_by_units(const std::string& bytes, const DecodeOptions& opt = {}) {
    int seen = 0;
    try {
        const bool took = decode_units(bytes, opt, "BulkConfirmUnit",
                                       {[](const pugi::xml_node&, size_t) {}, [&](const pugi::xml_node&) { ++seen; }});
        return took ? seen : -1;
    } catch (const OqsError&) {
        return -1;
    }
}

}  // namespace

TEST_CASE("a bulk answer is read one unit at a time, and any odd shape the same as from the whole file",
          "[oqs][paths]") {
    const std::vector<std::string> three = {unit(1), unit(2), unit(3)};
    CHECK(read_by_units(bulk(three)) == 3);
    CHECK(read_by_units(bulk(three, "<ProcessingResultStatus>1</ProcessingResultStatus>", "<Extra/>", "")) == 3);
    same_on_both_paths(bulk(three));
    same_on_both_paths(bulk(three, "<ProcessingResultStatus>1</ProcessingResultStatus>", "<Extra>x</Extra>", ""));
    const Message m = parse_message(bulk(three), MessageKind::Muquc02Res);
    REQUIRE(m.body.units.size() == 3);
    CHECK(m.body.units[2].search->arbitrary_identifier == "3_1");
    CHECK(m.body.units[0].results.at(0).name == "資格 五郎");

    // Shapes the reader gives back to the whole-file path: each must come out as from parse_file.
    const std::vector<std::string> odd = {
        bulk({"<!-- " + unit(1) + " -->"}),                                         // a commented-out unit
        bulk({"<!-- x -->" + unit(1)}),                                             // a comment before the run
        bulk({"<BulkConfirmUnit a=\"1\">" + unit(1).substr(17)}),                   // an attribute
        bulk({unit(1), "<BulkConfirmUnit/>", unit(2)}),                              // an empty unit in the run
        bulk({"<BulkConfirmUnit/>", unit(2)}),                                       // … or before it
        bulk({unit(1).substr(0, unit(1).size() - 1) + " >", unit(2)}),              // "</BulkConfirmUnit >"
        bulk({unit(1, "<![CDATA[</BulkConfirmUnit>]]>"), unit(2)}),                 // the end tag in CDATA
        bulk({unit(1, "<!-- </BulkConfirmUnit> -->"), unit(2)}),                    // … in a comment
        bulk({unit(1, unit(9)), unit(2)}),                                          // a unit in a unit
        bulk({unit(1), unit(2)}, "", "", "junk"),                                   // text between units
        bulk({unit(1), unit(2)}, "", "", "<ProcessingResultStatus>1</ProcessingResultStatus>"),  // interleaved
        bulk({unit(1)}, "&", "amp;"),                                               // a reference cut by the run
        bulk({unit(1)}, "", "&amp"),                                                // a bad one after it
        bulk({unit(1, "<Name>&#0;</Name>")}),                                       // a forbidden reference
        bulk({unit(1, "<X a='&bogus;'/>")}),                                        // … in an attribute
        bulk({unit(1).substr(0, unit(1).size() - 18)}),                             // never closed
        bulk({unit(1)}, "<?pi x?>"),                                                // a processing instruction
        bulk({unit(1, "<QualificationConfirmSearchInfo/>")}),                       // a repeat the table refuses
        bulk({unit(1, "<ReferenceNumber>1</ReferenceNumber><ReferenceNumber>2</ReferenceNumber><U><V/></U>")}),
        bulk({unit(1, "text")}),                                                    // mixed content
        bulk({unit(1)}) + "<BulkConfirmUnit></BulkConfirmUnit>",                    // a unit after the root
        "<XmlMsg><MessageHeader>" + unit(1) + "</MessageHeader><MessageBody/></XmlMsg>",  // a unit in the header
        "<XmlMsg><MessageBody a='1'>" + unit(1) + "</MessageBody><MessageHeader/></XmlMsg>",
        "<XmlMsg><MessageHeader/><MessageBody>" + unit(1) + "</MessageBody></XmlMsg>",  // no declaration
        "<?xml version=\"1.0\"?><Other><MessageBody>" + unit(1) + "</MessageBody></Other>",
        "<?xml version=\"1.0\"?><XmlMsg><MessageBody>" + unit(1) + "</MessageBody><MessageBody/></XmlMsg>",
        bulk({unit(1)}).replace(bulk({unit(1)}).find("<CharacterCodeIdentifier>0"), 26,
                                "<CharacterCodeIdentifier>1"),  // the header disagrees with the declaration
    };
    for (const std::string& bytes : odd) {
        INFO(bytes);
        same_on_both_paths(bytes);
    }
    CHECK(read_by_units(odd[0]) == -1);
    CHECK(read_by_units(odd[2]) == -1);
    CHECK(read_by_units(odd[5]) == -1);
    CHECK(read_by_units(odd[6]) == -1);
    CHECK(read_by_units(odd[8]) == -1);
    CHECK(read_by_units(odd[11]) == -1);

    // A Shift_JIS answer takes the same reader after ICU.
    const std::string utf8 = bulk(three);
    std::string sjis = to_utf8(utf8, Encoding::Utf8);
    sjis.replace(sjis.find("UTF-8"), 5, "Shift_JIS");
    sjis.replace(sjis.find("<CharacterCodeIdentifier>0"), 26, "<CharacterCodeIdentifier>1");
    sjis = from_utf8(sjis, Encoding::ShiftJis);
    CHECK(read_by_units(sjis) == 3);
    same_on_both_paths(sjis);
}

TEST_CASE("the unit-at-a-time reader holds every limit of the whole file", "[oqs][paths]") {
    std::vector<std::string> units;
    for (int i = 0; i < 20; ++i) units.push_back(unit(i));
    const std::string bytes = bulk(units);
    // 20 units of 3 records and 8 elements each, 5 elements around them; units sit at depth 2 and nest 2 more.
    for (size_t records : {59, 60}) {
        DecodeOptions opt;
        opt.max_records = records;
        INFO("max_records " << records);
        CHECK(read_by_units(bytes, opt) == (records >= 60 ? 20 : -1));
        same_on_both_paths(bytes, opt);
    }
    for (size_t elements : {164, 165}) {
        DecodeOptions opt;
        opt.max_elements = elements;
        INFO("max_elements " << elements);
        CHECK(read_by_units(bytes, opt) == (elements >= 165 ? 20 : -1));
        same_on_both_paths(bytes, opt);
    }
    for (size_t depth : {3, 4}) {
        DecodeOptions opt;
        opt.max_depth = depth;
        INFO("max_depth " << depth);
        CHECK(read_by_units(bytes, opt) == (depth >= 4 ? 20 : -1));
        same_on_both_paths(bytes, opt);
    }
    DecodeOptions small;
    small.max_bytes = bytes.size() - 1;
    CHECK(read_by_units(bytes, small) == -1);
    same_on_both_paths(bytes, small);
}

namespace {

// Whether the fast path took the whole file (the units it gave out, or -1 when it gave the file back).
int read_plain(const std::string& bytes, const DecodeOptions& opt = {}) {
    int seen = 0;
    try {
        PlainTree tree;
        const bool took = decode_plain(
            bytes, opt, "BulkConfirmUnit", [&](const PlainTree&, std::uint32_t, size_t) { ++seen; }, tree);
        return took ? seen : -1;
    } catch (const OqsError&) {
        return -1;
    }
}

}  // namespace

TEST_CASE("the fast path takes plain XML only, and reads it as the DOM path does", "[oqs][paths]") {
    const std::vector<std::string> three = {unit(1), unit(2), unit(3)};
    CHECK(read_plain(bulk(three)) == 3);
    CHECK(read_plain(bulk(three, "<ProcessingResultStatus>1</ProcessingResultStatus>", "<Extra><A/><B>x</B></Extra>")) == 3);
    CHECK(read_plain(face_with_name("資格 七夫")) == 0);
    CHECK(read_plain("\xEF\xBB\xBF<XmlMsg>\r\n  <MessageHeader/>\r\n<MessageBody/></XmlMsg>\r\n") == 0);
    CHECK(read_plain(face_with_name("a&amp;b&#x3042;\r\nc\rd")) == 0);
    const Message m = parse_message(face_with_name("a&amp;b&#x3042;\r\nc\rd"), MessageKind::Face);
    REQUIRE(m.body.results);
    CHECK(m.body.results->at(0).name == "a&b\xE3\x81\x82\nc\nd");
    // A unit between other children of the body, an empty one, and one with an element the model does not name.
    const std::string mixed = bulk({unit(1, "<U><V>1</V><W/></U>"), "<BulkConfirmUnit/>", unit(2)},
                                   "<ProcessingResultStatus>1</ProcessingResultStatus>",
                                   "<QualificationValidity>1</QualificationValidity>", "\r\n\t");
    CHECK(read_plain(mixed) == 3);
    same_on_both_paths(mixed);

    // Shapes it gives back: each must come out of parse_message as from parse_file.
    const std::vector<std::string> given_back = {
        face_with_name("<!-- c -->x"),                                      // a comment
        face_with_name("<![CDATA[x]]>"),                                     // CDATA
        face_with_name("x<?pi y?>"),                                         // a processing instruction
        face_with_name("x</Name ><Name>y"),                                  // whitespace in an end tag
        face_with_name("x</Name><Name a='1'>y"),                             // an attribute
        face_with_name("x</Name><名前>y</名前><Name>z"),                     // a name outside ASCII
        face_with_name("x<Sub/>y"),                                          // mixed content
        face_with_name("\x01"),                                              // a control character
        face_with_name("\xE3\x81"),                                          // UTF-8 cut short
        face_with_name("&#0;"),                                              // a forbidden reference
        face_with_name("&bogus;"),                                           // an undefined entity
        face_with_name("x") + "<More/>",                                     // a second root
        face_with_name("x") + "text",                                        // text after the root
        "<!DOCTYPE XmlMsg>" + face_with_name("x"),                           // a DOCTYPE
        "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><XmlMsg><MessageHeader><CharacterCodeIdentifier>0"
        "</CharacterCodeIdentifier></MessageHeader><MessageBody/></XmlMsg>",  // the header disagrees
        "<Other><MessageBody/></Other>",                                     // another root
        "<XmlMsg><MessageBody>" + unit(1),                                   // never closed
        "<XmlMsg><MessageHeader></MessageBody></XmlMsg>",                    // end tags that do not match
    };
    for (const std::string& bytes : given_back) {
        INFO(bytes);
        CHECK(read_plain(bytes) == -1);
        same_on_both_paths(bytes);
    }
}

TEST_CASE("the fast path holds every limit of the whole file", "[oqs][paths]") {
    std::vector<std::string> units;
    for (int i = 0; i < 20; ++i) units.push_back(unit(i));
    const std::string bytes = bulk(units);
    for (size_t records : {59, 60}) {
        DecodeOptions opt;
        opt.max_records = records;
        CHECK(read_plain(bytes, opt) == (records >= 60 ? 20 : -1));
    }
    for (size_t elements : {164, 165}) {
        DecodeOptions opt;
        opt.max_elements = elements;
        CHECK(read_plain(bytes, opt) == (elements >= 165 ? 20 : -1));
    }
    for (size_t depth : {3, 4}) {
        DecodeOptions opt;
        opt.max_depth = depth;
        CHECK(read_plain(bytes, opt) == (depth >= 4 ? 20 : -1));
    }
    DecodeOptions small;
    small.max_bytes = bytes.size() - 1;
    CHECK(read_plain(bytes, small) == -1);
}

TEST_CASE("the fast path and the DOM path agree on every one-byte change of a plain answer", "[oqs][paths]") {
    const std::string base = bulk({unit(1, "<U>&amp;</U>"), unit(2)});
    REQUIRE(read_plain(base) == 2);
    // Each byte replaced by characters that end, start or break a tag, a text or a reference.
    for (size_t at = 0; at < base.size(); ++at) {
        for (const char* with : {"<", ">", "/", "&", " ", "\r", "\x01", "\xC3", "\xE3\x81\x82", "a", ""}) {
            std::string bytes = base;
            bytes.replace(at, 1, with);
            INFO("offset " << at << " with \"" << with << "\"");
            Message direct, dom;
            const std::string a = outcome([&] { direct = parse_message(bytes, MessageKind::Muquc02Res); });
            const std::string b = outcome([&] { dom = parse_file(bytes, MessageKind::Muquc02Res).message; });
            REQUIRE(a == b);
            if (a == "ok") REQUIRE(direct == dom);
        }
    }
}
