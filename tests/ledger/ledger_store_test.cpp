// Every ledger operation and its undo, on real SQLite files.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/ledger/sample.hpp"
#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi::ledger;
using namespace onshi::ledger::test;

namespace {
OverwritePlan plan(PlanKind k, const std::string& karte, std::vector<FieldValue> fields = {}) {
    OverwritePlan p;
    p.kind = k;
    p.karte = karte;
    p.fields = std::move(fields);
    return p;
}
}  // namespace

TEST_CASE("register a new patient from a check, then undo it") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    auto r = db.apply(register_ichiro(), "S01");
    REQUIRE(r.karte == "13");
    REQUIRE(r.card_id > 0);
    REQUIRE(r.check_id > 0);
    auto rec = db.patient("13");
    REQUIRE(rec);
    CHECK(rec->patient.kanji_name == "資格　一郎");
    REQUIRE(rec->current_card());
    CHECK(rec->current_card()->insurer_number == "139980");
    CHECK(rec->current_card()->card_checked_on == "2021-07-27");  // a 有効 check is this month's 保険証確認
    CHECK(rec->reference_number() == "A1_1510110016");
    REQUIRE(rec->consents.size() == 1);
    CHECK(rec->consents[0].given_at == "2021-07-27T09:30:00");
    REQUIRE(rec->latest_check);
    CHECK(rec->latest_check->raw_xml == "<xml/>");
    CHECK(rec->latest_check->staff_id == "S01");

    auto a = db.audit_entry(r.audit_id);
    REQUIRE(a);
    CHECK(a->action == "plan.register");
    CHECK(a->staff_id == "S01");
    CHECK(a->changes.size() == 6);  // patient, card, check, card_checked_on, consent, link

    CHECK(code_of([&] { db.apply(register_ichiro(), "S01"); }) == ErrorCode::Conflict);  // same カルテ番号

    c.value = "2021-07-27T10:00:00";
    auto u = db.undo(r.audit_id, "S02");
    CHECK_FALSE(db.patient("13"));
    auto ua = db.audit_entry(u);
    REQUIRE(ua);
    CHECK(ua->undo_of == r.audit_id);
    CHECK(ua->staff_id == "S02");
    CHECK(db.audit_entry(r.audit_id)->undone_by == u);
    CHECK(code_of([&] { db.undo(r.audit_id, "S02"); }) == ErrorCode::Conflict);  // only once

    // Undoing the undo brings the patient back exactly.
    db.undo(u, "S02");
    auto back = db.patient("13");
    REQUIRE(back);
    CHECK(back->current_card()->id == r.card_id);
    CHECK(back->reference_number() == "A1_1510110016");
}

TEST_CASE("register allocates the next カルテ番号 as a string") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    CHECK(db.next_karte() == "1");
    db.apply(register_ichiro("99"), "S01");
    auto p = register_ichiro("");
    p.reference_number.clear();
    CHECK(db.apply(p, "S01").karte == "100");
    CHECK(code_of([&] { db.apply(register_ichiro("0"), "S01"); }) == ErrorCode::Invalid);
    CHECK(code_of([&] { db.apply(register_ichiro("1"), ""); }) == ErrorCode::Invalid);  // no staff
}

