// 受付一覧 (the reception console) drawn GPU-less over the real flow: reached from カード待ち after the
// passcode, rows with the オンライン資格確認 column and badges, 単件照会 through the consent question and 照会中
// into the same 差分確認, back on the console afterwards, hidden under ロック.
#include <catch2/catch.hpp>

#include "app/kiosk/screens/screens.hpp"
#include <set>

#include "core/console/console.hpp"
#include "core/intake/column_text.hpp"
#include "tests/app/harness.hpp"

using namespace onshi;
using namespace onshi::kiosk;
using namespace onshi::kiosk::test;

namespace {

// The harness with a console model where the host keeps it; effects are recorded instead of run.
struct ConsoleDesk {
    Harness h;
    console::Console model;
    std::vector<console::Effect> effects;

    ConsoleDesk() {
        h.ledger.patients["13"] = ichiro();
        h.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
        h.host_view = [this](View& v) { v.console = &model.state(); };
        h.fe.on_console = [this](const console::Intent& i) { give(i); };
        give(console::in::ListLoaded{"2026-12-03", rows()});
    }
    void give(const console::Intent& i) {
        for (auto& e : model.handle(i)) effects.push_back(std::move(e));
    }
    template <class E>
    const E* last() const {
        for (auto it = effects.rbegin(); it != effects.rend(); ++it)
            if (const auto* p = std::get_if<E>(&*it)) return p;
        return nullptr;
    }
    static std::vector<intake::ReceptionListRow> rows() {
        intake::ReceptionListRow a;
        a.karte = "13";
        a.kanji_name = "資格　一郎";
        a.age = "66歳6ヶ月";
        a.received_at = "2026-12-03T09:05:00";
        a.column_text = "有効 確認日：令和8年12月3日";
        a.status = "有効";
        a.status_key = "valid";
        a.due_this_month = true;
        intake::ReceptionListRow b;
        b.registered = false;
        b.kanji_name = "資格　九郎";
        b.file = "OQSsiquc01res_face_9_20261203091000.xml";
        b.received_at = "2026-12-03T09:10:00";
        b.column_text = "喪失 確認日：令和8年12月3日【資格有効性:2】無効";
        b.status = "喪失";
        b.status_key = "invalid";
        return {a, b};
    }
    int run(const std::string& s) { return h.run(s); }
};

const char* kSignIn =
    "wait frames 2\ntap staff\nwait screen staff_auth\ntap staff:S01\npad 246810\ntap key:ok\n"
    "wait screen visual_reason\ntap reason:face_and_pin_failed\nwait screen await_card\n";

}  // namespace

TEST_CASE("console screens: 受付一覧 from カード待ち shows the manual's columns, badges and marks") {
    ConsoleDesk t;
    REQUIRE(t.run(std::string(kSignIn) + "tap console\nwait screen console_list\n"
                                         "assert text カルテ番号\nassert text オンライン資格確認\n"
                                         "assert text 資格　一郎\nassert text 66歳6ヶ月\nassert text 09:05\n"
                                         "assert text 有効\nassert text  確認日：令和8年12月3日\n"
                                         "assert text 今月未確認\nassert text 原簿未登録\nassert text 喪失\n"
                                         "assert text 【資格有効性:2】無効\n") == 0);
    const auto& f = t.h.fe.last_frame();
    CHECK(f.find("query-13"));
    CHECK(f.find("register-1"));
    CHECK(f.find("choose-1"));
    CHECK(f.find("close-console"));
    // 原簿未登録 → its face result is read back for 差分確認.
    REQUIRE(t.run("tap register-1\nwait frames 2\n") == 0);
    const auto* read = t.last<console::effect::ReadUnregistered>();
    REQUIRE(read);
    CHECK(read->file == "OQSsiquc01res_face_9_20261203091000.xml");
    // 患者を選ぶ: the kana search names the face result; its hit reads it back for 差分確認 with that patient.
    REQUIRE(t.run("tap choose-1\nwait screen console_add_kana\n"
                  "assert text 資格　九郎 様の顔認証の結果です。照合する患者様をカナ氏名で検索して選んでください\n") == 0);
    t.give(console::in::Hits{{{"13", "資格　一郎", "シカク イチロウ", "1960-06-02"}}, false});
    t.effects.clear();
    REQUIRE(t.run("wait text 資格　一郎\ntap hit-13\nwait frames 2\n") == 0);
    CHECK_FALSE(t.last<console::effect::Add>());
    read = t.last<console::effect::ReadUnregistered>();
    REQUIRE(read);
    CHECK(read->file == "OQSsiquc01res_face_9_20261203091000.xml");
    // Read back (the host's worker), the result opens 差分確認 for 資格 一郎.
    console::Review review;
    review.result = answer_for_ichiro();
    review.raw_xml = "<res/>";
    t.give(console::in::ReviewReady{review});
    REQUIRE(t.model.state().review);
    const console::Review r = *t.model.state().review;
    CHECK(r.karte == "13");
    t.h.flow.handle(flow::in::ReviewAnswer{r.result, r.raw_xml, r.karte, r.check_id});
    t.give(console::in::ReviewTaken{});
    REQUIRE(t.run("wait screen diff\nassert text 資格　一郎\ntap cancel\nwait screen done\ntap ok\n"
                  "wait screen console_list\n") == 0);
    // 閉じる: カード待ち again.
    REQUIRE(t.run("tap close-console\nwait screen await_card\n") == 0);
}

