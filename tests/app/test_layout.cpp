// Every screen at the counter touchscreens' resolutions: nothing leaves the viewport, nothing overlaps, and every
// touch target is at least 48 px. GPU-less: the frame record keeps each button's and text's rectangle.
// A new screen or console page is one line in kScreens.
#include <catch2/catch.hpp>

#include <functional>
#include <sstream>

#include "app/kiosk/training.hpp"
#include "core/console/console.hpp"
#include "core/oqs/medinfo_sim.hpp"
#include "tests/app/harness.hpp"

using namespace onshi;
using namespace onshi::kiosk;
using onshi::kiosk::test::Harness;

namespace {

struct Size {
    int w, h;
};
constexpr Size kSizes[] = {{1024, 768}, {1280, 720}, {1280, 800}, {1366, 768}, {1920, 1080}};

void run(Harness& h, const std::string& script) {
    INFO(script);
    REQUIRE(h.run(script) == 0);
}

// ---- the ways into the screens, with the state a real visit would show there

const char* const kSignIn =
    "wait frames 2\ntap staff\ntap staff:S01\npad 246810\ntap key:ok\nwait screen visual_reason\n";

void sign_in(Harness& h, const std::string& reason = "pin_locked") {
    run(h, std::string(kSignIn) + "tap reason:" + reason + "\nwait screen await_card\n");
}

flow::CardFaceView chip(flow::Verdict verdict = flow::Verdict::Genuine) {
    flow::CardFaceView f;
    f.birth = "1960-06-02";
    f.sex = "1";
    f.expiry = "2034-06-02";
    f.verdict = verdict;
    return f;
}

void card_face(Harness& h) {
    sign_in(h);
    h.post(flow::in::CardInserted{});
    h.post(flow::in::CardInspected{{true, 3, "DER", ""}});  // 3 tries: the count in red
    run(h, "wait screen card_face\nwait text 照合番号B 残り 3 回\npad 3506022034\n");
}

void chip_shown(Harness& h, flow::Verdict verdict) {
    card_face(h);
    run(h, "pad 1234\ntap key:ok\n");
    flow::FaceReadOutcome ok;
    ok.status = flow::FaceReadOutcome::Status::Ok;
    ok.tries_left_before = 3;
    ok.face = chip(verdict);
    h.post(flow::in::FaceRead{ok});
    run(h, "wait text 本人と確認しました\n");
}

void face_wait(Harness& h) {
    chip_shown(h, flow::Verdict::Genuine);
    run(h, "tap confirm\ntap guide-next\ntap guide-next\ntap start-waiting\nwait screen face_wait\n");
}

void face_consents(Harness& h) {
    face_wait(h);
    auto mine = flow::test::answer_for_ichiro("133033");
    mine.records[0].pharmacists = {"1", "20210801090000", "20210802090000"};
    mine.records[0].diagnosis = {"0", "20210801090000", std::nullopt};
    h.post(flow::test::face_result(mine));
    run(h, "wait screen face_consents\n");
}

void diff(Harness& h, const char* insurer = "133033", bool with_limit = false) {
    h.ledger.patients["13"] = flow::test::ichiro();
    h.ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    face_wait(h);
    auto answer = flow::test::answer_for_ichiro(insurer);
    answer.header.edit().process_execution_time = "20210801093000";
    if (with_limit) {  // the 切替日 dialog then shows all three dates
        oqs::LimitApplicationCertificateInfo limit;
        limit.valid_start_date = "20210801";
        answer.records[0].limit_application = limit;
    }
    h.post(flow::test::face_result(answer));
    run(h, "wait screen face_consents\ntap to-diff\nwait screen diff\n");
}

void candidates(Harness& h) {
    h.ledger.patients["13"] = flow::test::ichiro();
    face_wait(h);
    diff::MatchResult m;
    m.kind = diff::MatchResult::Kind::Choose;
    m.candidates = {{"13", "資格　一郎", "シカク イチロウ", "1960-06-02", "1", rules::Tier::Probable, "", false},
                    {"99", "資格　一朗", "シカク イチロウ", "1960-06-02", "1", rules::Tier::Probable, "", false}};
    h.ledger.next_match = m;
    h.post(flow::test::face_result(flow::test::answer_for_ichiro()));
    run(h, "wait screen face_consents\ntap to-diff\nwait text 正しい患者さんを選んでください\n");
}

// The reception console over its model (core/console), its effects dropped: each page is opened by the model's
// own intents, with a day's list of two rows (one 原簿未登録).
struct Console {
    console::Console model;
    explicit Console(Harness& h) {
        h.host_view = [this](View& v) { v.console = &model.state(); };
        h.fe.on_console = [this](const console::Intent& i) { model.handle(i); };
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
        model.handle(console::in::ListLoaded{"2026-12-03", {a, b}});
    }
};

// Opens the console from カード待ち, then the page `intent` leads to (none: the list), then what the host's
// worker hands back (`results`).
void console_page(Harness& h, std::optional<console::Intent> intent, const char* screen,
                  const std::vector<console::Intent>& results = {}) {
    auto desk = std::make_shared<Console>(h);
    h.host_view = [desk](View& v) { v.console = &desk->model.state(); };  // the harness keeps the desk alive
    sign_in(h);
    run(h, "tap console\nwait screen console_list\n");
    if (intent) desk->model.handle(*intent);
    for (const auto& r : results) desk->model.handle(r);
    run(h, std::string("wait screen ") + screen + "\n");
}

// 後期高齢 武夫's 薬剤・健診 page as the host hands it over: the simulator's two years of prescriptions and
// five years of checkups, parsed.
medinfo::PageState medinfo_page(medinfo::PageTab tab) {
    oqs::medinfo::SyntheticPerson p;
    p.header = {"後期高齢 武夫", "ｺｳｷｺｳﾚｲ ﾀｶｵ", "19500515", "1"};
    p.seed = 8;
    oqs::medinfo::SyntheticOptions o;
    o.end_month = "202611";
    o.months = 24;
    medinfo::PageState s;
    s.karte = "8";
    s.kanji_name = "後期高齢　武夫";
    s.kana_name = "コウキコウレイ タカオ";
    s.tab = tab;
    ledger::MedinfoRecord r;
    r.format = "xml";
    r.fetched_at = "2026-12-03T09:30:00";
    r.kind = "yzk";
    s.data.drug_record = r;
    s.data.drugs = medinfo::drug_view(oqs::medinfo::parse_drug(oqs::medinfo::synthetic_drug_xml(p, o)));
    r.kind = "tkk";
    s.data.checkup_record = r;
    s.data.checkups = medinfo::checkup_view(oqs::medinfo::parse_checkup(oqs::medinfo::synthetic_checkup_xml(p, o)));
    return s;
}

// 訪問等資格確認 with the manual's two kinds of row: one 未確認, one linked to a patient of the 原簿.
medinfo::HomeVisitList home_visit_list() {
    medinfo::HomeVisitList l;
    l.ok = true;
    medinfo::HomeVisitRow a, b;
    a.checked_at = "20261201093000";
    a.kanji = "資格 七夫";
    a.kana = "ｼｶｸ ﾅﾅｵ";
    a.sex = "1";
    a.birth = "19401011";
    a.insurer_number = "39470000";
    b = a;
    b.confirmed = true;
    b.karte = "13";
    b.kanji = "資格 一郎";
    b.birth = "19600602";
    b.insurer_number = "06139980";
    b.reference_number = "A1_1510110016";
    l.rows = {a, b};
    return l;
}

struct Screen {
    const char* name;
    bool demo;
    std::function<void(Harness&)> reach;
};

// Every screen with representative state: each flow step, 管理, 受付結果.
const std::vector<Screen>& screens() {
    static const std::vector<Screen> s = {
        {"standby (training: every scenario)", true,
         [](Harness& h) {
             h.fe.set_scenarios(TrainingEnvironment::scenarios());
             h.host_view = [](View& v) { v.devices.problem = text::Msg::ReaderNotFound; };
             run(h, "wait frames 2\ntap scenario:another_person\nwait frames 2\n");
         }},
        {"staff_auth (four members)", false,
         [](Harness& h) {
             h.ledger.staff = {{"S01", "受付 花子"}, {"S02", "事務長 太郎"}, {"S03", "看護 三郎"}, {"S04", "医事 四季子"}};
             run(h, "wait frames 2\ntap staff\ntap staff:S02\npad 111111\ntap key:ok\nwait text パスコードが違います\n");
         }},
        {"visual_reason", false, [](Harness& h) { run(h, kSignIn); }},
        {"await_card", false,
         [](Harness& h) {
             h.host_view = [](View& v) { v.devices.problem = text::Msg::OqsFolderMissing; };
             sign_in(h);
         }},
        {"card_face (照合番号B)", false, card_face},
        {"card_face (forged chip)", false, [](Harness& h) { chip_shown(h, flow::Verdict::ForgedSuspect); }},
        {"guidance", false,
         [](Harness& h) {
             chip_shown(h, flow::Verdict::Genuine);
             run(h, "tap confirm\nwait screen guidance\n");
         }},
        {"face_wait (a result naming nobody)", false,
         [](Harness& h) {
             face_wait(h);
             h.post(flow::test::face_result(flow::test::answer_not_found()));
             run(h, "wait text この方の結果ですか\n");
         }},
        {"face_timeout", false,
         [](Harness& h) {
             face_wait(h);
             for (int i = 0; i < 6; ++i) {
                 h.clock.advance(50000);
                 h.flow.handle(flow::in::Activity{});
             }
             h.clock.advance(1);
             run(h, "wait screen face_timeout\n");
             h.post(flow::test::face_result(flow::test::answer_for_ichiro()));
             run(h, "wait frames 2\n");
         }},
        {"face_consents", false, face_consents},
        {"diff (保険証が変わっています)", false, [](Harness& h) { diff(h); }},
        {"diff (上書き, 全表示)", false,
         [](Harness& h) {
             diff(h, "139980");
             run(h, "tap show-all\ntap overwrite-mode\nwait frames 2\n");
         }},
        {"diff (切替日, 保険有効開始日, 限度額開始日; a refused 切替日)", false,
         [](Harness& h) {
             diff(h, "133033", true);
             run(h, "tap update\nwait text 限度額開始日\ntap switch:day:-\ntap switch:ok\n"
                    "wait text 切替日が保険有効開始日より前です\n");
         }},
        {"diff (candidates)", false, candidates},
        {"done (暗証番号ロック)", false,
         [](Harness& h) {
             diff(h);
             run(h, "tap cancel\nwait screen done\n");
         }},
        {"locked", false,
         [](Harness& h) {
             sign_in(h);
             h.flow.handle(flow::in::Lock{});
             run(h, "wait screen locked\n");
         }},
        {"error (card blocked)", false,
         [](Harness& h) {
             card_face(h);
             run(h, "pad 1234\ntap key:ok\n");
             flow::FaceReadOutcome blocked;
             blocked.status = flow::FaceReadOutcome::Status::Blocked;
             blocked.message_en = "SW 6983: the 照合番号B PIN is blocked";
             h.post(flow::in::FaceRead{blocked});
             run(h, "wait screen error\n");
         }},
        {"aborted", false,
         [](Harness& h) {
             sign_in(h);
             run(h, "tap abort\nwait screen aborted\n");
         }},
        {"admin", false,
         [](Harness& h) {
             h.host_view = [](View& v) {
                 v.devices = {true, true, false, "Virtual PCD 00 00", true, "/var/lib/onshi-kiosk/oqs",
                              "/var/lib/onshi-kiosk/ledger.sqlite", text::Msg::None};
                 v.staff = {{"受付 花子", "S01", text::Msg::None},
                            {"事務長 太郎", "S02", text::Msg::StaffLocked},
                            {"新人 三郎", "S03", text::Msg::StaffNoPasscode}};
                 v.backup_available = true;
                 v.last_backup = "/var/lib/onshi-kiosk/backup/ledger-2021-08-01.sqlite";
             };
             sign_in(h);
             run(h, "tap admin\nwait screen admin\n");
         }},
        {"reception", false,
         [](Harness& h) {
             h.host_view = [](View& v) {
                 v.reception = {{"f1", "09:30", "資格　一郎", "有効", "13", false},
                                {"f2", "09:41", "", "エラー", "", true},
                                {"f3", "09:52", "資格　五郎", "無効（新しい資格あり）", "", false}};
             };
             face_wait(h);
             run(h, "tap reception\nwait screen reception\n");
         }},
    };
    return s;
}

// The reception console's pages.
const std::vector<Screen>& console_screens() {
    static const std::vector<Screen> s = {
        {"console_list", false, [](Harness& h) { console_page(h, std::nullopt, "console_list"); }},
        {"console_add_karte", false,
         [](Harness& h) { console_page(h, console::in::ShowPage{console::Page::AddKarte}, "console_add_karte"); }},
        {"console_add_kana", false,
         [](Harness& h) { console_page(h, console::in::ShowPage{console::Page::AddKana}, "console_add_kana"); }},
        {"console_consent", false,
         [](Harness& h) { console_page(h, console::in::AskQuery{"13"}, "console_consent"); }},
        {"console_bulk", false,
         [](Harness& h) { console_page(h, console::in::ShowPage{console::Page::Bulk}, "console_bulk"); }},
        {"console_typed (new patient's card)", false,
         [](Harness& h) {
             console_page(h, console::in::OpenTyped{console::TypedPurpose::Register, ""}, "console_typed");
         }},
        {"console_medinfo (薬剤)", false,
         [](Harness& h) {
             console_page(h, console::in::OpenMedinfo{"8"}, "console_medinfo",
                          {console::in::MedinfoLoaded{"8", medinfo_page(medinfo::PageTab::Drugs), "閲覧の有効期限が切れています", true}});
         }},
        {"console_medinfo (特定健診)", false,
         [](Harness& h) {
             console_page(h, console::in::OpenMedinfo{"8"}, "console_medinfo",
                          {console::in::MedinfoLoaded{"8", medinfo_page(medinfo::PageTab::Checkups), "", false}});
         }},
        {"console_homevisit", false,
         [](Harness& h) {
             console_page(h, console::in::AskHomeVisit{"20261101", "20261130"}, "console_homevisit",
                          {console::in::HomeVisitLoaded{home_visit_list()}});
         }},
    };
    return s;
}

bool inside(const Placed& p, ImVec2 lo, ImVec2 hi) {
    constexpr float e = 0.5f;
    return p.min.x >= lo.x - e && p.min.y >= lo.y - e && p.max.x <= hi.x + e && p.max.y <= hi.y + e;
}

// The part of an item its window shows.
bool visible_part(const Placed& p, ImVec2& lo, ImVec2& hi) {
    lo = ImVec2(std::max(p.min.x, p.clip_min.x), std::max(p.min.y, p.clip_min.y));
    hi = ImVec2(std::min(p.max.x, p.clip_max.x), std::min(p.max.y, p.clip_max.y));
    return lo.x < hi.x && lo.y < hi.y;
}

std::string describe(const Placed& p) {
    std::ostringstream o;
    o << (p.button ? "button '" : "text '") << p.what << "' [" << p.min.x << "," << p.min.y << " – " << p.max.x
      << "," << p.max.y << "]";
    return o.str();
}

// The problems of one frame at one size: "" when none.
std::string problems(const FrameRecord& f, Size size) {
    std::ostringstream o;
    const ImVec2 vp0(0, 0), vp1(float(size.w), float(size.h));
    for (const Placed& p : f.placed) {
        if (!p.scrolls && !inside(p, vp0, vp1)) o << "  leaves the viewport: " << describe(p) << "\n";
        if (p.scrolls) {
            Placed region{"", p.clip_min, p.clip_max, {}, {}, false, false};
            if (!inside(region, vp0, vp1)) o << "  its scrolling region leaves the viewport: " << describe(p) << "\n";
            if (p.min.x < p.clip_min.x - 0.5f || p.max.x > p.clip_max.x + 0.5f)
                o << "  cut off at the side of its region: " << describe(p) << "\n";
        }
        if (p.button && (p.max.x - p.min.x < 48.f - 0.01f || p.max.y - p.min.y < 48.f - 0.01f))
            o << "  under 48 px: " << describe(p) << "\n";
    }
    for (size_t i = 0; i < f.placed.size(); ++i) {
        ImVec2 a0, a1;
        if (!visible_part(f.placed[i], a0, a1)) continue;
        for (size_t j = i + 1; j < f.placed.size(); ++j) {
            ImVec2 b0, b1;
            if (!visible_part(f.placed[j], b0, b1)) continue;
            const float w = std::min(a1.x, b1.x) - std::max(a0.x, b0.x);
            const float h = std::min(a1.y, b1.y) - std::max(a0.y, b0.y);
            if (w > 1.f && h > 1.f)
                o << "  overlap: " << describe(f.placed[i]) << " and " << describe(f.placed[j]) << "\n";
        }
    }
    return o.str();
}

}  // namespace

