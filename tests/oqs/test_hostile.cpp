// Hostile and oversized OQS files: character references and control characters XML forbids, and the
// memory limits of DecodeOptions (docs/security.md, "OQS XML messages"). Big files are generated here.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "core/oqs/error.hpp"
#include "core/oqs/json_view.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"
#include "core/util/files.hpp"

using namespace onshi::oqs;

namespace {

std::string fixture_utf8() {
    auto bytes = onshi::files::read(std::string(ONSHI_SOURCE_DIR) +
                                    "/assets/oqs/fixtures/OQSsiquc01res_face_utf8_20230605093000.xml");
    REQUIRE(bytes);
    return *bytes;
}

// The fixture with its <Name> text replaced by `name` (raw XML, references allowed).
std::string with_name(const std::string& name) {
    std::string x = fixture_utf8();
    const std::string from = "<Name>資格 七夫</Name>";
    auto at = x.find(from);
    REQUIRE(at != std::string::npos);
    return x.replace(at, from.size(), "<Name>" + name + "</Name>");
}

struct Outcome {
    std::optional<ErrorKind> kind;
    std::string what;
};

Outcome parse(const std::string& bytes, MessageKind k = MessageKind::Face, const DecodeOptions& opt = {}) {
    try {
        ParsedFile f = parse_file(bytes, k, opt);
        (void)parse_json(f).dump();  // a file that decodes must also print
    } catch (const OqsError& e) {
        return {e.kind, e.what()};
    }
    return {};
}

std::string repeat(const std::string& s, size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (size_t i = 0; i < n; ++i) out += s;
    return out;
}

std::string siquc01res_with_records(const std::string& records) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult>"
           "</MessageHeader><MessageBody><ProcessingResultStatus>1</ProcessingResultStatus><ResultList>" +
           records + "</ResultList></MessageBody></XmlMsg>\n";
}

// A 一括照会 result like the one bench/oqs.cpp measures: `n` units, each with the search echo and one record.
std::string bulk_result(int n) {
    Message m;
    m.kind = MessageKind::Muquc02Res;
    m.header.medical_institution_code = "1312345678";
    m.header.segment_of_result = "1";
    m.header.character_code_identifier = "0";
    for (int i = 0; i < n; ++i) {
        BulkConfirmUnit u;
        SearchInfo s;
        s.insurer_number = "  133033";
        s.insured_card_symbol = "葛う10";
        s.insured_identification_number = "16399602" + std::to_string(10000 + i);
        s.insured_branch_number = "01";
        s.birthdate = "19900101";
        s.limit_application_certificate_related_cons_flg = "1";
        s.arbitrary_identifier = std::to_string(i) + "_1";
        u.search = s;
        u.processing_result_status = "1";
        u.qualification_validity = "1";
        QualificationRecord r;
        r.insured_card_classification = "01";
        r.insurer_number = "  133033";
        r.insured_card_symbol = "葛う10";
        r.insured_identification_number = *s.insured_identification_number;
        r.insured_branch_number = "01";
        r.personal_family_classification = "1";
        r.name = "資格 五郎";
        r.name_kana = "ｼｶｸ ｺﾞﾛｳ";
        r.sex1 = "1";
        r.birthdate = "19900101";
        r.qualification_date = "20120401";
        r.insurer_name = "全国土木建築国民健康保険組合";
        r.limit_application_consent = {"1", "20230605093000", std::nullopt};
        r.pharmacists = {"1", "20230605093000", "20230705235959"};
        u.results = {r};
        m.body.units.push_back(std::move(u));
    }
    return serialize(m, Encoding::Utf8);
}

}  // namespace

TEST_CASE("character references to code points XML forbids are Malformed, naming the element", "[oqs][hostile]") {
    for (const char* ref : {"&#xD800;", "&#xDFFF;", "&#x110000;", "&#99999999999;", "&#xFFFE;", "&#xFFFF;", "&#0;",
                            "&#x0;", "&#1;", "&#x1F;", "&#8;", "&#x0000000000000000000041;&#0;"}) {
        INFO(ref);
        Outcome o = parse(with_name(std::string("資格") + ref + "　一郎"));
        CHECK(o.kind == ErrorKind::Malformed);
        CHECK(o.what.find("<Name>") != std::string::npos);
        CHECK(o.what.find("character reference") != std::string::npos);
    }
    Outcome nul = parse(with_name("資格&#0;　一郎"));
    CHECK(nul.what.find("NUL") != std::string::npos);
    // Broken references are not passed through as text either.
    for (const char* bad : {"&#;", "&#x;", "&#12a;", "&#xG1;", "&#X41;", "&foo;", "A & B", "&", "&#65"}) {
        INFO(bad);
        CHECK(parse(with_name(bad)).kind == ErrorKind::Malformed);
    }
}

