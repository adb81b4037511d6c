#include <catch2/catch.hpp>

#include "app/kiosk/script.hpp"

using namespace onshi::kiosk;
using Op = ScriptStep::Op;

TEST_CASE("script: every step form parses with its argument and line") {
    auto steps = parse_script(
        "# comment\n"
        "\n"
        "tap staff\n"
        "tap 本人と確認しました\n"
        "pad 123456\n"
        "type 髙橋\n"
        "wait screen consent 5\n"
        "wait text 照会中\n"
        "wait frames 3\n"
        "wait seconds 0.5\n"
        "screenshot 01-standby\n"
        "assert screen standby\n"
        "assert text 有効\n"
        "assert no-text 資格 一郎\n"
        "quit\n");
    REQUIRE(steps.size() == 13);
    CHECK(steps[0].op == Op::Tap);
    CHECK(steps[0].arg == "staff");
    CHECK(steps[0].line == 3);
    CHECK(steps[1].arg == "本人と確認しました");
    CHECK(steps[2].op == Op::Pad);
    CHECK(steps[3].op == Op::Type);
    CHECK(steps[4].op == Op::WaitScreen);
    CHECK(steps[4].arg == "consent");
    CHECK(steps[4].number == 5);
    CHECK(steps[5].op == Op::WaitText);
    CHECK(steps[5].number == 10);  // the default timeout
    CHECK(steps[6].op == Op::WaitFrames);
    CHECK(steps[7].number == Approx(0.5));
    CHECK(steps[8].op == Op::Screenshot);
    CHECK(steps[11].op == Op::AssertNoText);
    CHECK(steps[11].arg == "資格 一郎");
    CHECK(steps[12].op == Op::Quit);
}

TEST_CASE("script: malformed lines are rejected with their line number") {
    CHECK_THROWS_WITH(parse_script("tap staff\nfly away\n"), Catch::Contains("line 2") && Catch::Contains("fly"));
    CHECK_THROWS_WITH(parse_script("tap\n"), Catch::Contains("line 1"));
    CHECK_THROWS_WITH(parse_script("wait screen\n"), Catch::Contains("needs a value"));
    CHECK_THROWS_WITH(parse_script("assert colour red\n"), Catch::Contains("unknown assert kind"));
    CHECK(parse_script("wait no-text x 3\n")[0].op == Op::WaitNoText);
    CHECK_THROWS_WITH(parse_script("wait file\n"), Catch::Contains("line 1") && Catch::Contains("needs a path"));
    CHECK_THROWS_WITH(parse_script("wait file go 7200\n"), Catch::Contains("'wait file'"));
    auto f = parse_script("wait file runs/go b 30\n");
    REQUIRE(f.size() == 1);
    CHECK(f[0].op == Op::WaitFile);
    CHECK(f[0].arg == "runs/go b");
    CHECK(f[0].number == 30);
}

// "wait frames 1e18" was undefined behaviour (a double out of int's range) and "wait seconds nan" never ended.
TEST_CASE("script: every number is finite and within its range, or the line is rejected") {
    for (const char* bad : {"1e18", "inf", "nan", "-1", "0", "1.5", "100001", "99999999999999999999", "3 x", "+3"}) {
        INFO(bad);
        CHECK_THROWS_WITH(parse_script(std::string("tap staff\nwait frames ") + bad + "\n"),
                          Catch::Contains("line 2") && Catch::Contains("between 1 and 100000") &&
                              Catch::Contains(std::string("got '") + bad + "'"));
    }
    for (const char* bad : {"nan", "inf", "-inf", "-1", "1e300", "1e999", "3600.5", "abc", "0x10", ""}) {
        INFO(bad);
        if (!*bad) continue;
        CHECK_THROWS_WITH(
            parse_script(std::string("wait seconds ") + bad + "\n"),
            Catch::Contains("line 1") && Catch::Contains("'wait seconds': expected seconds between 0 and 3600"));
    }
    // A trailing word that reads as a number is the timeout, so it must be in range too.
    for (const char* bad : {"nan", "inf", "-5", "1e300", "7200"}) {
        INFO(bad);
        CHECK_THROWS_WITH(parse_script(std::string("wait text 照会中 ") + bad + "\n"),
                          Catch::Contains("'wait text': expected seconds between 0 and 3600"));
        CHECK_THROWS_WITH(parse_script(std::string("wait screen consent ") + bad + "\n"),
                          Catch::Contains("'wait screen'"));
    }
    auto ok = parse_script(
        "wait frames 100000\nwait seconds 3600\nwait seconds 0\nwait screen consent 3600\n"
        "wait text 照会 abc\nwait frames\nwait no-text 残り 0.25\n");
    REQUIRE(ok.size() == 7);
    CHECK(ok[0].number == 100000);
    CHECK(ok[1].number == 3600);
    CHECK(ok[3].number == 3600);
    CHECK(ok[4].arg == "照会 abc");
    CHECK(ok[4].number == 10);
    CHECK(ok[5].number == 1);
    CHECK(ok[6].arg == "残り");
    CHECK(ok[6].number == Approx(0.25));
}

TEST_CASE("script: a tap presses on one frame and releases on the next at the widget centre") {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    FrameRecord last;
    last.screen = "standby";
    last.widgets.push_back({"staff", "職員用", ImVec2(100, 200), ImVec2(200, 260), true});
    ScriptRunner r(parse_script("tap 職員用\n"));
    r.before_frame(io, last, 0.0);
    CHECK(io.MouseDown[0]);
    CHECK(io.MousePos.x == 150);
    CHECK(io.MousePos.y == 230);
    io.MousePos = ImVec2(-1, -1);  // a platform backend rewrites the pointer every frame
    r.before_frame(io, last, 0.016);
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == 150);
    for (int i = 0; i < 4 && !r.done(); ++i) r.before_frame(io, last, 0.02 * i);
    CHECK(r.done());
    CHECK_FALSE(r.failed());
    ImGui::DestroyContext();
}

TEST_CASE("script: a missing or disabled widget fails after the wait, naming the screen") {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    FrameRecord last;
    last.screen = "staff_auth";
    last.widgets.push_back({"key:ok", "確定", ImVec2(0, 0), ImVec2(50, 50), false});
    ScriptRunner r(parse_script("tap key:ok\n"));
    r.before_frame(io, last, 0.0);
    CHECK_FALSE(io.MouseDown[0]);
    CHECK_FALSE(r.done());
    r.before_frame(io, last, 11.0);
    REQUIRE(r.failed());
    CHECK_THAT(r.failure(), Catch::Contains("enabled widget 'key:ok'") && Catch::Contains("staff_auth"));
    ImGui::DestroyContext();
}

TEST_CASE("script: waiting() is true only on a step that waits for a screen, a text, a file or time") {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    FrameRecord last;
    last.screen = "standby";
    ScriptRunner r(parse_script("wait frames 1\nwait screen consent 5\nassert screen consent\nwait seconds 0.5\n"));
    CHECK_FALSE(r.waiting());  // a frame count is acting time: those frames are what the script asks for
    r.before_frame(io, last, 0.0);
    r.before_frame(io, last, 0.016);
    CHECK(r.waiting());  // on `wait screen`
    last.screen = "consent";
    r.before_frame(io, last, 0.032);
    CHECK_FALSE(r.waiting());  // on `assert screen`
    r.before_frame(io, last, 0.048);
    CHECK(r.waiting());  // on `wait seconds`
    r.before_frame(io, last, 0.060);
    r.before_frame(io, last, 0.7);
    CHECK(r.done());
    CHECK_FALSE(r.waiting());
    ImGui::DestroyContext();
}
