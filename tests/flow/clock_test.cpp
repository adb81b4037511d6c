// The one clock (core/util/clock) and the message catalogue's placeholders.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>

#include "core/flow/clock.hpp"
#include "core/text/messages_ja.hpp"

using namespace onshi;

namespace {
struct TokyoTime {
    TokyoTime() {
        setenv("TZ", "Asia/Tokyo", 1);
        tzset();
    }
};
}  // namespace

TEST_CASE("clock: local time in the ledger's, the date's and the OQS stamps' shapes") {
    TokyoTime tz;
    const int64_t t = 1627776000000 + 1500;  // 2021-08-01T00:00:01.5Z = 09:00:01 in Tokyo
    CHECK(util::format_local(t) == "2021-08-01T09:00:01");
    CHECK(util::format_local_date(t) == "2021-08-01");
    CHECK(util::format_local_compact(t) == "20210801090001");
    CHECK(util::parse_local("2021-08-01T09:00:01") == t - 500);
    CHECK(util::parse_local("yesterday") == -1);
    CHECK(util::format_local(-1) == "1970-01-01T08:59:59");  // floor, not toward zero
    // flow::Clock is the same clock type.
    flow::Clock c = [] { return int64_t(42); };
    util::Clock& same = c;
    CHECK(same() == 42);
    CHECK(util::system_now_ms() > t);
}

TEST_CASE("messages: ids render with their counts and names") {
    using text::Msg;
    CHECK(text::ja(Msg::WrongNumber, 9).find("照合番号Bが違います（残り9回）。") == 0);
    CHECK(text::ja(Msg::WrongNumber, -1).find("照合番号Bが違います。") == 0);
    CHECK(text::ja(Msg::PasscodePrompt, 6, 8, "受付 花子") == "受付 花子 さんのパスコード（6〜8桁）");
    CHECK(text::ja(Msg::LockoutCountdown, 29, 1) == "あと29分1秒");
    CHECK(text::ja(text::verbatim("ほかの端末で変更されました。")) == "ほかの端末で変更されました。");
    CHECK(text::ja(text::Message{}).empty());
    for (int i = 1; i < int(Msg::Count_); ++i) {
        INFO("message id " << i);
        CHECK_FALSE(text::pattern(Msg(i)).empty());
    }
}

TEST_CASE("messages: two texts in one message, each put in once and never expanded again") {
    using text::Msg;
    CHECK(text::ja(Msg::StaffLine, -1, -1, "受付 花子", "S01") == "受付 花子（S01）");
    CHECK(text::ja(Msg::StaffLine, -1, -1, "名{t}{n}", "{s}") == "名{t}{n}（{s}）");
    CHECK(text::ja(Msg::ConfigProblem, -1, -1, "/etc/a.toml", "[ledger] path") ==
          "設定ファイル /etc/a.toml（[ledger] path）");
    CHECK(text::ja(Msg::TrainingBanner) == "研修モード（実際の患者情報は使われません）");
}