TEST_CASE("overwrite changes only the checked fields, never phones, and undo restores them") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    db.set_phones("13", {"03-1111-2222", "", "090-0000-0000"}, "S01");
    auto before = *db.patient("13");

    auto p = plan(PlanKind::OverwriteFields, "13",
                  {{Field::KanaName, "ｼｶｸ ｲﾁﾛｳ"},
                   {Field::Postal, "1000015"},
                   {Field::Edaban, "02"},
                   {Field::ValidUntil, "2025-03-31"}});
    auto r = db.apply(p, "S01");
    auto after = *db.patient("13");
    CHECK(after.patient.kana_name == "ｼｶｸ ｲﾁﾛｳ");
    CHECK(after.patient.postal == "1000015");
    CHECK(after.patient.address == before.patient.address);
    CHECK(after.patient.phones.home == "03-1111-2222");
    CHECK(after.patient.phones.mobile == "090-0000-0000");
    CHECK(after.current_card()->edaban == "02");
    CHECK(after.current_card()->kigo == "萩う10");
    CHECK(after.current_card()->id == before.current_card()->id);  // 上書き keeps the card
    CHECK(after.cards.size() == 1);
    CHECK(db.search({"", "シカクイチロウ", ""}).size() == 1);  // kana key follows the new name

    db.undo(r.audit_id, "S02");
    auto undone = *db.patient("13");
    CHECK(undone.patient.kana_name == before.patient.kana_name);
    CHECK(undone.patient.postal == "1000014");
    CHECK(undone.current_card()->edaban == "01");
    CHECK(undone.current_card()->valid_until.empty());

    // Phones are never blanked: empty values keep what is stored.
    db.set_phones("13", {"", "", ""}, "S01");
    CHECK(db.patient("13")->patient.phones.home == "03-1111-2222");

    CHECK(code_of([&] {
              db.apply(plan(PlanKind::OverwriteFields, "14", {{Field::Postal, "1"}}), "S01");
          }) == ErrorCode::NotFound);
    CHECK(code_of([&] {
              db.apply(plan(PlanKind::OverwriteFields, "13", {{Field::Postal, "1"}, {Field::Postal, "2"}}), "S01");
          }) == ErrorCode::Invalid);
    CHECK(code_of([&] {
              db.apply(plan(PlanKind::OverwriteFields, "13", {{Field::Birth, "1960-02-30"}}), "S01");
          }) == ErrorCode::Invalid);
}

TEST_CASE("a diff computed on version N is refused when another counter changed the patient before 更新する") {
    TempDir d;
    Clock c;
    auto counter1 = open_with(d.path / "l.sqlite", c);
    auto counter2 = open_with(d.path / "l.sqlite", c);  // another kiosk on the same ledger
    counter1.apply(register_ichiro(), "S01");
    const int64_t n = counter1.patient_version("13");
    CHECK(n > 0);
    CHECK(counter2.patient_version("13") == n);
    CHECK(counter1.patient_version("99") == 0);

    // Counter 1 computes its diff on version N; counter 2 changes the patient first.
    auto mine = plan(PlanKind::OverwriteFields, "13", {{Field::Postal, "1000015"}});
    mine.base_version = n;
    counter2.apply(plan(PlanKind::OverwriteFields, "13", {{Field::Address, "東京都港区"}}), "S02");
    CHECK(counter1.patient_version("13") > n);
    const size_t audits = counter1.audit_log("13", 100).size();
    try {
        counter1.apply(mine, "S01");
        FAIL("a stale diff was written");
    } catch (const LedgerError& e) {
        CHECK(e.code == ErrorCode::Stale);
        CHECK(e.message_ja == "別の端末で更新されました。差分を取り直します");
    }
    CHECK(counter1.patient("13")->patient.postal == "1000014");  // nothing written
    CHECK(counter1.audit_log("13", 100).size() == audits);

    // Recomputed on the new version it goes through; a check recorded on its own is no change of the patient.
    mine.base_version = counter1.patient_version("13");
    NewCheck face;
    face.karte = "13";
    face.method = CheckMethod::Face;
    face.checked_at = "2021-08-17T09:30:00";
    face.status = "valid";
    face.validity = "1";
    counter2.record_check(face, "S02");
    CHECK(counter1.patient_version("13") == *mine.base_version);
    CHECK(counter1.apply(mine, "S01").audit_id > 0);
    CHECK(counter2.patient("13")->patient.postal == "1000015");
    // Any change of the patient elsewhere counts, phones included.
    mine = plan(PlanKind::OverwriteFields, "13", {{Field::Postal, "1000016"}});
    mine.base_version = counter1.patient_version("13");
    counter2.set_phones("13", {"03-1111-2222", "", ""}, "S02");
    CHECK(code_of([&] { counter1.apply(mine, "S01"); }) == ErrorCode::Stale);
    // A plan without a version is not compared (a new patient, a plan built without a diff).
    mine.base_version.reset();
    CHECK(counter1.apply(mine, "S01").audit_id > 0);
}

