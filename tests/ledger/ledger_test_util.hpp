#pragma once
// Temporary folders, ready-made plans and small probes for the ledger tests (and the intake tests on ledgers).
#include "tests/support/temp_dir.hpp"
#include <stdlib.h>

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <string>

#include "core/ledger/ledger_store.hpp"
#include "core/util/clock.hpp"
#include "tests/support/pg_server.hpp"

namespace onshi::ledger::test {

using TempDir = onshi::test::TempDir;

// A clock the test moves by hand, set in local time; the store gets it as the one clock type (epoch ms).
struct Clock {
    std::string value = "2021-07-27T09:30:00";
    util::Clock fn() {
        return [this] { return util::parse_local(value); };
    }
};

// Where a test's ledger lives: the file itself on SQLite; when the tests run on PostgreSQL
// (ONSHI_TEST_LEDGER, tests/support/pg_server.hpp) a database of the test server named after the file,
// created empty the first time, so opening the same file again opens the same ledger.
inline std::filesystem::path ledger_at(const std::filesystem::path& file) {
    const onshi::test::PgServer* server = onshi::test::ledger_pg_server();
    return server ? std::filesystem::path(server->database_for(file.string())) : file;
}
inline bool on_postgres() { return onshi::test::ledger_pg_server() != nullptr; }

inline LedgerStore open_with(const std::filesystem::path& p, Clock& c) {
    LedgerStore::Options o;
    o.clock = c.fn();
    return LedgerStore::open(ledger_at(p), o);
}

// 資格 一郎 as 新患登録 from the seed manual: old insurer 139980 (記号 萩う10).
inline OverwritePlan register_ichiro(const std::string& karte = "13") {
    OverwritePlan p;
    p.kind = PlanKind::RegisterPatient;
    p.karte = karte;
    p.fields = {{Field::KanaName, "シカク イチロウ"},
                {Field::KanjiName, "資格　一郎"},
                {Field::Sex, "1"},
                {Field::Birth, "1960-06-02"},
                {Field::Postal, "1000014"},
                {Field::Address, "東京都千代田区永田町1-99-99"},
                {Field::InsurerNumber, "139980"},
                {Field::Kigo, "萩う10"},
                {Field::Bango, "1639960291x001"},
                {Field::Edaban, "01"},
                {Field::Relationship, "1"},
                {Field::InsuredName, "資格　一郎"},
                {Field::ValidFrom, "2012-04-01"},
                {Field::IssuedOn, "2012-04-01"}};
    p.check = PlannedCheck{CheckMethod::Visual, "", "1", "1", "", "", "<xml/>"};
    p.consents = {{"薬剤情報", "1", "", "2021-12-31"}};
    p.reference_number = "A1_1510110016";
    return p;
}

// Runs SQL on the file outside the store (its own connection, closed before returning); returns the first
// column of the last row of the last statement ("" when there is none or it is NULL). Any SQLite error fails
// the test; pass SQLITE_OPEN_CREATE in `flags` to make a file that is not there yet.
inline std::string raw(const std::filesystem::path& file, const std::string& sql, int flags = SQLITE_OPEN_READWRITE) {
    sqlite3* db = nullptr;
    const int opened = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
    if (opened != SQLITE_OK) sqlite3_close(db);
    REQUIRE(opened == SQLITE_OK);
    std::string out;
    auto cb = [](void* o, int n, char** v, char**) {
        if (n > 0) *static_cast<std::string*>(o) = v[0] ? v[0] : "";
        return 0;
    };
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), cb, &out, &err);
    INFO((err ? err : ""));
    sqlite3_free(err);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
    return out;
}

// The ErrorCode of the LedgerError `f` throws (which must carry a Japanese message); fails the test otherwise.
inline ErrorCode code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const LedgerError& e) {
        CHECK_FALSE(e.message_ja.empty());
        return e.code;
    }
    FAIL("expected a LedgerError");
    return ErrorCode::Io;
}

// How many checks the patient's history lists.
inline size_t checks_of(LedgerStore& db, const std::string& karte) {
    HistoryQuery q;
    q.karte = karte;
    return db.history(q).rows.size();
}

}  // namespace onshi::ledger::test