void check_every_size(const std::vector<Screen>& list) {
    for (const Size size : kSizes) {
        for (const Screen& s : list) {
            INFO(s.name << " at " << size.w << "×" << size.h);
            Harness h(s.demo, size.w, size.h);
            s.reach(h);
            run(h, "wait frames 2\n");
            const FrameRecord& f = h.fe.last_frame();
            REQUIRE_FALSE(f.placed.empty());
            CHECK(problems(f, size) == "");
        }
    }
}

TEST_CASE("layout: every screen fits 1024×768 to 1920×1080 without clipping, overlap or small targets") {
    check_every_size(screens());
}

TEST_CASE("layout: the reception console's pages fit every size", "[console-layout]") {
    check_every_size(console_screens());
}

TEST_CASE("layout: the check itself finds a button off the right edge, an overlap and a small target") {
    FrameRecord f;
    const ImVec2 vp0(0, 0), vp1(1280, 800);
    f.placed.push_back({"scenario:card_pulled", {1200, 600}, {1368, 656}, vp0, vp1, true, false});
    f.placed.push_back({"a", {10, 10}, {110, 70}, vp0, vp1, true, false});
    f.placed.push_back({"b", {100, 60}, {200, 120}, vp0, vp1, true, false});
    f.placed.push_back({"tiny", {300, 10}, {340, 50}, vp0, vp1, true, false});
    // A row scrolled out of its region is fine; one cut at the region's side is not.
    f.placed.push_back({"row", {30, 900}, {600, 940}, {24, 200}, {1256, 700}, false, true});
    f.placed.push_back({"wide row", {30, 300}, {1300, 340}, {24, 200}, {1256, 700}, false, true});
    const std::string p = problems(f, {1280, 800});
    CHECK_THAT(p, Catch::Contains("leaves the viewport: button 'scenario:card_pulled'"));
    CHECK_THAT(p, Catch::Contains("overlap: button 'a'"));
    CHECK_THAT(p, Catch::Contains("under 48 px: button 'tiny'"));
    CHECK_THAT(p, Catch::Contains("cut off at the side of its region: text 'wide row'"));
    CHECK_THAT(p, !Catch::Contains("'row'"));
}
