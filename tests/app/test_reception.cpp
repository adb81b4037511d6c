// 受付結果: every face/ file is taken into the ledger exactly once (core/intake) and listed, newest first.
#include <catch2/catch.hpp>

#include <filesystem>

#include "app/kiosk/reception.hpp"
#include "core/util/files.hpp"
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