TEST_CASE("a NUL reference never truncates a name", "[oqs][hostile]") {
    // Before the check, pugixml decoded &#0; into a NUL byte and the name became 「資格」.
    try {
        ParsedFile f = parse_file(with_name("資格&#0;　一郎"), MessageKind::Face);
        FAIL("decoded as " << f.message.body.results->at(0).name.value_or("?"));
    } catch (const OqsError& e) {
        CHECK(e.kind == ErrorKind::Malformed);
    }
}

TEST_CASE("raw control characters are Malformed, in UTF-8 and in Shift_JIS after conversion", "[oqs][hostile]") {
    for (char c : {'\x01', '\x08', '\x0B', '\x0C', '\x1B', '\x1F'}) {
        INFO(int(c));
        Outcome o = parse(with_name(std::string("資格") + c + "　一郎"));
        CHECK(o.kind == ErrorKind::Malformed);
        CHECK(o.what.find("control character") != std::string::npos);
        CHECK(o.what.find("after <Name>") != std::string::npos);
        CHECK(o.what.find("line 22") != std::string::npos);
    }
    // A raw NUL byte (pugixml would stop at it) and one inside a comment.
    CHECK(parse(with_name(std::string("資格") + '\0' + "一郎")).kind == ErrorKind::Malformed);
    CHECK(parse(with_name("資格<!-- \x02 -->一郎")).kind == ErrorKind::Malformed);

    // Shift_JIS: control bytes map to U+0001… through CP932 and are checked after conversion.
    auto sj = onshi::files::read(std::string(ONSHI_SOURCE_DIR) +
                                 "/assets/oqs/fixtures/OQSsiquc01res_face_sjis_20230605093000.xml");
    REQUIRE(sj);
    REQUIRE(parse(*sj).kind == std::nullopt);
    std::string name = from_utf8("<Name>資格 七夫</Name>", Encoding::ShiftJis);
    auto at = sj->find(name);
    REQUIRE(at != std::string::npos);
    std::string raw = *sj;
    raw.replace(at, name.size(),
                from_utf8("<Name>資格", Encoding::ShiftJis) + "\x01" + from_utf8("一郎</Name>", Encoding::ShiftJis));
    CHECK(parse(raw).kind == ErrorKind::Malformed);
    std::string ref = *sj;
    ref.replace(at, name.size(), from_utf8("<Name>資格&#0;一郎</Name>", Encoding::ShiftJis));
    CHECK(parse(ref).kind == ErrorKind::Malformed);
    std::string surrogate = *sj;
    surrogate.replace(at, name.size(), from_utf8("<Name>資格&#xD800;一郎</Name>", Encoding::ShiftJis));
    CHECK(parse(surrogate).kind == ErrorKind::Malformed);
}

TEST_CASE("attribute values are checked like texts", "[oqs][hostile]") {
    std::string x = fixture_utf8();
    auto at = x.find("<Name>");
    REQUIRE(at != std::string::npos);
    std::string a = x;
    a.replace(at, 6, "<Name note=\"&#0;\">");
    CHECK(parse(a).kind == ErrorKind::Malformed);
    a = x;
    a.replace(at, 6, "<Name note=\"&#xD800;\">");
    CHECK(parse(a).kind == ErrorKind::Malformed);
    a = x;
    a.replace(at, 6, "<Name note=\"ok &amp; &#x41;\">");
    CHECK(parse(a).kind == std::nullopt);
}

