// Fetching end to end on real folders against the simulated terminal (in-process): the consent refusal
// before anything is written, XML and PDF answers stored read-only with their audit rows, a PDF page
// rendered with poppler, 照会番号登録 and the 訪問等 consent list.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "core/medinfo/fetch.hpp"
#include "core/medinfo/pdf_pages.hpp"
#include "core/medinfo/view.hpp"
#include "core/oqs/medinfo_sim.hpp"
#include "core/util/files.hpp"
#include "tests/ledger/ledger_test_util.hpp"
#include "tests/support/simulated_terminal.hpp"

using namespace onshi;
using namespace onshi::ledger;
using namespace onshi::ledger::test;
using namespace onshi::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Outcome = onshi::medinfo::FetchResult::Outcome;
using onshi::oqs::medinfo::InfoKind;

namespace {

struct Rig {
    TempDir dir{"onshi-medinfo-fetch"};
    Clock clock;
    LedgerStore db;
    oqs::EventWaiter events;
    std::unique_ptr<oqs::OqsSimulator> sim;
    std::unique_ptr<oqs::FolderGateway> gw;

    Rig() : db(open_with(dir.path / "l.sqlite", clock)) {
        for (const char* d : {"req", "res", "face"}) fs::create_directories(dir.path / "oqs" / d);
        // 資格 七夫 and 資格 五郎 of assets/oqs/people.json, as the clinic registered them.
        db.apply(registration("7", "シカク ナナオ", "1940-10-11", "39470000", "", "1000007", "", "資格 七夫"), "S01");
        db.apply(registration("5", "シカク ゴロウ", "1990-01-01", "133033", "葛う10", "1639960291x005", "01"), "S01");
        sim = start_simulator(dir.path / "oqs", dir.path / "control.json");
        gw = start_gateway(dir.path / "oqs", dir.path / "state.json", 5000ms, events.sink());
    }
    ~Rig() {
        gw.reset();
        sim.reset();
    }
    // The patient on the simulated face-auth reader, answering the consent screens; the result recorded as
    // the face intake records it.
    void reception(const std::string& karte, const std::string& person, bool drug, bool checkup) {
        oqs::ReaderReception rr;
        rr.person_id = person;
        rr.consents.pharmacists = drug;
        rr.consents.specific_health_checkups = checkup;
        const std::string name = sim->face_reception(rr);
        auto bytes = files::read_regular(dir.path / "oqs" / "face" / name, 1 << 20);
        REQUIRE(bytes.ok());
        NewCheck c;
        c.karte = karte;
        c.method = CheckMethod::Face;
        c.status = "valid";
        c.raw_xml = bytes.bytes;
        db.record_check(c, "S01");
    }
    medinfo::NextEvent next() {
        return [this](std::chrono::milliseconds t) { return events.wait(t); };
    }
    medinfo::FetchResult fetch(const std::string& karte, InfoKind kind, bool pdf = false, int64_t now_ms = 0) {
        medinfo::FetchOptions o;
        o.kind = kind;
        o.pdf = pdf;
        o.medical_institution_code = kMic;
        o.wait = 5000ms;
        o.now_ms = now_ms;
        o.staff_id = "S02";
        return medinfo::fetch(db, gw->transport(), next(), karte, o);
    }
    size_t files_in(const char* folder) {
        size_t n = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path / "oqs" / folder)) ++n;
        return n;
    }
};

}  // namespace

TEST_CASE("without a valid consent nothing is sent and nothing is stored") {
    Rig r;
    r.reception("7", "shikaku-nanao", true, false);
    auto tkk = r.fetch("7", InfoKind::Checkup);
    CHECK(tkk.outcome == Outcome::Refused);
    CHECK(tkk.request.empty());
    CHECK(tkk.message_ja == "特定健診情報の閲覧同意がありません。");
    // The reader's AvailableTime is a day ahead: two days later the 薬剤 consent has expired.
    auto late = r.fetch("7", InfoKind::Drug, false, util::system_now_ms() + 2 * 24 * 3600 * 1000LL);
    CHECK(late.outcome == Outcome::Refused);
    CHECK(late.consent.verdict == medinfo::ConsentVerdict::Expired);
    CHECK(late.message_ja == "閲覧の有効期限が切れています");
    CHECK(late.error_en.find("expired") != std::string::npos);
    CHECK(r.files_in("req") == 0);
    CHECK(r.gw->transport().outstanding().empty());
    CHECK(r.db.medinfo_list("7").empty());
    CHECK(r.fetch("999", InfoKind::Drug).outcome == Outcome::Refused);
}

