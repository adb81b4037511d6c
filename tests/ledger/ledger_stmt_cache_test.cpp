// The per-connection statement cache (core/ledger/sql.hpp): a borrowed statement comes back reset and
// without its bindings, a second statement of the same SQL while the first is alive is a statement of
// its own, and a statement given back ends its read, so another connection can write and checkpoint.
// The journal's fast paths and its digests of long values (core/ledger/journal.cpp).
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/ledger/journal.hpp"
#include "core/ledger/sql.hpp"
#include "tests/support/temp_dir.hpp"

using namespace onshi::ledger;
using onshi::Json;

TEST_CASE("cached statements: reset on return, one per live user, no read left open", "[sqlite]") {
    onshi::test::TempDir d;
    const auto path = d.path / "cache.sqlite";
    sql::Db db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    for (const char* v : {"a", "b", "c"})
        sql::Stmt(db, "INSERT INTO t(v) VALUES(?)").bind(1, std::string_view(v)).run();

    const char* q = "SELECT v FROM t WHERE id >= ? ORDER BY id";
    {
        sql::Stmt outer(db, q);
        outer.bind(1, int64_t(1));
        REQUIRE(outer.step());
        CHECK(outer.text(0) == "a");
        {
            sql::Stmt inner(db, q);  // the cached one is busy: this one is its own
            inner.bind(1, int64_t(3));
            REQUIRE(inner.step());
            CHECK(inner.text(0) == "c");
        }
        REQUIRE(outer.step());  // the outer one was not disturbed
        CHECK(outer.text(0) == "b");
    }  // given back mid-read
    {
        sql::Stmt again(db, q);  // the cached one again: reset, bindings cleared (NULL matches nothing)
        CHECK_FALSE(again.step());
    }
    // No read transaction left open by a returned statement: another connection writes and truncates the WAL.
    sql::Db other(path, SQLITE_OPEN_READWRITE);
    other.exec("INSERT INTO t(v) VALUES('d')");
    int log = -1, done = -1;
    CHECK(sqlite3_wal_checkpoint_v2(other.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done) == SQLITE_OK);
    sql::Stmt count(db, "SELECT count(*) FROM t");
    REQUIRE(count.step());
    CHECK(count.integer(0) == 4);
}