TEST_CASE("allowed references decode, and tab, LF and CR survive a write and a read", "[oqs][hostile]") {
    ParsedFile f = parse_file(with_name("&#x8cc7;&#26684;&#9;A&lt;B&gt;&amp;&apos;&quot;&#10;&#13;<![CDATA[&#0;]]>"),
                              MessageKind::Face);
    const std::string name = *f.message.body.results->at(0).name;
    CHECK(name == "資格\tA<B>&'\"\n\r&#0;");
    ParsedFile again = parse_file(serialize(f.message, Encoding::Utf8), MessageKind::Face);
    CHECK(again.message == f.message);
    // A text of only spaces is data, and stays so through a write and a read.
    ParsedFile spaces = parse_file(with_name("  "), MessageKind::Face);
    CHECK(spaces.message.body.results->at(0).name == "  ");
    CHECK(parse_file(serialize(spaces.message, Encoding::Utf8), MessageKind::Face).message == spaces.message);
    // An empty group written over several lines is empty, not text.
    std::string empty = fixture_utf8();
    auto at = empty.find("<LimitApplicationCertificateRelatedInfo>");
    auto end = empty.find("</LimitApplicationCertificateRelatedInfo>");
    REQUIRE((at != std::string::npos && end != std::string::npos));
    empty.replace(at, end - at, "<LimitApplicationCertificateRelatedInfo>\n      ");
    CHECK(parse(empty).kind == std::nullopt);
}

TEST_CASE("the JSON view never throws: padded insurer numbers keep whole characters", "[oqs][hostile]") {
    std::string x = fixture_utf8();
    auto at = x.find("<InsurerNumber>39470000</InsurerNumber>");
    REQUIRE(at != std::string::npos);
    // A text that starts with a character whose first UTF-8 byte is U+3000's (E3): trimming the padding
    // byte by byte cut it in half, and dump() threw.
    x.replace(at, 39, "<InsurerNumber>　あいう </InsurerNumber>");
    ParsedFile f = parse_file(x, MessageKind::Face);
    std::string dumped;
    REQUIRE_NOTHROW(dumped = parse_json(f).dump());
    CHECK(parse_json(f)["derived"]["results"][0]["insurer_number"] == "あいう");

    // A message built in memory with broken bytes prints U+FFFD instead of throwing.
    Message m = f.message;
    m.body.results->at(0).name = std::string("資格\xFF\xE3\x80");
    m.body.results->at(0).extra.push_back(Element{"X\xC0", "\xED\xA0\x80", {}});
    ParsedFile built;
    built.message = m;
    built.document.root = write_message(m);
    REQUIRE_NOTHROW(dumped = parse_json(built).dump());
    CHECK(dumped.find("資格\uFFFD\uFFFD") != std::string::npos);
    // …and never reaches a file.
    CHECK_THROWS_AS(serialize(m, Encoding::Utf8), OqsError);
}

TEST_CASE("text XML cannot carry is refused when a message is written", "[oqs][hostile]") {
    Message m = parse_file(fixture_utf8(), MessageKind::Face).message;
    for (const char* bad : {"\x01", "\xEF\xBF\xBF" /* U+FFFF */, "\xEF\xBF\xBE" /* U+FFFE */}) {
        m.body.results->at(0).name = std::string("資格") + bad;
        try {
            serialize(m, Encoding::Utf8);
            FAIL("written");
        } catch (const OqsError& e) {
            CHECK(e.kind == ErrorKind::Usage);
            CHECK(std::string(e.what()).find("<Name>") != std::string::npos);
        }
    }
}

TEST_CASE("helpers: first_non_xml_char and first_invalid_utf8", "[oqs][hostile]") {
    CHECK(first_non_xml_char("資格 一郎\t\r\n") == std::string::npos);
    CHECK(first_non_xml_char("ab\x01") == 2);
    CHECK(first_non_xml_char("a\xEF\xBF\xBE") == 1);                      // U+FFFE
    CHECK(first_non_xml_char("a\xF0\x9F\x98\x80") == std::string::npos);  // U+1F600
    CHECK(first_invalid_utf8("a\xED\xA0\x80") == 1);                      // a surrogate
    CHECK(first_invalid_utf8("\xC0\x80") == 0);                           // overlong NUL
    CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0);                   // past U+10FFFF
    CHECK(first_invalid_utf8("ok\xE3\x81") == 2);                         // truncated
    CHECK(first_invalid_utf8("\x01\xEF\xBF\xBF") == std::string::npos);
}

TEST_CASE("limits: a 10,000-unit bulk result parses with the defaults", "[oqs][limits]") {
    const std::string bytes = bulk_result(10000);
    DecodeOptions opt;
    CHECK(bytes.size() < opt.max_bytes / 2);
    ParsedFile f = parse_file(bytes, MessageKind::Muquc02Res);
    REQUIRE(f.message.body.units.size() == 10000);
    CHECK(qualification_result(f.message, f.message.body.units.back()).status == Status::Valid);
}

