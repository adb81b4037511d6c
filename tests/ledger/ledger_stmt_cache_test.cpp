// The per-connection statement cache (core/ledger/sql.hpp): a borrowed statement comes back reset and
// without its bindings, a second statement of the same SQL while the first is alive is a statement of
// its own, and a statement given back ends its read, so another connection can write and checkpoint.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "core/ledger/sql.hpp"
#include "tests/support/temp_dir.hpp"

using namespace onshi::ledger;

TEST_CASE("cached statements: reset on return, one per live user, no read left open") {
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
