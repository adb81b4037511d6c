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