TEST_CASE("limits: each one refuses a file just over it, and is configurable", "[oqs][limits]") {
    const DecodeOptions def;
    SECTION("records") {
        const std::string over =
            siquc01res_with_records(repeat("<ResultOfQualificationConfirmation/>", def.max_records + 1));
        Outcome o = parse(over, MessageKind::Siquc01Res);
        CHECK(o.kind == ErrorKind::TooLarge);
        CHECK(o.what.find("records") != std::string::npos);
        CHECK(parse(siquc01res_with_records(repeat("<ResultOfQualificationConfirmation/>", def.max_records)),
                    MessageKind::Siquc01Res)
                  .kind == std::nullopt);
        DecodeOptions small;
        small.max_records = 3;
        CHECK(parse(siquc01res_with_records(repeat("<ResultOfQualificationConfirmation/>", 3)), MessageKind::Siquc01Res,
                    small)
                  .kind == std::nullopt);
        CHECK(parse(siquc01res_with_records(repeat("<ResultOfQualificationConfirmation/>", 4)), MessageKind::Siquc01Res,
                    small)
                  .kind == ErrorKind::TooLarge);
        // Empty bulk units and medical tickets count too.
        small.max_records = 2;
        CHECK(parse("<XmlMsg><MessageHeader/><MessageBody><BulkConfirmUnit/><BulkConfirmUnit/><BulkConfirmUnit/>"
                    "</MessageBody></XmlMsg>",
                    MessageKind::Muquc02Res, small)
                  .kind == ErrorKind::TooLarge);
        CHECK(parse(siquc01res_with_records("<ResultOfQualificationConfirmation><PublicExpenseResultList>"
                                            "<MedicalTicketInfo/><MedicalTicketInfo/></PublicExpenseResultList>"
                                            "</ResultOfQualificationConfirmation>"),
                    MessageKind::Siquc01Res, small)
                  .kind == ErrorKind::TooLarge);
    }
    SECTION("elements, counted on the parsed tree") {
        // Self-closing elements: one tag each, so the count before parsing lets them through to pugixml.
        const std::string over =
            siquc01res_with_records("<ResultOfQualificationConfirmation>" + repeat("<x/>", def.max_elements) +
                                    "</ResultOfQualificationConfirmation>");
        Outcome o = parse(over, MessageKind::Siquc01Res);
        CHECK(o.kind == ErrorKind::TooLarge);
        CHECK(o.what.find("elements") != std::string::npos);
        CHECK(o.what.find("tags") == std::string::npos);  // not the count before parsing
    }
    SECTION("elements, counted before parsing") {
        const std::string over = siquc01res_with_records(repeat("<x></x>", def.max_elements + 1));
        Outcome o = parse(over, MessageKind::Siquc01Res);
        CHECK(o.kind == ErrorKind::TooLarge);
        CHECK(o.what.find("tags") != std::string::npos);
        DecodeOptions small;
        small.max_elements = 20;
        CHECK(parse(fixture_utf8(), MessageKind::Face, small).kind == ErrorKind::TooLarge);
        small.max_elements = 40;
        CHECK(parse(fixture_utf8(), MessageKind::Face, small).kind == std::nullopt);
    }
    SECTION("depth") {
        std::string deep = "<XmlMsg><MessageHeader/><MessageBody>" + repeat("<a>", def.max_depth) +
                           repeat("</a>", def.max_depth) + "</MessageBody></XmlMsg>";
        Outcome o = parse(deep, MessageKind::Siquc01Res);
        CHECK(o.kind == ErrorKind::Malformed);
        CHECK(o.what.find("nested too deeply") != std::string::npos);
        // One level less fits.
        std::string fits = "<XmlMsg><MessageHeader/><MessageBody>" + repeat("<a>", def.max_depth - 1) +
                           repeat("</a>", def.max_depth - 1) + "</MessageBody></XmlMsg>";
        CHECK(parse(fits, MessageKind::Siquc01Res).kind == std::nullopt);
        // Very deep nesting is refused without recursing into it.
        std::string hostile = "<XmlMsg>" + repeat("<a>", 200000) + repeat("</a>", 200000) + "</XmlMsg>";
        CHECK(parse(hostile, MessageKind::Siquc01Res).kind == ErrorKind::Malformed);
    }
    SECTION("bytes") {
        std::string over = fixture_utf8();
        over.append(def.max_bytes + 1 - over.size(), '\n');
        Outcome o = parse(over);
        CHECK(o.kind == ErrorKind::TooLarge);
        CHECK(o.what.find("exceeds the limit") != std::string::npos);
    }
}