namespace {
// Whether a vertex of the last frame drawn has the colour (a badge is one filled rectangle of it).
bool drawn_in(ImU32 color) {
    const ImDrawData* d = ImGui::GetDrawData();
    if (!d || !d->Valid) return false;
    for (int i = 0; i < d->CmdListsCount; ++i)
        for (const ImDrawVert& v : d->CmdLists[i]->VtxBuffer)
            if (v.col == color) return true;
    return false;
}
}  // namespace

TEST_CASE("console screens: each status of the オンライン資格確認 column has its own badge colour") {
    ConsoleDesk t;
    const std::vector<std::string> keys = {"processing", "valid", "invalid", "not_found", "error"};
    std::vector<intake::ReceptionListRow> rows;
    for (size_t i = 0; i < keys.size(); ++i) {
        intake::ReceptionListRow r = ConsoleDesk::rows()[0];
        r.karte = std::to_string(31 + i);
        r.status_key = keys[i];
        r.status = intake::status_word(keys[i]);
        r.column_text = r.status + " 確認日：令和8年12月3日";
        rows.push_back(r);
    }
    t.give(console::in::ListLoaded{"2026-12-03", rows});
    REQUIRE(t.run(std::string(kSignIn) + "tap console\nwait screen console_list\nassert text 照会中\n"
                                         "assert text 有効\nassert text 喪失\nassert text 該当なし\n"
                                         "assert text エラー\nwait frames 2\n") == 0);
    std::set<ImU32> colors;
    for (const auto& k : keys) {
        const ImU32 c = console_badge_color(k);
        INFO(k);
        CHECK(drawn_in(c));
        colors.insert(c);
    }
    CHECK(colors.size() == keys.size());  // five statuses, five colours
    auto channel = [](ImU32 c, int shift) { return (c >> shift) & 0xFF; };
    const ImU32 valid = console_badge_color("valid"), lost = console_badge_color("invalid");
    CHECK(channel(valid, IM_COL32_G_SHIFT) > channel(valid, IM_COL32_R_SHIFT));  // 有効 green
    CHECK(channel(lost, IM_COL32_R_SHIFT) > channel(lost, IM_COL32_G_SHIFT));    // 喪失 red
    // 無効（新しい資格あり） is 喪失 too, 有効（未登録） is 有効.
    CHECK(console_badge_color("invalid_new_qualification") == lost);
    CHECK(console_badge_color("valid_unregistered") == valid);
}

