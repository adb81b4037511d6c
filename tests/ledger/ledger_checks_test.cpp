// Checks recorded on their own (照会中 → answer), OQS files taken in exactly once, and the migration of a
// schema-1 ledger to schema 2.
#include <catch2/catch.hpp>

#include "core/ledger/packed_text.hpp"
#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi::ledger;
using namespace onshi::ledger::test;
namespace fs = std::filesystem;

namespace {

const std::string kSha(64, 'a');
const std::string kSha2(64, 'b');

NewCheck face_check(const std::string& karte = "13") {
    NewCheck c;
    c.karte = karte;
    c.method = CheckMethod::Face;
    c.checked_at = "2021-08-17T09:30:00";
    c.status = "valid";
    c.validity = "1";
    c.processing_status = "1";
    c.message = "有効";
    c.raw_xml = "<XmlMsg/>";
    return c;
}

IntakeRecord intake_row(const std::string& sha, const std::string& outcome, const std::string& file = "f.xml") {
    IntakeRecord r;
    r.sha256 = sha;
    r.file = file;
    r.outcome = outcome;
    r.match = outcome == "matched" ? "reference" : "none";
    r.status = outcome == "malformed" ? "" : "valid";
    r.reason = outcome == "malformed" ? "not XML" : "";
    r.raw = std::string("\x82\xa0<XmlMsg/>\0tail", 15);  // any bytes, NUL included
    return r;
}

}  // namespace

TEST_CASE("a 単件照会 is recorded 照会中 and then answered once, in audited steps that undo") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    const int64_t card = db.patient("13")->current_card()->id;

    NewCheck q;
    q.karte = "13";
    q.card_id = card;
    q.method = CheckMethod::Query;
    q.status = "processing";
    q.request = "OQSsiquc01req_20210817000001.xml";
    auto r = db.record_check(q, "S01");
    auto pending = db.pending_check(q.request);
    REQUIRE(pending);
    CHECK(pending->id == r.check_id);
    CHECK(pending->method == CheckMethod::Query);
    CHECK(pending->status == "processing");
    CHECK(pending->card_id == card);
    CHECK(db.audit_entry(r.audit_id)->action == "check.query");
    CHECK(db.patient("13")->latest_check->status == "processing");

    NewCheck a;
    a.status = "invalid";
    a.validity = "2";
    a.processing_status = "1";
    a.message = "無効";
    a.raw_xml = "<answer/>";
    c.value = "2021-08-17T09:31:00";
    int64_t audit = db.complete_check(r.check_id, a, "S01");
    auto done = db.check(r.check_id);
    REQUIRE(done);
    CHECK(done->status == "invalid");
    CHECK(done->validity == "2");
    CHECK(done->raw_xml == "<answer/>");
    CHECK(done->request == q.request);
    CHECK_FALSE(db.pending_check(q.request));
    CHECK(db.audit_entry(audit)->action == "check.answer");
    // Answered once: a second answer (a duplicate, a late one) is refused.
    CHECK(code_of([&] { db.complete_check(r.check_id, a, "S01"); }) == ErrorCode::Conflict);
    CHECK(code_of([&] { db.complete_check(r.check_id + 100, a, "S01"); }) == ErrorCode::NotFound);
    a.status = "processing";
    CHECK(code_of([&] { db.complete_check(r.check_id, a, "S01"); }) == ErrorCode::Invalid);

    // Undo puts the check back to 照会中; undoing the query removes it.
    db.undo(audit, "S01");
    CHECK(db.check(r.check_id)->status == "processing");
    db.undo(r.audit_id, "S01");
    CHECK_FALSE(db.check(r.check_id));
    // The card untouched all along: a check never changes the 原簿.
    CHECK(db.patient("13")->current_card()->card_checked_on == "2021-07-27");
}