TEST_CASE("a watcher hears every committed change on the ledger, from any store, and nothing else") {
    TempDir d;
    Clock c;
    auto writer = open_with(d.path / "l.sqlite", c);
    std::mutex m;
    std::condition_variable cv;
    int heard = 0;
    LedgerWatcher watch(ledger_at(d.path / "l.sqlite"), [&] {
        std::lock_guard<std::mutex> lock(m);
        ++heard;
        cv.notify_all();
    });
    auto heard_by = [&](int n) {
        std::unique_lock<std::mutex> lock(m);
        return cv.wait_for(lock, std::chrono::seconds(1), [&] { return heard >= n; });
    };
    auto count = [&] {
        std::lock_guard<std::mutex> lock(m);
        return heard;
    };
    writer.apply(register_ichiro(), "S01");
    CHECK(heard_by(1));
    // Another store on the same ledger (another kiosk's, on PostgreSQL) is heard too.
    auto other = open_with(d.path / "l.sqlite", c);
    const int before = count();
    other.confirm_card("13", "2021-08-01", "S02");
    CHECK(heard_by(before + 1));
    // Reads and refused changes are not changes.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const int settled = count();
    CHECK(writer.patient("13"));
    CHECK(other.search({"", "シカク", ""}).size() == 1);
    CHECK(code_of([&] { other.apply(register_ichiro(), "S02"); }) == ErrorCode::Conflict);  // カルテ番号 13 exists
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(count() == settled);
}

TEST_CASE("switching cards closes the old one on 切替日 − 1 and keeps it as 過1") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    c.value = "2021-08-17T10:00:00";
    auto p = plan(PlanKind::SwitchCard, "13",
                  {{Field::InsurerNumber, "133033"},
                   {Field::Kigo, "葛う10"},
                   {Field::Bango, "1639960291x001"},
                   {Field::Edaban, "01"},
                   {Field::Relationship, "1"},
                   {Field::LimitFrom, "2021-08-01"}});
    p.switch_date = "2021-08-01";
    p.check = PlannedCheck{CheckMethod::Face, "", "1", "1", "", "", "<new/>"};
    auto r = db.apply(p, "S01");
    auto rec = *db.patient("13");
    REQUIRE(rec.cards.size() == 2);
    CHECK(rec.cards[0].insurer_number == "133033");
    CHECK(rec.cards[0].valid_from == "2021-08-01");  // 保険有効開始日 defaults to 切替日
    CHECK(rec.cards[0].closed_on.empty());
    CHECK(rec.cards[1].insurer_number == "139980");  // 過1
    CHECK(rec.cards[1].closed_on == "2021-07-31");
    CHECK(rec.latest_check->card_id == rec.cards[0].id);

    // A second switch pushes it to 過2.
    auto p2 = plan(PlanKind::SwitchCard, "13", {{Field::InsurerNumber, "06140248"}});
    p2.switch_date = "2022-04-01";
    auto r2 = db.apply(p2, "S01");
    rec = *db.patient("13");
    REQUIRE(rec.cards.size() == 3);
    CHECK(rec.cards[1].insurer_number == "133033");
    CHECK(rec.cards[1].closed_on == "2022-03-31");
    CHECK(rec.cards[2].insurer_number == "139980");

    // Undo in the wrong order is refused (the first switch's card was closed later), in order it works.
    CHECK(code_of([&] { db.undo(r.audit_id, "S01"); }) == ErrorCode::Conflict);
    db.undo(r2.audit_id, "S01");
    db.undo(r.audit_id, "S01");
    rec = *db.patient("13");
    REQUIRE(rec.cards.size() == 1);
    CHECK(rec.cards[0].insurer_number == "139980");
    CHECK(rec.cards[0].closed_on.empty());

    auto bad = plan(PlanKind::SwitchCard, "13", {{Field::InsurerNumber, "133033"}});
    bad.switch_date = "2012-04-01";  // the old card would end before it starts
    CHECK(code_of([&] { db.apply(bad, "S01"); }) == ErrorCode::Invalid);
    bad.switch_date = "";
    CHECK(code_of([&] { db.apply(bad, "S01"); }) == ErrorCode::Invalid);
}

