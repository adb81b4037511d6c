// 受付結果: every face/ file is taken into the ledger exactly once (core/intake) and listed, newest first.
#include <catch2/catch.hpp>

#include <filesystem>

#include "app/kiosk/reception.hpp"
#include "core/util/files.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace onshi;
namespace fs = std::filesystem;

TEST_CASE("reception: a face file is taken in once and listed once, unmatched as 原簿未登録") {
    test::TempDir dir("onshi-reception");
    fs::create_directories(dir.path / "face");
    const std::string name = "OQSsiquc01res_face_utf8_20230605093000.xml";
    auto bytes = files::read(std::string(ONSHI_SOURCE_DIR) + "/assets/oqs/fixtures/" + name);
    REQUIRE(bytes);
    files::write_atomic(dir.path / "face" / name, *bytes);
    auto store = ledger::LedgerStore::open(dir.path / "ledger.sqlite");
    kiosk::ReceptionList list(store, dir.path / "face");
    list.load();
    CHECK(list.lines().empty());

    REQUIRE(list.take_in(name));
    REQUIRE(list.lines().size() == 1);
    const kiosk::ReceptionLine& l = list.lines()[0];
    CHECK(l.file == name);
    CHECK(l.name == "資格 七夫");
    CHECK(l.karte.empty());  // nobody in this ledger: 原簿未登録
    CHECK(l.column == "有効");
    CHECK_FALSE(l.malformed);
    CHECK(store.intake_list().size() == 1);

    // The transport offers it again (a restart before its state was saved), or the same bytes come under
    // another name: nothing new in the ledger.
    list.clear_changed();
    REQUIRE(list.take_in(name));
    files::write_atomic(dir.path / "face" / ("OQSsiquc01res_face_copy_20230605093001.xml"), *bytes);
    REQUIRE(list.take_in("OQSsiquc01res_face_copy_20230605093001.xml"));
    CHECK(store.intake_list().size() == 1);

    // A kiosk started later lists what was taken in before.
    kiosk::ReceptionList again(store, dir.path / "face");
    again.load();
    REQUIRE(again.lines().size() == 1);
    CHECK(again.lines()[0].name == "資格 七夫");

    // A broken file is kept as malformed and listed so; a missing one is only logged.
    files::write_atomic(dir.path / "face" / "OQSsiquc01res_face_bad_20230605093002.xml", "<XmlMsg><not closed");
    REQUIRE(list.take_in("OQSsiquc01res_face_bad_20230605093002.xml"));
    CHECK(list.lines().front().malformed);
    CHECK_FALSE(list.take_in("OQSsiquc01res_face_gone_20230605093003.xml"));
}

TEST_CASE("reception: face files that arrive while the ledger server is down are kept, and taken in once when it is back") {
    test::TempDir dir("onshi-reception-pg");
    fs::create_directories(dir.path / "face");
    const std::string name = "OQSsiquc01res_face_utf8_20230605093000.xml";
    const std::string copy = "OQSsiquc01res_face_copy_20230605093001.xml";  // the same answer under another name
    auto bytes = files::read(std::string(ONSHI_SOURCE_DIR) + "/assets/oqs/fixtures/" + name);
    REQUIRE(bytes);
    files::write_atomic(dir.path / "face" / name, *bytes);
    files::write_atomic(dir.path / "face" / copy, *bytes);
    char pg_dir[] = "/tmp/onshi-pg-reception-XXXXXX";  // its own server: stopping the shared one would cut others
    REQUIRE(::mkdtemp(pg_dir));
    auto server = test::PgServer::start(pg_dir);
    auto store = ledger::LedgerStore::open(server->database("kiosk"));
    const fs::path spool = dir.path / "face-pending";
    kiosk::ReceptionList list(store, dir.path / "face");
    list.set_spool(spool);

    server->halt();
    CHECK(list.take_in_or_keep(name) == kiosk::ReceptionList::Outcome::Kept);
    CHECK(list.take_in_or_keep(copy) == kiosk::ReceptionList::Outcome::Kept);  // behind the first, in order
    CHECK(list.retry_kept().empty());                                          // still down
    CHECK(files::read(spool) == name + "\n" + copy + "\n");
    CHECK((fs::status(spool).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    // A kiosk restarted meanwhile keeps them too.
    kiosk::ReceptionList restarted(store, dir.path / "face");
    restarted.set_spool(spool);
    CHECK(restarted.kept() == std::vector<std::string>{name, copy});

    server->resume();
    std::vector<std::string> taken;
    for (int i = 0; i < 3 && !restarted.kept().empty(); ++i)  // the first statement may find the old connection gone
        for (auto& f : restarted.retry_kept()) taken.push_back(f);
    CHECK(taken == std::vector<std::string>{name, copy});
    CHECK(restarted.kept().empty());
    CHECK(files::read(spool) == std::string());
    // Exactly once: one intake row and one check for the one answer, however many times it was tried.
    CHECK(store.intake_list().size() == 1);
    CHECK(restarted.retry_kept().empty());
    CHECK(restarted.take_in_or_keep(name) == kiosk::ReceptionList::Outcome::Taken);
    CHECK(store.intake_list().size() == 1);
}
