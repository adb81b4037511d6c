#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "app/kiosk/fonts.hpp"
#include "app/kiosk/platform.hpp"

using namespace onshi::kiosk;

TEST_CASE("fonts: face 0 of the Noto CJK collection is the Japanese face") {
    // fontconfig's own reading of the TTC, so a reordered package is caught here.
    FontConfig cfg;
    std::string cmd = "fc-query -f '%{index}:%{family[0]}\\n' " + cfg.path;
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    REQUIRE(p);
    char line[256];
    std::string first;
    if (std::fgets(line, sizeof line, p.get())) first = line;
    CHECK(first.rfind(std::to_string(cfg.face) + ":Noto Sans CJK JP", 0) == 0);
}

TEST_CASE("fonts: surname glyphs outside the Japanese ranges are added at run time") {
    HeadlessContext ctx(1280, 800);
    Fonts fonts;
    REQUIRE(fonts.build(1.f));
    CHECK(fonts.has_glyph(U'カ'));
    CHECK_FALSE(fonts.has_glyph(0x9AD9));  // 髙
    CHECK_FALSE(fonts.has_glyph(0xFA11));  // 﨑
    int rebuilt = 0;
    fonts.on_rebuilt = [&] { ++rebuilt; };
    fonts.need("髙橋 﨑山 カナ");
    CHECK(fonts.rebuild_pending());
    CHECK(fonts.rebuild_if_needed());
    CHECK(rebuilt == 1);
    CHECK(fonts.has_glyph(0x9AD9));
    CHECK(fonts.has_glyph(0xFA11));
    CHECK(fonts.extra_glyph_count() == 2);
    // Asking again costs nothing: no second rebuild.
    fonts.need("髙﨑");
    CHECK_FALSE(fonts.rebuild_if_needed());
    CHECK(rebuilt == 1);
}

TEST_CASE("fonts: a codepoint outside the BMP is reported, not retried forever") {
    HeadlessContext ctx(1280, 800);
    Fonts fonts;
    REQUIRE(fonts.build(1.f));
    fonts.need("\xF0\xA0\xAE\xB7");  // 𠮷 U+20BB7: Debian's 16-bit ImWchar cannot hold it
    CHECK_FALSE(fonts.rebuild_pending());
    CHECK(fonts.unrenderable_count() == 1);
}

TEST_CASE("fonts: a missing font file is a reported failure with a usable fallback atlas") {
    HeadlessContext ctx(1280, 800);
    FontConfig cfg;
    cfg.path = "/nonexistent/font.ttc";
    Fonts fonts(cfg);
    CHECK_FALSE(fonts.build(1.f));
    CHECK_FALSE(fonts.cjk_loaded());
    CHECK(fonts.body() != nullptr);
}