TEST_CASE("a patient with no card gets one by switch, not by overwrite (保険証忘れ)") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    auto reg =
        plan(PlanKind::RegisterPatient, "23", {{Field::KanjiName, "資格　十六郎"}, {Field::Birth, "1991-12-01"}});
    db.apply(reg, "S01");
    CHECK(db.patient("23")->cards.empty());
    CHECK(code_of([&] {
              db.apply(plan(PlanKind::OverwriteFields, "23", {{Field::Kigo, "世人10"}}), "S01");
          }) == ErrorCode::Invalid);
    auto sw = plan(PlanKind::SwitchCard, "23", {{Field::Kigo, "世人10"}, {Field::Bango, "016"}});
    sw.switch_date = "2019-11-08";
    db.apply(sw, "S01");
    auto rec = *db.patient("23");
    REQUIRE(rec.cards.size() == 1);
    CHECK(rec.cards[0].valid_from == "2019-11-08");
}

TEST_CASE("extend-only changes 保険有効期限 and adds an empty 枝番, nothing else") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    auto reg = register_ichiro();
    reg.fields.erase(
        std::remove_if(reg.fields.begin(), reg.fields.end(), [](auto& f) { return f.field == Field::Edaban; }),
        reg.fields.end());
    db.apply(reg, "S01");
    auto r =
        db.apply(plan(PlanKind::ExtendOnly, "13", {{Field::ValidUntil, "2026-07-31"}, {Field::Edaban, "01"}}), "S01");
    auto card = *db.patient("13")->current_card();
    CHECK(card.valid_until == "2026-07-31");
    CHECK(card.edaban == "01");
    CHECK(code_of([&] {
              db.apply(plan(PlanKind::ExtendOnly, "13", {{Field::Edaban, "02"}}), "S01");
          }) == ErrorCode::Invalid);
    CHECK(code_of([&] {
              db.apply(plan(PlanKind::ExtendOnly, "13", {{Field::Kigo, "x"}}), "S01");
          }) == ErrorCode::Invalid);
    db.undo(r.audit_id, "S01");
    card = *db.patient("13")->current_card();
    CHECK(card.valid_until.empty());
    CHECK(card.edaban.empty());
}

TEST_CASE("check-only records the check and its consents, and can be undone") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    c.value = "2021-09-01T08:00:00";
    auto p = plan(PlanKind::RecordCheckOnly, "13");
    p.check = PlannedCheck{CheckMethod::Pin, "", "2", "1", "", "喪失", "<x/>"};
    p.consents = {{"特定健診情報", "0", "", ""}};
    auto r = db.apply(p, "S01");
    auto rec = *db.patient("13");
    CHECK(rec.latest_check->validity == "2");
    CHECK(rec.latest_check->method == CheckMethod::Pin);
    CHECK(rec.current_card()->card_checked_on == "2021-07-27");  // 無効 does not confirm the card
    CHECK(rec.consents.size() == 2);
    db.undo(r.audit_id, "S01");
    rec = *db.patient("13");
    CHECK(rec.latest_check->validity == "1");
    CHECK(rec.consents.size() == 1);
    p.fields = {{Field::Postal, "1"}};
    CHECK(code_of([&] { db.apply(p, "S01"); }) == ErrorCode::Invalid);
    auto nocheck = plan(PlanKind::RecordCheckOnly, "13");
    nocheck.consents = {{"薬剤情報", "1", "", ""}};
    CHECK(code_of([&] { db.apply(nocheck, "S01"); }) == ErrorCode::Invalid);
}

TEST_CASE("照会番号 linked to another patient refuses the whole plan, relink moves it, undo moves it back") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro("13"), "S01");
    auto goro =
        plan(PlanKind::RegisterPatient, "14", {{Field::KanjiName, "資格　五郎"}, {Field::InsurerNumber, "06140248"}});
    db.apply(goro, "S01");
    size_t audits = db.audit_log().size();

    // 更新 on the wrong patient: the 照会番号 belongs to 13, the plan targets 14 → nothing is written.
    auto wrong = plan(PlanKind::OverwriteFields, "14", {{Field::InsurerNumber, "139980"}});
    wrong.check = PlannedCheck{CheckMethod::Visual, "", "1", "1", "", "", ""};
    wrong.reference_number = "A1_1510110016";
    CHECK(code_of([&] { db.apply(wrong, "S01"); }) == ErrorCode::Conflict);
    CHECK(db.audit_log().size() == audits);
    CHECK(db.patient("14")->current_card()->insurer_number == "06140248");
    CHECK_FALSE(db.patient("14")->latest_check);

    auto mv = db.relink_reference("A1_1510110016", "14", "S02");
    CHECK(db.patient("13")->reference_number().empty());
    CHECK(db.patient("14")->reference_number() == "A1_1510110016");
    CHECK(db.patient("13")->links.size() == 1);  // history kept, with unlinked_at
    CHECK_FALSE(db.patient("13")->links[0].unlinked_at.empty());
    db.undo(mv, "S02");
    CHECK(db.patient("13")->reference_number() == "A1_1510110016");
    CHECK(db.patient("14")->reference_number().empty());

    auto un = db.unlink_reference("13", "S02");
    CHECK(db.patient("13")->reference_number().empty());
    CHECK(code_of([&] { db.unlink_reference("13", "S02"); }) == ErrorCode::NotFound);
    db.undo(un, "S02");
    CHECK(db.patient("13")->reference_number() == "A1_1510110016");
}