TEST_CASE("console screens: 単件照会 asks 限度額, shows 照会中, opens 差分確認 and comes back to the list") {
    ConsoleDesk t;
    REQUIRE(t.run(std::string(kSignIn) + "tap console\nwait screen console_list\ntap query-13\n"
                                         "wait screen console_consent\nassert text 限度額情報の提供に同意されますか\n"
                                         "assert text 未確認\nassert text 拒否\ntap limit-yes\n"
                                         "wait screen console_querying\nassert text 照会中\n") == 0);
    const auto* q = t.last<console::effect::Query>();
    REQUIRE(q);
    CHECK(q->karte == "13");
    CHECK(q->consent == intake::LimitConsent::Yes);
    // The answer comes back from the worker; the host hands the review to the flow on カード待ち.
    console::in::QueryDone done;
    done.karte = "13";
    done.check_id = 5;
    done.answered = true;
    done.result = answer_for_ichiro();
    done.raw_xml = "<res/>";
    t.give(done);
    REQUIRE(t.model.state().review);
    const console::Review r = *t.model.state().review;
    t.h.flow.handle(flow::in::ReviewAnswer{r.result, r.raw_xml, r.karte, r.check_id});
    t.give(console::in::ReviewTaken{});
    REQUIRE(t.run("wait screen diff\nassert text 資格　一郎\ntap cancel\nwait screen done\ntap ok\n"
                  "wait screen console_list\n") == 0);
    REQUIRE(t.h.ledger.applied.size() == 1);
    CHECK(t.h.ledger.applied[0].first.existing_check_id == 5);  // no second check row
}

TEST_CASE("console screens: the console locks with the staff-idle rule and comes back after the passcode") {
    ConsoleDesk t;
    REQUIRE(t.run(std::string(kSignIn) + "tap console\nwait screen console_list\n") == 0);
    t.h.clock.advance(60000);
    REQUIRE(t.run("wait screen locked\nassert no-text 資格　一郎\ntap staff:S01\npad 246810\ntap key:ok\n"
                  "wait screen console_list\n") == 0);
    // Touches on the console are activity: 59 s later it is still open.
    t.h.clock.advance(59000);
    REQUIRE(t.run("tap tab-bulk\nwait screen console_bulk\n") == 0);
    t.h.clock.advance(59000);
    REQUIRE(t.run("wait frames 2\nassert screen console_bulk\n") == 0);
}

TEST_CASE("console screens: adding by カルテ番号 and by kana, 一括照会 shows its counts") {
    ConsoleDesk t;
    REQUIRE(t.run(std::string(kSignIn) + "tap console\nwait screen console_list\ntap tab-add-karte\n"
                                         "wait screen console_add_karte\npad 20\ntap key:ok\nwait frames 2\n") == 0);
    const auto* add = t.last<console::effect::Add>();
    REQUIRE(add);
    CHECK(add->karte == "20");
    console::in::Added done;  // the worker's answer: already on the list; the next add may go
    done.karte = "20";
    t.give(done);
    REQUIRE(t.run("tap tab-add-kana\nwait screen console_add_kana\ntap kana:シ\ntap kana:カ\ntap kana:search\n"
                  "wait frames 2\n") == 0);
    const auto* search = t.last<console::effect::Search>();
    REQUIRE(search);
    CHECK(search->kana == "シカ");
    t.give(console::in::Hits{{{"20", "資格　七夫", "シカク ナナオ", "1940-10-11"}}, false});
    REQUIRE(t.run("wait text 資格　七夫\ntap hit-20\nwait frames 2\n") == 0);
    CHECK(t.last<console::effect::Add>()->karte == "20");

    REQUIRE(t.run("tap tab-bulk\nwait screen console_bulk\ntap bulk-due\nwait frames 2\n") == 0);
    REQUIRE(t.last<console::effect::Bulk>());
    console::BulkView v;
    v.batch_id = 1;
    v.running = true;
    v.resumed = true;
    v.sent = 50;
    v.answered = 20;
    v.valid = 15;
    v.lost = 2;
    v.none = 2;
    v.error = 1;
    t.give(console::in::BulkUpdate{v});
    REQUIRE(t.run("wait text 送信 50件 / 回答 20件\nassert text 有効 15件 ・ 喪失 2件 ・ 該当なし 2件 ・ エラー 1件\n"
                  "assert text 前回の一括照会を再開しました\n") == 0);
    const WidgetRect* again = t.h.fe.last_frame().find("bulk-today");
    REQUIRE(again);
    CHECK_FALSE(again->enabled);  // one batch at a time
}