TEST_CASE("record_check refuses what is not a check of that patient") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    OverwritePlan other = register_ichiro("14");  // another patient, without the 照会番号 of 13
    other.reference_number.clear();
    db.apply(other, "S01");
    NewCheck bad = face_check("99");
    CHECK(code_of([&] { db.record_check(bad, "S01"); }) == ErrorCode::NotFound);
    bad = face_check();
    bad.status = "fine";
    CHECK(code_of([&] { db.record_check(bad, "S01"); }) == ErrorCode::Invalid);
    bad = face_check();
    bad.card_id = db.patient("14")->current_card()->id;  // someone else's card
    CHECK(code_of([&] { db.record_check(bad, "S01"); }) == ErrorCode::Invalid);
    CHECK(code_of([&] { db.record_check(face_check(), ""); }) == ErrorCode::Invalid);
    bad = face_check("0");
    CHECK(code_of([&] { db.record_check(bad, "S01"); }) == ErrorCode::Invalid);
}

TEST_CASE("a file is taken in once by its content: matched, unmatched and malformed alike") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    const size_t checks_before = checks_of(db, "13");

    auto first = db.take_in(intake_row(kSha, "matched"), face_check(), "intake");
    CHECK(first.recorded);
    CHECK(first.row.check_id > 0);
    CHECK(first.row.karte == "13");
    CHECK(first.audit_id > 0);
    CHECK(checks_of(db, "13") == checks_before + 1);
    auto stored = db.intake_by_sha256(kSha);
    REQUIRE(stored);
    CHECK(stored->raw == intake_row(kSha, "matched").raw);  // every byte, NUL and Shift_JIS included
    CHECK(db.check(first.row.check_id)->method == CheckMethod::Face);

    // The same content again, under another name: nothing new, the earlier intake is returned.
    auto again = db.take_in(intake_row(kSha, "matched", "renamed.xml"), face_check(), "intake");
    CHECK_FALSE(again.recorded);
    CHECK(again.row.id == first.row.id);
    CHECK(again.row.file == "f.xml");
    CHECK(again.audit_id == 0);
    CHECK(checks_of(db, "13") == checks_before + 1);

    // Nobody matched, or not a message at all: kept once, no check, no audit.
    const size_t audits = db.audit_log("", 1000).size();
    auto unmatched = db.take_in(intake_row(kSha2, "unmatched"), std::nullopt, "intake");
    CHECK(unmatched.recorded);
    CHECK(unmatched.row.check_id == 0);
    CHECK_FALSE(db.take_in(intake_row(kSha2, "unmatched"), std::nullopt, "intake").recorded);
    auto broken = db.take_in(intake_row(std::string(64, 'c'), "malformed"), std::nullopt, "intake");
    CHECK(broken.recorded);
    CHECK(db.audit_log("", 1000).size() == audits);
    auto listed = db.intake_list("unmatched");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].sha256 == kSha2);
    CHECK(listed[0].raw.empty());
    CHECK(db.intake_list().size() == 3);
    CHECK(db.intake_list("malformed")[0].reason == "not XML");

    // Undoing the recorded check does not make the file new again.
    db.undo(first.audit_id, "S01");
    CHECK_FALSE(db.check(first.row.check_id));
    CHECK_FALSE(db.take_in(intake_row(kSha, "matched"), face_check(), "intake").recorded);
    CHECK(checks_of(db, "13") == checks_before);
}

TEST_CASE("take_in refuses inconsistent intakes before writing") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    CHECK(code_of([&] { db.take_in(intake_row("abc", "unmatched"), std::nullopt, "intake"); }) == ErrorCode::Invalid);
    CHECK(code_of([&] { db.take_in(intake_row(std::string(64, 'A'), "unmatched"), std::nullopt, "intake"); }) ==
          ErrorCode::Invalid);
    CHECK(code_of([&] { db.take_in(intake_row(kSha, "matched"), std::nullopt, "intake"); }) == ErrorCode::Invalid);
    CHECK(code_of([&] { db.take_in(intake_row(kSha, "unmatched"), face_check(), "intake"); }) == ErrorCode::Invalid);
    CHECK(code_of([&] { db.take_in(intake_row(kSha, "lost"), std::nullopt, "intake"); }) == ErrorCode::Invalid);
    // A check for a patient who is not there rolls the whole intake back.
    CHECK(code_of([&] { db.take_in(intake_row(kSha, "matched"), face_check("77"), "intake"); }) == ErrorCode::NotFound);
    CHECK_FALSE(db.intake_by_sha256(kSha));
    CHECK(db.intake_list().empty());
}