TEST_CASE("undo refuses when a later change touched the same rows") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    auto a = db.apply(plan(PlanKind::OverwriteFields, "13", {{Field::Address, "A"}}), "S01");
    auto b = db.apply(plan(PlanKind::OverwriteFields, "13", {{Field::Address, "B"}}), "S01");
    CHECK(code_of([&] { db.undo(a.audit_id, "S01"); }) == ErrorCode::Conflict);
    CHECK(db.patient("13")->patient.address == "B");
    db.undo(b.audit_id, "S01");
    db.undo(a.audit_id, "S01");
    CHECK(db.patient("13")->patient.address == "東京都千代田区永田町1-99-99");
    CHECK(code_of([&] { db.undo(9999, "S01"); }) == ErrorCode::NotFound);
}

TEST_CASE("保険証確認日, 公費 and 介護保険 entries, each with undo, plans never touch 公費/介護") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    auto cc = db.confirm_card("13", "2021-08-02", "S01");
    CHECK(db.patient("13")->current_card()->card_checked_on == "2021-08-02");
    db.undo(cc, "S01");
    CHECK(db.patient("13")->current_card()->card_checked_on == "2021-07-27");

    auto k = db.add_kouhi("13", {0, "12136016", "1234566", "2021-04-01", "", "医療扶助"}, "S01");
    db.add_kaigo("13", {0, "131011", "0000012345", "要介護2", "2021-04-01", "2024-03-31"}, "S01");
    auto sw = plan(PlanKind::SwitchCard, "13", {{Field::InsurerNumber, "133033"}});
    sw.switch_date = "2021-08-01";
    db.apply(sw, "S01");
    auto rec = *db.patient("13");
    REQUIRE(rec.kouhi.size() == 1);
    CHECK(rec.kouhi[0].futansha_number == "12136016");
    REQUIRE(rec.kaigo.size() == 1);
    CHECK(rec.kaigo[0].care_level == "要介護2");
    db.undo(k, "S01");  // the switch left the 公費 row untouched, so its addition undoes cleanly
    CHECK(db.patient("13")->kouhi.empty());
    CHECK(code_of([&] { db.add_kouhi("13", {0, "", "", "", "", ""}, "S01"); }) == ErrorCode::Invalid);
    CHECK(code_of([&] { db.add_kaigo("77", {0, "131011", "", "", "", ""}, "S01"); }) == ErrorCode::NotFound);
}