TEST_CASE("a 薬剤情報 XML answer is stored with the patient, parsed, audited and read-only") {
    Rig r;
    r.reception("7", "shikaku-nanao", true, true);
    auto f = r.fetch("7", InfoKind::Drug);
    INFO(f.error_en);
    REQUIRE(f.outcome == Outcome::Stored);
    CHECK(f.request.rfind("YZKsiquc01req_", 0) == 0);
    REQUIRE(f.stored);
    CHECK(f.stored->format == "xml");
    CHECK(f.stored->file == oqs::counterpart_name(f.request));
    CHECK(f.stored->staff_id == "S02");
    CHECK(f.stored->consent_until == f.consent.available_until);
    auto row = r.db.medinfo(f.stored->id);
    REQUIRE(row);
    CHECK(oqs::medinfo::parse_drug(row->raw).ok());
    CHECK(Json::parse(row->parsed)["months"].size() == 48);
    auto audit = r.db.audit_entry(f.stored->audit_id);
    REQUIRE(audit);
    CHECK(audit->action == "medinfo.fetch");
    CHECK(audit->staff_id == "S02");
    CHECK(audit->karte == "7");
    // The fetch is kept: its audit row cannot be undone (an undo would say it was taken back).
    try {
        r.db.undo(f.stored->audit_id, "S02");
        FAIL("undo of medinfo.fetch was accepted");
    } catch (const LedgerError& e) {
        CHECK(e.code == ErrorCode::Conflict);
        CHECK(e.message_ja == "取得した薬剤情報・特定健診情報の記録は取り消せません。");
    }
    CHECK_FALSE(r.db.audit_entry(f.stored->audit_id)->undone_by);
    // The viewer finds it.
    auto page = medinfo::load_patient(r.db, "7");
    REQUIRE(page.drugs);
    CHECK(page.drugs->any(medinfo::Highlight::Anticoagulant));
    CHECK(page.drugs->any(medinfo::Highlight::Bisphosphonate));
    // Read-only: the table refuses changes even from outside the store.
    r.db = LedgerStore::open(r.dir.path / "x.sqlite");  // closes l.sqlite
    for (const char* sql : {"UPDATE medinfo SET karte = '5'", "DELETE FROM medinfo"}) {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((r.dir.path / "l.sqlite").c_str(), &db) == SQLITE_OK);
        char* err = nullptr;
        CHECK(sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK);
        CHECK(std::string(err ? err : "").find("read-only") != std::string::npos);
        sqlite3_free(err);
        sqlite3_close(db);
    }
}

TEST_CASE("a 特定健診情報 PDF answer is stored as received and its first page renders") {
    Rig r;
    r.reception("7", "shikaku-nanao", false, true);
    auto f = r.fetch("7", InfoKind::Checkup, true);
    INFO(f.error_en);
    REQUIRE(f.outcome == Outcome::Stored);
    CHECK(f.stored->format == "pdf");
    CHECK(f.stored->file.size() > 4);
    CHECK(f.stored->file.substr(f.stored->file.size() - 4) == ".pdf");
    auto row = r.db.medinfo(f.stored->id);
    REQUIRE(row);
    CHECK(row->parsed.empty());
    std::string error;
    auto pdf = medinfo::PdfPages::open(row->raw, error);
    INFO(error);
    REQUIRE(pdf);
    CHECK(pdf->pages() >= 2);
    medinfo::RgbaImage img = pdf->render(0, 600);
    CHECK(img.width == 600);
    CHECK(img.height == 849);  // A4's aspect ratio
    size_t dark = 0;
    for (size_t i = 0; i + 3 < img.pixels.size(); i += 4)
        if (img.pixels[i] < 80 && img.pixels[i + 1] < 80 && img.pixels[i + 2] < 80) ++dark;
    CHECK(dark > 2000);  // text was drawn, not a blank page
    CHECK(pdf->render(pdf->pages(), 600).empty());
}

TEST_CASE("an error answer or an answer for another request is not stored") {
    Rig r;
    r.reception("5", "shikaku-goro", true, true);
    files::write_atomic(r.dir.path / "control.json", Json{{"fault", "status2"}, {"latency_ms", "50"}}.dump());
    auto f = r.fetch("5", InfoKind::Drug);
    CHECK(f.outcome == Outcome::Failed);
    CHECK(f.error_en.find("ResultCode 2") != std::string::npos);
    files::write_atomic(r.dir.path / "control.json", Json{{"fault", "afi_mismatch"}, {"latency_ms", "50"}}.dump());
    auto g = r.fetch("5", InfoKind::Drug);
    CHECK(g.outcome == Outcome::Failed);
    CHECK(g.error_en.find("ArbitraryFileIdentifier") != std::string::npos);
    files::write_atomic(r.dir.path / "control.json", Json{{"fault", "err"}, {"latency_ms", "50"}}.dump());
    auto h = r.fetch("5", InfoKind::Checkup);
    CHECK(h.outcome == Outcome::Failed);
    CHECK(r.db.medinfo_list("5").empty());
}