TEST_CASE("plans record the status of their check") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    CHECK(db.patient("13")->latest_check->status == "valid");
    CHECK(derive_check_status("", "", "", "") == "processing");
    CHECK(derive_check_status("", "", "", "照会中") == "processing");
    CHECK(derive_check_status("3", "1", "", "") == "invalid_new_qualification");
    CHECK(derive_check_status("1", "2", "XXX", "") == "error");
    CHECK(derive_check_status("", "", "E001", "エラー【ErrorCode:E001】") == "error");
    CHECK(derive_check_status("9", "1", "", "") == "error");
}

// The audit of a change that adds a row with a long value (a check's raw XML) holds that value's SHA-256, not
// the value: the check row holds it. Undo still removes the row exactly, refuses while a later answer has
// changed it, and a removal records the whole row, so undoing the undo brings the XML back.
TEST_CASE("a check's long raw XML is not repeated in the audit, and undo compares it by its digest") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    const std::string xml = "<XmlMsg>" + std::string(2000, 'q') + "</XmlMsg>";

    OverwritePlan p;  // the bench's plan: two fields and the check that led to them
    p.kind = PlanKind::OverwriteFields;
    p.karte = "13";
    p.fields = {{Field::Address, "東京都千代田区永田町1-99-1"}, {Field::ValidUntil, "2027-07-31"}};
    p.check = PlannedCheck{CheckMethod::Visual, "", "1", "1", "", "", xml};
    c.value = "2021-08-17T09:00:00";
    auto r = db.apply(p, "S01");
    CHECK(db.check(r.check_id)->raw_xml == xml);
    auto entry = db.audit_entry(r.audit_id);
    REQUIRE(entry);
    const std::string changes = entry->changes.dump();
    CHECK(changes.find(std::string(2000, 'q')) == std::string::npos);
    CHECK(changes.size() < 1200);
    const onshi::Json* row = nullptr;
    for (const auto& op : entry->changes)
        if (op["op"] == "insert" && op["table"] == "checks") row = &op["row"];
    REQUIRE(row);
    CHECK((*row)["raw_xml"]["sha256"].get<std::string>().size() == 64);
    CHECK((*row)["method"] == "visual");  // short values whole

    // Undone exactly, and the undo of the undo brings the check back with its XML.
    auto u = db.undo(r.audit_id, "S02");
    CHECK_FALSE(db.check(r.check_id));
    CHECK(db.patient("13")->patient.address == "東京都千代田区永田町1-99-99");
    db.undo(u, "S02");
    REQUIRE(db.check(r.check_id));
    CHECK(db.check(r.check_id)->raw_xml == xml);

    // A 単件照会 answered with a long XML: the answer's new XML is a digest too; undoing the query refuses
    // while the answer stands, and works once the answer is undone.
    NewCheck q;
    q.karte = "13";
    q.card_id = db.patient("13")->current_card()->id;
    q.method = CheckMethod::Query;
    q.status = "processing";
    q.request = "OQSsiquc01req_20210817000002.xml";
    auto rq = db.record_check(q, "S01");
    NewCheck a;
    a.status = "valid";
    a.validity = "1";
    a.processing_status = "1";
    a.raw_xml = xml;
    const int64_t answer = db.complete_check(rq.check_id, a, "S01");
    CHECK(db.audit_entry(answer)->changes.dump().find(std::string(2000, 'q')) == std::string::npos);
    CHECK(code_of([&] { db.undo(rq.audit_id, "S01"); }) == ErrorCode::Conflict);
    db.undo(answer, "S01");
    CHECK(db.check(rq.check_id)->status == "processing");
    CHECK(db.check(rq.check_id)->raw_xml.empty());
    db.undo(rq.audit_id, "S01");
    CHECK_FALSE(db.check(rq.check_id));
}

