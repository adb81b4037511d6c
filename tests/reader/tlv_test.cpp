// Unit tests without pcscd: BER-TLV, 照合番号B, images, authenticity on hand-made data.
#include <catch2/catch.hpp>

#include "reader/mynumber/authenticity.hpp"
#include "reader/mynumber/card_face.hpp"
#include "reader/mynumber/collation.hpp"
#include "reader/mynumber/image.hpp"
#include "reader/mynumber/tlv.hpp"

using namespace onshi;
using namespace onshi::reader;

TEST_CASE("BER-TLV: multi-byte tags and long lengths") {
    Bytes big(300, 0xAB), out;
    append_tlv(out, 0xDF27, big);
    REQUIRE(out[0] == 0xDF);
    REQUIRE(out[2] == 0x82);
    Tlv t = parse_tlv(out);
    CHECK(t.tag == 0xDF27);
    CHECK(t.value.size() == 300);
    CHECK(t.header == 5);
    CHECK(tlv_total_size(std::span(out).first(5)) == 305u);
    CHECK_FALSE(tlv_total_size(std::span(out).first(2)).has_value());
    Bytes small;
    append_tlv(small, 0xFF10, Bytes{'1', '2'});
    small.push_back(0xFF);  // filler ends the list
    auto l = parse_tlv_list(small);
    REQUIRE(l.size() == 1);
    CHECK(l[0].tag == 0xFF10);
}

TEST_CASE("BER-TLV: truncated or malformed input is an error, not a crash") {
    CHECK_THROWS_AS(parse_tlv(Bytes{0xDF, 0x22, 0x08, '1'}), TlvError);
    CHECK_THROWS_AS(parse_tlv(Bytes{0xDF, 0x22, 0x80}), TlvError);
    CHECK_THROWS_AS(parse_tlv(Bytes{0xDF, 0x22, 0x85, 1, 1, 1, 1, 1}), TlvError);
    CHECK_THROWS_AS(parse_tlv(Bytes{0xDF}), TlvError);
    CHECK_FALSE(tlv_total_size(Bytes{0xDF, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00}).has_value());  // fuzz find
    CHECK_THROWS_AS(parse_card_face(Bytes{0xFF, 0x20, 0x00}), CardError);
}

TEST_CASE("照合番号B: 和暦 birth date + expiry year + security code") {
    CHECK(collation_b(rules::Date{1980, 2, 17}, 2035, "2285") == "55021720352285");  // the digest's test card
    CHECK(collation_b(rules::Date{2020, 2, 24}, 2030, "0001") == "02022420300001");  // 令和2年
    CHECK(collation_b(rules::Date{1989, 1, 7}, 2030, "1111") == "64010720301111");   // 昭和64年
    CHECK(collation_b(rules::Date{1989, 1, 8}, 2030, "1111") == "01010820301111");   // 平成元年
    std::string why;
    CHECK_FALSE(collation_b("5502", "2035", "2285", &why));
    CHECK(why.find("6 digits") != std::string::npos);
    CHECK_FALSE(collation_b("550217", "35", "2285", &why));
    CHECK_FALSE(collation_b("550217", "2035", "22a5", &why));
    CHECK_FALSE(collation_b("551317", "2035", "2285", &why));
}

TEST_CASE("images: JPEG 2000 and PNG round trip to RGBA, damage is an ImageError") {
    std::vector<std::uint8_t> grey(64 * 80);
    for (std::size_t i = 0; i < grey.size(); ++i) grey[i] = static_cast<std::uint8_t>(i % 251);
    auto jp2 = encode_jp2_grey(grey, 64, 80);
    Image img = decode_jp2(jp2);
    CHECK(img.width == 64);
    CHECK(img.height == 80);
    CHECK(img.rgba.size() == 64u * 80 * 4);
    auto png = encode_png_grey(grey, 64, 80);
    Image p = decode_png(png);
    CHECK(p.width == 64);
    CHECK(p.rgba[4 * 10] == grey[10]);
    CHECK_THROWS_AS(decode_jp2(Bytes{1, 2, 3}), ImageError);
    jp2.resize(jp2.size() / 3);
    CHECK_THROWS_AS(decode_jp2(jp2), ImageError);
    CHECK_THROWS_AS(decode_png(Bytes{0x89, 'P', 'N', 'G'}), ImageError);
}

TEST_CASE("authenticity: verdict from the two checks") {
    Authenticity a;
    a.signature_ok = true;
    a.challenge_ok = true;
    settle_verdict(a);
    CHECK(a.verdict == Verdict::Genuine);
    a.challenge_ok = false;
    settle_verdict(a);
    CHECK(a.verdict == Verdict::ForgedSuspect);
    Authenticity b;
    b.challenge_ok = true;
    settle_verdict(b);
    CHECK(b.verdict == Verdict::Unverified);
    CHECK_FALSE(parse_ap_certificate(Bytes{0x7F, 0x21, 0x02, 0x00, 0x00}).has_value());
}