TEST_CASE("照会番号登録 registers the カルテ番号 once, records the answer and links it") {
    Rig r;
    auto before = r.db.patient("7");
    REQUIRE(before);
    CHECK(medinfo::registration_needed(*before, ""));
    CHECK_FALSE(medinfo::registration_needed(*before, "A1_123"));  // OQS knows one: link it, nothing to send
    auto reg = medinfo::register_reference(r.db, r.gw->transport(), r.next(), "7", kMic, 5000ms, "S02");
    INFO(reg.error_en);
    REQUIRE(reg.outcome == medinfo::RegistrationResult::Outcome::Registered);
    CHECK(reg.request.rfind("OQSsiimm01req_", 0) == 0);
    CHECK(r.db.patient("7")->reference_number() == "7");
    auto audit = r.db.audit_entry(reg.audit_id);
    REQUIRE(audit);
    CHECK(audit->action == "reference.register");
    CHECK(audit->summary.find("登録済") != std::string::npos);
    // The next face result carries it, so the 原簿 and OQS agree.
    r.reception("7", "shikaku-nanao", true, true);
    CHECK(r.db.answered_checks("7").front().raw_xml.find("<ReferenceNumber>7</ReferenceNumber>") != std::string::npos);
    auto again = medinfo::register_reference(r.db, r.gw->transport(), r.next(), "7", kMic, 5000ms, "S02");
    CHECK(again.outcome == medinfo::RegistrationResult::Outcome::Refused);
    CHECK(again.message_ja == "照会番号は登録済みです。");
    // A failed registration is recorded too, and links nothing.
    files::write_atomic(r.dir.path / "control.json", Json{{"fault", "status2"}, {"latency_ms", "50"}}.dump());
    auto bad = medinfo::register_reference(r.db, r.gw->transport(), r.next(), "5", kMic, 5000ms, "S02");
    CHECK(bad.outcome == medinfo::RegistrationResult::Outcome::Failed);
    CHECK(r.db.patient("5")->reference_number().empty());
    CHECK(r.db.audit_entry(bad.audit_id)->summary.find("失敗") != std::string::npos);
}

TEST_CASE("the 訪問等 consent list is asked for a 確認期間 and polled until ready") {
    Rig r;
    auto list = medinfo::home_visit_list(r.db, r.gw->transport(), r.next(), kMic, "20230601", "20230630", 5000ms, 50ms);
    INFO(list.error_en);
    REQUIRE(list.ok);
    CHECK_FALSE(list.reception_number.empty());
    REQUIRE(list.rows.size() == 2);  // 資格 七夫 and 扶助 四郎 consented on 令和5年6月5日
    CHECK(list.rows[0].kanji == "資格 七夫");
    CHECK(list.rows[0].insurer_number == "39470000");
    CHECK(list.rows[0].birth == "19401011");
    CHECK_FALSE(list.rows[0].confirmed);
    // Each row is a 資格確認 answer of its own for 差分確認, and its recorded XML names nobody else.
    for (size_t i = 0; i < 2; ++i) {
        const auto& row = list.rows[i];
        CHECK(row.result.validity == row.validity);  // the unit's QualificationValidity, as sent
        CHECK(row.result.status != oqs::Status::Error);
        REQUIRE(row.result.records.size() == 1);
        CHECK(row.result.records[0].name.value_or("") == row.kanji);
        const auto& other = list.rows[1 - i];
        CHECK(row.raw_xml.find(row.kanji) != std::string::npos);
        CHECK(row.raw_xml.find(other.kanji) == std::string::npos);
        const oqs::ParsedFile back = oqs::parse_file(row.raw_xml, oqs::MessageKind::Muhvq02Res);
        CHECK(back.message.body.units.size() == 1);
    }
    auto none = medinfo::home_visit_list(r.db, r.gw->transport(), r.next(), kMic, "20240101", "20240131", 5000ms, 50ms);
    CHECK(none.ok);
    CHECK(none.rows.empty());
    auto bad = medinfo::home_visit_list(r.db, r.gw->transport(), r.next(), kMic, "20240131", "20240101", 5000ms);
    CHECK_FALSE(bad.ok);
}

TEST_CASE("training's simulator dates the 訪問等 consents today: the last 7 days find them on any day") {
    Rig r;
    r.sim.reset();
    r.sim = start_simulator(r.dir.path / "oqs", r.dir.path / "control.json", true);
    const rules::Date today = local_today();
    auto week = medinfo::home_visit_list(r.db, r.gw->transport(), r.next(), kMic, today.add_days(-6).oqs(), today.oqs(),
                                         5000ms, 50ms);
    INFO(week.error_en);
    REQUIRE(week.ok);
    REQUIRE(week.rows.size() == 2);
    CHECK(week.rows[0].kanji == "資格 七夫");
    auto june_2023 = medinfo::home_visit_list(r.db, r.gw->transport(), r.next(), kMic, "20230601", "20230630", 5000ms, 50ms);
    CHECK(june_2023.ok);
    CHECK(june_2023.rows.empty());
}