// Schema 6: the IN-list CHECK constraints are OR chains (core/ledger/schema.cpp): SQLite then inserts a check
// without building a temporary b-tree per list, and accepts and refuses exactly the same values.
TEST_CASE("schema 6: a check row is inserted without temporary b-trees, under the same constraints", "[sqlite]") {
    TempDir d;
    Clock c;
    const fs::path p = d.path / "l.sqlite";
    { open_with(p, c).apply(register_ichiro(), "S01"); }
    CHECK(raw(p, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%CHECK (% IN (%'") == "0");
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(p.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db,
                               "EXPLAIN INSERT INTO checks(karte, checked_at, method, staff_id, status) "
                               "VALUES('13', '2021-08-17T09:00:00', 'visual', 'S01', 'valid')",
                               -1, &st, nullptr) == SQLITE_OK);
    int ephemeral = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        ephemeral += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1))) == "OpenEphemeral";
    sqlite3_finalize(st);
    CHECK(ephemeral == 0);
    auto insert = [&](const std::string& method, const std::string& status) {
        const std::string sql = "SAVEPOINT s; INSERT INTO checks(karte, checked_at, method, staff_id, status) VALUES('13', "
                                "'2021-08-17T09:00:00', '" + method + "', 'S01', '" + status + "'); RELEASE s;";
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) sqlite3_exec(db, "ROLLBACK TO s; RELEASE s;", nullptr, nullptr, nullptr);
        return rc == SQLITE_OK;
    };
    for (const char* m : {"visual", "face", "pin", "card", "query", "bulk"}) CHECK(insert(m, ""));
    for (const char* s : {"", "processing", "valid", "invalid", "invalid_new_qualification", "not_found", "multiple",
                          "valid_unregistered", "error"})
        CHECK(insert("card", s));
    for (const char* m : {"Visual", "other", "", "visual "}) CHECK_FALSE(insert(m, ""));
    for (const char* s : {"VALID", "done", " "}) CHECK_FALSE(insert("card", s));
    sqlite3_close(db);
    CHECK(raw(p, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("a schema-1 ledger is read as it is and migrated to schema 2 keeping every check", "[sqlite]") {
    TempDir d;
    Clock c;
    const fs::path p = d.path / "v1.sqlite";
    int64_t consent_check = 0;
    {
        auto db = open_with(p, c);
        consent_check = db.apply(register_ichiro(), "S01").check_id;
        OverwritePlan lost;
        lost.kind = PlanKind::RecordCheckOnly;
        lost.karte = "13";
        lost.check = PlannedCheck{CheckMethod::InsuranceCard, "2021-08-17T10:00:00", "2", "1", "", "喪失", "<x/>"};
        db.apply(lost, "S01");
    }
    // Back to schema 1 as the previous program wrote it: checks without status/request and 'query', no intake.
    raw(p, R"sql(
        CREATE TABLE checks_v1 (
          id INTEGER PRIMARY KEY,
          karte TEXT NOT NULL REFERENCES patients(karte),
          card_id INTEGER REFERENCES insurance_cards(id),
          checked_at TEXT NOT NULL,
          method TEXT NOT NULL CHECK (method IN ('visual','face','pin','card')),
          validity TEXT NOT NULL DEFAULT '',
          processing_status TEXT NOT NULL DEFAULT '',
          result_code TEXT NOT NULL DEFAULT '',
          message TEXT NOT NULL DEFAULT '',
          raw_xml TEXT NOT NULL DEFAULT '',
          staff_id TEXT NOT NULL);
        INSERT INTO checks_v1 SELECT id, karte, card_id, checked_at, method, validity, processing_status, result_code,
          message, raw_xml, staff_id FROM checks;
        DROP TABLE checks;
        ALTER TABLE checks_v1 RENAME TO checks;
        CREATE INDEX checks_karte ON checks(karte, checked_at);
        CREATE INDEX checks_time ON checks(checked_at);
        DROP TABLE intake;
        DROP TABLE reception;
        DROP TABLE bulk_items;
        DROP TABLE bulk_batches;
        DROP TABLE medinfo;
        PRAGMA user_version = 1;)sql");
    REQUIRE(raw(p, "PRAGMA user_version") == "1");

    {
        LedgerStore::Options ro;
        ro.read_only = true;
        auto db = LedgerStore::open(p, ro);  // no migration: the statuses are derived on reading
        auto rec = db.patient("13");
        REQUIRE(rec->latest_check);
        CHECK(rec->latest_check->status == "invalid");
        CHECK(rec->latest_check->request.empty());
        CHECK(db.history(HistoryQuery{}).rows.size() == 2);
        CHECK(db.intake_list().empty());
        CHECK_FALSE(db.intake_by_sha256(kSha));
        CHECK(db.check(consent_check)->status == "valid");
    }
    REQUIRE(raw(p, "PRAGMA user_version") == "1");

    {
        auto db = open_with(p, c);
        auto h = db.history(HistoryQuery{});
        REQUIRE(h.rows.size() == 2);
        CHECK(h.rows[0].status == "invalid");
        CHECK(h.rows[1].status == "valid");
        CHECK(h.rows[1].id == consent_check);
        REQUIRE(db.patient("13")->consents.size() == 1);
        CHECK(db.patient("13")->consents[0].check_id == consent_check);
        NewCheck q = face_check();
        q.method = CheckMethod::Query;
        q.status = "processing";
        CHECK(db.record_check(q, "S01").check_id > 0);  // 'query' is a method now
        CHECK(db.take_in(intake_row(kSha, "unmatched"), std::nullopt, "intake").recorded);
        CHECK(db.integrity_check() == "ok");
    }
    CHECK(raw(p, "PRAGMA user_version") == "7");
    CHECK(raw(p, "SELECT status FROM checks WHERE id = " + std::to_string(consent_check)) == "valid");
    CHECK(raw(p, "PRAGMA foreign_key_check") == "");
    // The indexes of the rebuilt table are there.
    CHECK(raw(p, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'checks'") == "3");
    // Schema 6's constraints: OR chains, refusing what the IN lists refused.
    CHECK(raw(p, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%CHECK (% IN (%'") == "0");
    CHECK(raw(p, "SELECT sql FROM sqlite_master WHERE name = 'checks'").find("method = 'bulk'") != std::string::npos);
    CHECK(raw(p, "PRAGMA integrity_check") == "ok");
}

namespace {
// An answer as long as a real one (~2 kB), as repetitive as XML is.
std::string answer_xml() {
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>";
    for (int i = 0; i < 12; ++i)
        xml += "<ResultOfQualificationConfirmation><InsurerNumber>06139980</InsurerNumber><InsuredCardSymbol>萩う10"
               "</InsuredCardSymbol><Name>資格　一郎</Name><Birthdate>1960060" +
               std::to_string(i % 10) + "</Birthdate></ResultOfQualificationConfirmation>";
    return xml + "</MessageHeader></XmlMsg>";
}

std::string stored_type(const fs::path& p, int64_t check) {
    return raw(p, "SELECT typeof(raw_xml) FROM checks WHERE id = " + std::to_string(check));
}
}  // namespace

TEST_CASE("a long answer is packed and unpacked exactly, short, incompressible and damaged ones are told apart") {
    const std::string xml = answer_xml();
    REQUIRE(xml.size() > 2000);
    auto stream = packed::pack(xml);
    REQUIRE(stream);
    CHECK(stream->size() < xml.size() / 2);
    CHECK(packed::unpack(*stream) == xml);
    CHECK_FALSE(packed::pack(std::string(packed::kPackFrom - 1, 'x')));  // too short to be worth it
    std::string noise(4000, ' ');
    uint32_t seed = 7;
    for (char& ch : noise) ch = char((seed = seed * 1103515245u + 12345u) >> 24);
    CHECK_FALSE(packed::pack(noise));  // does not get smaller: stored as it is

    CHECK(code_of([&] { packed::unpack(stream->substr(0, stream->size() / 2)); }) == ErrorCode::Corrupt);
    CHECK(code_of([&] { packed::unpack(*stream + "x"); }) == ErrorCode::Corrupt);
    CHECK(code_of([&] { packed::unpack(""); }) == ErrorCode::Corrupt);
    CHECK(code_of([&] { packed::unpack("<XmlMsg/>"); }) == ErrorCode::Corrupt);
    std::string longer = *stream;  // its length altered: the block does not fill it
    longer[1] = char(longer[1] ^ 0x01);
    CHECK(code_of([&] { packed::unpack(longer); }) == ErrorCode::Corrupt);
    std::string huge = *stream;  // claims more than any answer
    huge[4] = char(0x7F);
    CHECK(code_of([&] { packed::unpack(huge); }) == ErrorCode::Corrupt);
}

// Schema 7 (core/ledger/packed_text.hpp): what the ledger stores and what it reads back.
TEST_CASE("a check's long answer is stored packed on SQLite and read back as the text it was", "[sqlite]") {
    TempDir d;
    Clock c;
    const fs::path p = d.path / "l.sqlite";
    auto db = open_with(p, c);
    db.apply(register_ichiro(), "S01");
    const std::string xml = answer_xml();
    OverwritePlan plan;
    plan.kind = PlanKind::RecordCheckOnly;
    plan.karte = "13";
    plan.check = PlannedCheck{CheckMethod::Visual, "", "1", "1", "", "", xml};
    auto r = db.apply(plan, "S01");
    CHECK(stored_type(p, r.check_id) == "blob");
    CHECK(std::stoul(raw(p, "SELECT length(raw_xml) FROM checks WHERE id = " + std::to_string(r.check_id))) <
          xml.size() / 2);
    CHECK(db.check(r.check_id)->raw_xml == xml);
    CHECK(db.patient("13")->latest_check->raw_xml == xml);

    // Undo compares the row with the audit's digest of the text: it finds it unchanged, and the undo of the
    // undo stores the answer packed again.
    auto u = db.undo(r.audit_id, "S02");
    CHECK_FALSE(db.check(r.check_id));
    db.undo(u, "S02");
    CHECK(stored_type(p, r.check_id) == "blob");
    CHECK(db.check(r.check_id)->raw_xml == xml);

    // Short answers, and rows an older program stored, are text and read as they are.
    auto fourteen = register_ichiro("14");
    fourteen.reference_number.clear();  // 13 holds it
    CHECK(stored_type(p, db.apply(fourteen, "S01").check_id) == "text");
    raw(p, "UPDATE checks SET raw_xml = '" + xml + "' WHERE id = " + std::to_string(r.check_id));
    CHECK(stored_type(p, r.check_id) == "text");
    CHECK(db.check(r.check_id)->raw_xml == xml);

    // A damaged stream is told as a damaged ledger, for that answer only: the lists do not read the XML.
    raw(p, "UPDATE checks SET raw_xml = x'789c4b4c4a06' WHERE id = " + std::to_string(r.check_id));
    CHECK(code_of([&] { db.check(r.check_id); }) == ErrorCode::Corrupt);
    CHECK(checks_of(db, "13") == 2);
    CHECK(db.integrity_check() == "ok");
}

// Schema 7 on SQLite: the audit table is rebuilt once, rows and ids kept, and audit.undo_of is unique through a
// partial index that holds only the undo rows (core/ledger/schema.cpp, kV7Audit).
TEST_CASE("schema 7 rebuilds the audit with every row, undo_of unique through a partial index", "[sqlite]") {
    TempDir d;
    Clock c;
    const fs::path p = d.path / "v6.sqlite";
    int64_t undone = 0, undo = 0;
    {
        auto db = open_with(p, c);
        db.apply(register_ichiro(), "S01");
        OverwritePlan plan;
        plan.kind = PlanKind::OverwriteFields;
        plan.karte = "13";
        plan.fields = {{Field::Address, "東京都千代田区永田町1-99-1"}};
        undone = db.apply(plan, "S01").audit_id;
        undo = db.undo(undone, "S02");
    }
    // Back to schema 6's audit table, as the previous program wrote it.
    raw(p, R"sql(
        CREATE TABLE audit_v6 (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          staff_id TEXT NOT NULL CHECK (staff_id <> ''),
          action TEXT NOT NULL,
          karte TEXT NOT NULL DEFAULT '',
          summary TEXT NOT NULL DEFAULT '',
          changes TEXT NOT NULL,
          undo_of INTEGER UNIQUE REFERENCES audit(id));
        INSERT INTO audit_v6 SELECT * FROM audit;
        DROP TABLE audit;
        ALTER TABLE audit_v6 RENAME TO audit;
        CREATE INDEX audit_karte ON audit(karte);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'append-only'); END;
        PRAGMA user_version = 6;)sql");
    const std::string rows =
        "SELECT group_concat(id || '|' || at || '|' || staff_id || '|' || action || '|' || karte || '|' || summary || "
        "'|' || changes || '|' || ifnull(undo_of, '-'), '#') FROM (SELECT * FROM audit ORDER BY id)";
    const std::string before = raw(p, rows);
    REQUIRE(raw(p, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_audit%'") == "1");

    {
        auto db = open_with(p, c);
        CHECK(db.audit_entry(undone)->undone_by == undo);
        CHECK(code_of([&] { db.undo(undone, "S02"); }) == ErrorCode::Conflict);
    }
    CHECK(raw(p, "PRAGMA user_version") == "7");
    CHECK(raw(p, rows) == before);
    CHECK(raw(p, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_audit%'") == "0");
    CHECK(raw(p, "SELECT sql FROM sqlite_master WHERE name = 'audit_undo_of'").find("WHERE undo_of IS NOT NULL") !=
          std::string::npos);
    auto run = [&](const std::string& sql, std::string* details) {  // SQLite's rc; the plan's details
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(p.c_str(), &db) == SQLITE_OK);
        auto keep = [](void* out, int n, char** v, char**) {
            if (out && n > 3 && v[3]) *static_cast<std::string*>(out) += std::string(v[3]) + "\n";
            return 0;
        };
        const int rc = sqlite3_exec(db, sql.c_str(), keep, details, nullptr);
        sqlite3_close(db);
        return rc;
    };
    // "Undone by" is read through the partial index.
    std::string plan;
    REQUIRE(run("EXPLAIN QUERY PLAN SELECT id FROM audit WHERE undo_of = 1", &plan) == SQLITE_OK);
    CHECK(plan.find("audit_undo_of") != std::string::npos);
    // Still unique, still append-only, references still whole.
    auto refused = [&](const std::string& sql) { return run(sql, nullptr) != SQLITE_OK; };
    CHECK(refused("INSERT INTO audit(at, staff_id, action, changes, undo_of) VALUES('t', 'S01', 'undo', '[]', " +
                  std::to_string(undone) + ")"));
    CHECK(refused("UPDATE audit SET summary = 'x' WHERE id = " + std::to_string(undone)));
    CHECK(refused("DELETE FROM audit WHERE id = " + std::to_string(undo)));
    CHECK(raw(p, "PRAGMA foreign_key_check") == "");
    CHECK(raw(p, "PRAGMA integrity_check") == "ok");
}
