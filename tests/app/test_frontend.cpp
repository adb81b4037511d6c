// GPU-less tests of the kiosk shell: the same Frontend as the window, driven by scripts.
#include <catch2/catch.hpp>

#include "tests/app/harness.hpp"

using namespace onshi;
using namespace onshi::kiosk;
using onshi::kiosk::test::Harness;

TEST_CASE("frontend: standby shows the patient message and the demo banner only in training mode") {
    {
        Harness demo(true);
        CHECK(
            demo.run(
                "wait frames 2\nassert screen standby\nassert text カードを置いてください\nassert text 研修モード\n") ==
            0);
    }
    Harness live(false);
    CHECK(live.run("wait frames 2\nassert no-text 研修モード\n") == 0);
}

TEST_CASE("frontend: 職員用 opens staff authentication, 中止 returns and clears the entry") {
    Harness h;
    REQUIRE(h.run("wait frames 2\ntap staff\nwait screen staff_auth\ntap staff:S01\npad 12\nassert text ●●\n"
                  "tap abort\nwait screen aborted\ntap ok\nwait screen standby\n") == 0);
    CHECK(h.fe.entries().passcode.empty());
    CHECK(h.ledger.applied.empty());
}

TEST_CASE("frontend: the pad masks digits, caps the length and 訂正 clears") {
    {
        Harness h;
        REQUIRE(h.run("wait frames 2\ntap staff\nwait screen staff_auth\ntap staff:S01\npad 12345678\n") == 0);
        CHECK(h.fe.entries().passcode == "12345678");
        CHECK(h.fe.last_frame().shows_text("●●●●●●●●"));
        CHECK_FALSE(h.fe.last_frame().shows_text("1234"));
        // Past 8 digits the keys are disabled: a ninth tap cannot land.
        const WidgetRect* nine = h.fe.last_frame().find("key:9");
        REQUIRE(nine);
        CHECK_FALSE(nine->enabled);
    }
    Harness h2;
    REQUIRE(h2.run("wait frames 2\ntap staff\nwait screen staff_auth\ntap staff:S01\npad 42\ntap key:clear\nassert "
                   "no-text ●\n") == 0);
    CHECK(h2.fe.entries().passcode.empty());
}

TEST_CASE("frontend: a failing script reports the line and exits 3") {
    Harness h;
    CHECK(h.run("wait frames 1\nassert screen staff_auth\n") == 3);
    CHECK_THAT(h.fe.script_failure(), Catch::Contains("line 2") && Catch::Contains("standby"));
}

TEST_CASE("frontend: every touch target is at least 48 px on every screen") {
    for (const char* screen : {"standby", "staff_auth"}) {
        Harness h;
        std::string s = std::string("wait frames 2\n") +
                        (std::string(screen) == "staff_auth" ? "tap staff\ntap staff:S01\n" : "") + "wait screen " +
                        screen + "\nwait frames 2\n";
        REQUIRE(h.run(s) == 0);
        const auto& widgets = h.fe.last_frame().widgets;
        REQUIRE_FALSE(widgets.empty());
        for (const auto& w : widgets) {
            INFO(screen << " widget " << w.id);
            CHECK(w.max.x - w.min.x >= 48.f);
            CHECK(w.max.y - w.min.y >= 48.f);
        }
    }
}

TEST_CASE("frontend: nothing drawn uses a glyph the atlas lacks") {
    Harness h(true);
    REQUIRE(h.run("wait frames 3\ntap staff\nwait screen staff_auth\nwait frames 2\n") == 0);
    for (const auto& t : h.fe.last_frame().texts)
        for_each_codepoint(t, [&](unsigned c) {
            INFO("text '" << t << "' codepoint U+" << std::hex << c);
            CHECK((c < 0x80 || h.fe.fonts().has_glyph(c)));
        });
}