TEST_CASE("search by カルテ番号, kana key and birth date, today's patients, history cap") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro("13"), "S01");
    auto goro =
        plan(PlanKind::RegisterPatient, "14",
             {{Field::KanaName, "シカク ゴロウ"}, {Field::Birth, "1990-01-01"}, {Field::InsurerNumber, "06140248"}});
    c.value = "2021-07-28T09:00:00";
    goro.check = PlannedCheck{CheckMethod::Face, "", "1", "1", "", "", ""};
    db.apply(goro, "S01");

    CHECK(db.search({"13", "", ""}).size() == 1);
    auto kana = db.search({"", "ｼｶｸ", ""});  // half-width prefix matches both
    REQUIRE(kana.size() == 2);
    CHECK(db.search({"", "しかく ご", ""}).size() == 1);
    auto by_birth = db.search({"", "", "1990-01-01"});
    REQUIRE(by_birth.size() == 1);
    CHECK(by_birth[0].insurer_number == "06140248");
    REQUIRE(by_birth[0].latest_check);
    CHECK(by_birth[0].latest_check->raw_xml.empty());
    CHECK(db.search({"", "%", ""}).empty());  // no LIKE wildcards
    CHECK(code_of([&] { db.search({}); }) == ErrorCode::Invalid);

    auto today = db.today("2021-07-28");
    REQUIRE(today.size() == 1);
    CHECK(today[0].patient.karte == "14");
    CHECK(db.today("2021-07-27").size() == 1);
    CHECK(db.today().size() == 1);  // the clock says 07-28

    for (int i = 0; i < 6; ++i) {
        auto p = plan(PlanKind::RecordCheckOnly, "13");
        p.check =
            PlannedCheck{CheckMethod::Visual, "2021-08-0" + std::to_string(i + 1) + "T10:00:00", "1", "1", "", "", ""};
        db.apply(p, "S01");
    }
    auto h = db.history({"13", "", "", std::nullopt, ""}, 5);
    CHECK(h.too_many);
    CHECK(h.rows.empty());
    CHECK_FALSE(h.message_ja.empty());
    h = db.history({"13", "2021-08-02", "2021-08-04", std::nullopt, ""}, 5);
    CHECK_FALSE(h.too_many);
    REQUIRE(h.rows.size() == 3);
    CHECK(h.rows[0].checked_at == "2021-08-04T10:00:00");
    CHECK(db.history({"", "", "", CheckMethod::Face, ""}).rows.size() == 1);
}

TEST_CASE("staff members and passcode lockout state live in the ledger") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    auto a = db.add_staff({"S01", "受付 花子", "reception", "00ff", "abcd", 600000, 0, "", true}, "admin");
    CHECK(code_of([&] { db.add_staff({"S01", "x", "", "", "", 0, 0, "", true}, "admin"); }) == ErrorCode::Conflict);
    db.add_staff({"S02", "事務 太郎", "admin", "", "", 0, 0, "", true}, "admin");
    REQUIRE(db.list_staff().size() == 2);
    db.set_lockout("S01", 3, "2021-07-27T10:00:00");
    auto s = *db.staff("S01");
    CHECK(s.failed_count == 3);
    CHECK(s.locked_until == "2021-07-27T10:00:00");
    CHECK(s.iterations == 600000);
    CHECK(code_of([&] { db.set_lockout("S99", 1, ""); }) == ErrorCode::NotFound);
    db.set_staff_active("S02", false, "admin");
    CHECK_FALSE(db.staff("S02")->active);
    // Lockout counters are plain unaudited writes: they never block undoing the addition of S01.
    auto u = db.undo(a, "admin");
    CHECK_FALSE(db.staff("S01"));
    // Undoing the undo brings the member back without a passcode (the audit never held it).
    db.undo(u, "admin");
    REQUIRE(db.staff("S01"));
    CHECK(db.staff("S01")->hash.empty());
    CHECK(db.staff("S01")->name == "受付 花子");
}

TEST_CASE("the audit records who changed whose passcode and when, never the salt or hash") {
    TempDir d;
    Clock c;
    const auto file = d.path / "l.sqlite";
    auto db = open_with(file, c);
    db.add_staff({"S01", "受付 花子", "reception", "5a175a175a17", "4a54c0ffee01", 1000, 0, "", true}, "S02");
    c.value = "2021-07-28T08:00:00";
    auto id = db.set_staff_passcode("S01", "5a175a175a18", "4a54c0ffee02", 1000, "S02");
    CHECK(db.staff("S01")->hash == "4a54c0ffee02");
    auto e = db.audit_entry(id);
    REQUIRE(e);
    CHECK(e->action == "staff.passcode");
    CHECK(e->staff_id == "S02");
    CHECK(e->at == "2021-07-28T08:00:00");
    CHECK(e->summary.find("S01") != std::string::npos);
    // Nothing in any audit row carries the secrets, old or new.
    for (const auto& a : db.audit_log("", 100)) {
        const std::string all = a.changes.dump() + a.summary;
        for (const char* secret : {"5a175a175a17", "4a54c0ffee01", "5a175a175a18", "4a54c0ffee02"})
            CHECK(all.find(secret) == std::string::npos);
    }
    // A passcode change cannot be undone: there is nothing to put back.
    CHECK(code_of([&] { db.undo(id, "S02"); }) == ErrorCode::Conflict);
    CHECK(db.staff("S01")->hash == "4a54c0ffee02");
}

