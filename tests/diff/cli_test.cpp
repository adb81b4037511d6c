// The built `onshi` binary: `onshi diff` and `onshi match` on a ledger written here and the fixture files.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>

#include "core/util/json.hpp"
#include "tests/diff/diff_test_util.hpp"

using namespace onshi;
using namespace onshi::diff::test;

namespace {
struct Run {
    int code = -1;
    std::string out;
};

Run run(const std::string& args) {
    Run r;
    std::string cmd = std::string(ONSHI_BIN) + " " + args + " 2>/dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string fixture(const char* name) { return std::string("'") + DIFF_FIXTURES + "/" + name + "'"; }
}  // namespace

TEST_CASE("onshi diff prints classification, rows and 切替日") {
    TempDir dir;
    {
        auto db = open_ledger(dir);
        db.apply(ichiro_plan(), "S01");
    }
    const std::string ledger = "'" + (dir.path / "ledger.sqlite").string() + "'";
    auto r = run("diff --ledger " + ledger + " --karte 13 --result " +
                 fixture("OQSsiquc01res_20210817093000_ichiro_133033.xml"));
    REQUIRE(r.code == 0);
    Json j = Json::parse(r.out);
    CHECK(j["classification"] == "switch_card");
    CHECK(j["switch_date"] == "2021-08-01");
    REQUIRE(j["rows"].size() == 18);
    CHECK(j["rows"][0]["field"] == "kana_name");
    CHECK(j["rows"][0]["tier"] == "normalized");
    CHECK(j["rows"][6]["current"] == "139980");
    CHECK(j["rows"][6]["online"] == "133033");
    CHECK(j["rows"][6]["overwrite"] == true);
    CHECK(j["rows"][13]["online"] == "令和3年8月1日");

    auto m = run("match --ledger " + ledger + " --result " +
                 fixture("OQSsiquc01res_face_20210817093000_ichiro_halfwidth.xml"));
    REQUIRE(m.code == 0);
    Json mj = Json::parse(m.out);
    CHECK(mj["kind"] == "linked");
    CHECK(mj["karte"] == "13");
    REQUIRE(mj["candidates"].size() == 1);
    CHECK(mj["candidates"][0]["tier"] == "exact");

    auto e =
        run("diff --ledger " + ledger + " --karte 13 --result " + fixture("OQSsiquc01res_20210817093000_error.xml"));
    REQUIRE(e.code == 0);
    CHECK(Json::parse(e.out)["classification"] == "error");

    CHECK(run("diff --ledger " + ledger + " --karte 99 --result " + fixture("OQSsiquc01res_20210817093000_error.xml"))
              .code == 1);                                            // no such patient
    CHECK(run("diff --ledger " + ledger + " --karte 13").code == 2);  // --result missing
    CHECK(run("diff --ledger " + ledger + " --karte 13 --result /nonexistent/OQSsiquc01res_x.xml").code == 2);
    CHECK(run("match --ledger " + ledger + " --result " + fixture("../diff_test_util.hpp")).code == 2);
    CHECK(run("match --ledger " + (dir.path / "missing.sqlite").string() + " --result " +
              fixture("OQSsiquc01res_20210817093000_error.xml"))
              .code != 0);  // never creates a ledger
    CHECK_FALSE(std::filesystem::exists(dir.path / "missing.sqlite"));
}