// The journal's fast paths (core/ledger/journal.cpp): the audit text is byte for byte what Json::dump writes,
// whatever the strings hold, and an update reads only the columns it changes yet names a wrong column as before.
TEST_CASE("journal: audit text equals dump(), narrow reads keep the errors of whole-row reads", "[sqlite]") {
    onshi::test::TempDir d;
    sql::Db db(d.path / "journal.sqlite", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec("CREATE TABLE patients(id INTEGER PRIMARY KEY, karte TEXT, address TEXT, note TEXT DEFAULT 'n')");
    Journal j(db);
    const std::vector<std::string> texts = {
        "", "plain", std::string(3000, 'x'), "東京都千代田区永田町1-99", "quote \" and \\ backslash",
        "tab\tnewline\ncr\r", std::string("nul\0byte", 8), "\x7f del", "𠮷 four bytes", "ｼｶｸ ｲﾁﾛｳ"};
    int64_t last = 0;
    for (const std::string& t : texts)
        last = j.insert("patients", {{"karte", "1"}, {"address", t}, {"note", nullptr}}).get<int64_t>();
    j.update("patients", last, {{"address", "新しい住所"}, {"note", "x"}, {"karte", "1"}});
    CHECK(j.ops_text() == j.ops().dump());
    const Json now = j.row("patients", last);
    CHECK(now["address"] == "新しい住所");
    CHECK(now["karte"] == "1");
    // Only the changed columns are recorded (karte was already "1").
    CHECK(j.ops().back()["before"].size() == 2);

    // Bytes that are not UTF-8 are refused by both, the same way.
    Journal bad(db);
    bad.insert("patients", {{"karte", "2"}, {"address", std::string("\xE3\x81", 2)}});
    CHECK_THROWS_AS(bad.ops().dump(), Json::type_error);
    CHECK_THROWS_AS(bad.ops_text(), Json::type_error);

    // A column the table lacks, or one spelled oddly, is named as before; a missing row is NotFound.
    for (const char* col : {"no_such", "Address", "a b"}) {
        INFO(col);
        CHECK_THROWS_WITH(j.update("patients", last, {{col, "v"}}), Catch::Contains("no column"));
    }
    CHECK_THROWS_MATCHES(j.update("patients", 99999, {{"address", "v"}}), LedgerError,
                         Catch::Predicate<LedgerError>([](const LedgerError& e) { return e.code == ErrorCode::NotFound; }));
}

// Long values (core/ledger/journal.cpp): an added row's long value and an update's long new value are recorded
// as {"sha256": …}, what undo puts back (an update's old value) whole; undo compares the digest with the row as
// it is now, and still undoes journals that hold every value whole, as ledgers written before the digests do.
TEST_CASE("journal: long values that undo only compares are digests, and whole-value journals still undo",
          "[sqlite]") {
    onshi::test::TempDir d;
    sql::Db db(d.path / "journal.sqlite", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec("CREATE TABLE checks(id INTEGER PRIMARY KEY, karte TEXT, raw_xml TEXT NOT NULL DEFAULT '')");
    const std::string longer(257, 'x'), shorter(256, 'y'), other(300, 'z');
    Journal add(db);
    const Json id = add.insert("checks", {{"karte", "1"}, {"raw_xml", longer}});
    const Json& row = add.ops().back()["row"];
    REQUIRE(row["raw_xml"].is_object());
    CHECK(row["raw_xml"]["sha256"] == "15eb95a462ee20bd91a415ae2d4aed341288186ddaa2b37908f7d592f0c3f85f");
    CHECK(row["karte"] == "1");
    CHECK(add.ops_text().find(longer) == std::string::npos);

    Journal edit(db);
    edit.update("checks", id, {{"raw_xml", other}});
    CHECK(edit.ops().back()["before"]["raw_xml"] == longer);  // put back by undo: whole
    CHECK(edit.ops().back()["after"]["raw_xml"].is_object());
    Journal small(db);
    small.insert("checks", {{"karte", "2"}, {"raw_xml", shorter}});
    CHECK(small.ops().back()["row"]["raw_xml"] == shorter);

    // The row no longer as the add left it: undoing the add refuses; undoing the edit first, both go.
    auto code = [](auto f) {
        try {
            f();
        } catch (const LedgerError& e) {
            return e.code;
        }
        return ErrorCode::Io;  // "no error" for these checks
    };
    CHECK(code([&] { Journal(db).reverse(add.ops()); }) == ErrorCode::Conflict);
    db.exec("UPDATE checks SET raw_xml = raw_xml || '!' WHERE id = 1");  // changed behind the journal's back
    CHECK(code([&] { Journal(db).reverse(edit.ops()); }) == ErrorCode::Conflict);
    db.exec("UPDATE checks SET raw_xml = substr(raw_xml, 1, 300) WHERE id = 1");
    Journal(db).reverse(edit.ops());
    CHECK(Journal(db).row("checks", id)["raw_xml"] == longer);
    Journal(db).reverse(add.ops());
    CHECK(Journal(db).row("checks", id).is_null());

    // A journal as written before the digests: the whole long value, compared as it is.
    const Json again = Journal(db).insert("checks", {{"karte", "3"}, {"raw_xml", longer}});
    const Json whole = Json::array(
        {{{"op", "insert"}, {"table", "checks"}, {"id", again}, {"row", Journal(db).row("checks", again)}}});
    REQUIRE(whole[0]["row"]["raw_xml"] == longer);
    db.exec("UPDATE checks SET raw_xml = 'x' WHERE id = " + again.dump());
    CHECK(code([&] { Journal(db).reverse(whole); }) == ErrorCode::Conflict);
    db.exec("UPDATE checks SET raw_xml = '" + longer + "' WHERE id = " + again.dump());
    Journal(db).reverse(whole);
    CHECK(Journal(db).row("checks", again).is_null());
}