TEST_CASE("the sample ledger imports through audited changes") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    auto text = std::ifstream(default_sample_path());
    REQUIRE(text);
    auto data = onshi::Json::parse(text);
    auto n = import_sample(db, data, "import");
    CHECK(n.patients == 8);
    auto ichiro = *db.patient("13");
    REQUIRE(ichiro.cards.size() == 2);
    CHECK(ichiro.cards[0].insurer_number == "133033");
    CHECK(ichiro.cards[1].insurer_number == "139980");
    CHECK(ichiro.cards[1].closed_on == "2021-07-31");  // 切替日 令和3年8月1日 − 1
    auto shiro = *db.patient("21");
    CHECK(shiro.kouhi.size() == 1);
    CHECK(shiro.kaigo.size() == 1);
    CHECK(shiro.cards.empty());
    CHECK(db.search({"", "シカク", ""}).size() == 6);
    CHECK(db.list_staff().size() == 2);
    CHECK(code_of([&] { import_sample(db, data, "import"); }) == ErrorCode::Conflict);  // staff S01 exists

    TempDir d2;
    auto db2 = open_with(d2.path / "l.sqlite", c);
    auto bad = onshi::Json::parse(R"({"patients":[{"karte":"1","kojin_bango":"123456789018"}]})");
    CHECK(code_of([&] { import_sample(db2, bad, "import"); }) == ErrorCode::Invalid);
    CHECK_FALSE(db2.patient("1"));
}

TEST_CASE("the store takes the one clock (epoch ms) and writes its local time, to the second") {
    TempDir d;
    LedgerStore::Options o;
    const int64_t at = onshi::util::parse_local("2021-08-17T09:31:05") + 999;  // the milliseconds are dropped
    o.clock = [at] { return at; };
    auto db = LedgerStore::open(ledger_at(d.path / "l.sqlite"), o);
    CHECK(db.now() == "2021-08-17T09:31:05");
    auto id = db.add_staff({"S01", "受付 花子", "reception", "5a175a175a17", "4a54c0ffee01", 1000, 0, "", true}, "S02");
    auto e = db.audit_entry(id);
    REQUIRE(e);
    CHECK(e->at == onshi::util::format_local(at));
    CHECK(e->at == "2021-08-17T09:31:05");
}

// 薬剤・健診 rows are read-only on both engines: the schema's triggers refuse an UPDATE or DELETE of a stored row
// even from a connection outside the store (on PostgreSQL, the translated BEFORE row triggers).
TEST_CASE("a stored medinfo row refuses UPDATE and DELETE from outside the store") {
    TempDir dir;
    const auto file = dir.path / "l.sqlite";
    int64_t id = 0;
    {
        Clock c;
        auto db = open_with(file, c);
        db.apply(register_ichiro(), "S01");
        MedinfoRecord m;
        m.karte = "13";
        m.kind = "yzk";
        m.format = "xml";
        m.file = "YZKsiquc01res_1.xml";
        m.raw = "<XmlMsg/>";
        id = db.add_medinfo(m, "S01").id;
    }
    // The statement through a connection of its own: the engine's error text, "" when it went through.
    auto outside = [&](const std::string& sql) -> std::string {
        if (on_postgres()) {
            try {
                onshi::test::pg_detail::Conn(ledger_at(file).string()).one(sql);
                return "";
            } catch (const std::runtime_error& e) {
                return e.what();
            }
        }
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
        char* err = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
        std::string out = rc == SQLITE_OK ? "" : err ? err : "error";
        sqlite3_free(err);
        sqlite3_close(db);
        return out;
    };
    const std::string where = " WHERE id = " + std::to_string(id);
    for (const std::string& sql : {"UPDATE medinfo SET karte = '5'" + where, "UPDATE medinfo SET staff_id = 'S02'" + where,
                                  "DELETE FROM medinfo" + where}) {
        INFO(sql);
        CHECK_THAT(outside(sql), Catch::Contains("medinfo rows are read-only"));
    }
    Clock c;
    auto db = open_with(file, c);
    auto row = db.medinfo(id);
    REQUIRE(row);
    CHECK(row->karte == "13");
    CHECK(row->staff_id == "S01");
    CHECK(row->raw == "<XmlMsg/>");
}
