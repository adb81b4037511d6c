// Ledger store figures (docs/performance.md, "Ledger store"): applying an OverwritePlan with its audit row
// against one bare sqlite3 INSERT at the same settings (WAL, synchronous=FULL, same disk), and a check
// history search over 100,000 checks.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <string>
#include <vector>

#include "core/ledger/ledger_store.hpp"
#include "core/ledger/packed_text.hpp"

using namespace onshi::ledger;
namespace fs = std::filesystem;

namespace {
// On the build disk, not /tmp: fsync cost is the point of the comparison.
struct Dir {
    fs::path path;
    Dir() {
        std::string t = (fs::current_path() / "ledger-bench-XXXXXX").string();
        path = ::mkdtemp(t.data());
    }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

OverwritePlan registration(const std::string& karte) {
    OverwritePlan p;
    p.kind = PlanKind::RegisterPatient;
    p.karte = karte;
    p.fields = {{Field::KanaName, "シカク イチロウ"},
                {Field::KanjiName, "資格　一郎"},
                {Field::Birth, "1960-06-02"},
                {Field::InsurerNumber, "139980"},
                {Field::Kigo, "萩う10"},
                {Field::Bango, "1639960291x001"},
                {Field::Edaban, "01"}};
    return p;
}

// A real answer (2,134 bytes): what the check row keeps, and what the ledger packs (packed_text.hpp).
const std::string& answer() {
    static const std::string xml = [] {
        std::ifstream f(ONSHI_SOURCE_DIR "/assets/oqs/fixtures/OQSsiquc01res_face_utf8_20230605093000.xml",
                        std::ios::binary);
        std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        if (s.size() < 2000) std::abort();  // the comparison means nothing without it
        return s;
    }();
    return xml;
}

OverwritePlan overwrite(int n) {  // 上書き of two checked fields + the check that led to it
    OverwritePlan p;
    p.kind = PlanKind::OverwriteFields;
    p.karte = "13";
    p.fields = {{Field::Address, "東京都千代田区永田町1-99-" + std::to_string(n)},
                {Field::ValidUntil, n % 2 ? "2026-07-31" : "2027-07-31"}};
    p.check = PlannedCheck{CheckMethod::Visual, "", "1", "1", "", "", answer()};
    return p;
}

// WAL frames (pages) one commit writes: the WAL's growth over `commits` commits, short of a checkpoint.
double wal_frames(const fs::path& db, int commits, const std::function<void()>& commit) {
    const fs::path wal = db.string() + "-wal";
    const auto before = fs::exists(wal) ? fs::file_size(wal) : 0;
    for (int i = 0; i < commits; ++i) commit();
    return double(fs::file_size(wal) - before) / (4096 + 24) / commits;
}

void BM_ApplyOverwritePlan(benchmark::State& state) {
    Dir d;
    auto db = LedgerStore::open(d.path / "l.sqlite");
    db.apply(registration("13"), "S01");
    int n = 0;
    state.counters["wal_frames"] = wal_frames(d.path / "l.sqlite", 30, [&] { db.apply(overwrite(++n), "S01"); });
    for (auto _ : state) benchmark::DoNotOptimize(db.apply(overwrite(++n), "S01"));  // one transaction + audit row
}
BENCHMARK(BM_ApplyOverwritePlan)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BareSqliteInsert(benchmark::State& state) {
    Dir d;
    sqlite3* db = nullptr;
    sqlite3_open((d.path / "bare.sqlite").c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                 "CREATE TABLE t(id INTEGER PRIMARY KEY, karte TEXT, address TEXT)",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO t(karte, address) VALUES('13', ?)", -1, &st, nullptr);
    int n = 0;
    auto insert = [&] {
        std::string a = "東京都千代田区永田町1-99-" + std::to_string(++n);
        sqlite3_bind_text(st, 1, a.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) state.SkipWithError("insert failed");
        sqlite3_reset(st);
    };
    state.counters["wal_frames"] = wal_frames(d.path / "bare.sqlite", 30, insert);
    for (auto _ : state) insert();
    sqlite3_finalize(st);
    sqlite3_close(db);
}
BENCHMARK(BM_BareSqliteInsert)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same plan's rows written by bare SQL into a ledger file (same schema, indexes and settings): patient and
// card updated, the check with the answer packed as the ledger packs it and an audit row of the ledger's own
// size inserted, in one transaction. Against the plan, this is the ledger's own overhead; against the
// single-row insert, what four rows and their indexes cost.
void BM_BareSqlitePlan(benchmark::State& state) {
    Dir d;
    const fs::path file = d.path / "l.sqlite";
    std::string changes;
    int64_t card = 0;
    {
        auto db = LedgerStore::open(file);
        auto r = db.apply(registration("13"), "S01");
        card = r.card_id;
        changes = db.audit_entry(db.apply(overwrite(0), "S01").audit_id)->changes.dump();
    }
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", nullptr, nullptr,
                 nullptr);
    const char* sql[] = {
        "BEGIN IMMEDIATE",
        "UPDATE patients SET address = ?1 WHERE karte = '13'",
        "UPDATE insurance_cards SET valid_until = ?2 WHERE id = ?3",
        "INSERT INTO checks(karte, card_id, checked_at, method, validity, processing_status, raw_xml, staff_id, "
        "status) VALUES('13', ?3, '2026-12-04T10:00:00', 'visual', '1', '1', ?4, 'S01', 'valid')",
        "INSERT INTO audit(at, staff_id, action, karte, summary, changes) VALUES('2026-12-04T10:00:00', 'S01', "
        "'plan.overwrite', '13', 'overwrite: 住所 保険有効期限 確認 visual 有効性 1', ?5)",
        "COMMIT"};
    std::vector<sqlite3_stmt*> st;
    for (const char* q : sql) {
        st.emplace_back();
        if (sqlite3_prepare_v2(db, q, -1, &st.back(), nullptr) != SQLITE_OK) state.SkipWithError(sqlite3_errmsg(db));
    }
    const std::string packed_answer = *packed::pack(answer());  // the bytes the ledger stores (schema 7)
    // The values every plan shares are bound once (a binding stays through sqlite3_reset); ?N is the same
    // parameter in each statement that has it.
    for (sqlite3_stmt* s : st) {
        if (int i = sqlite3_bind_parameter_index(s, "?3")) sqlite3_bind_int64(s, i, card);
        if (int i = sqlite3_bind_parameter_index(s, "?4"))
            sqlite3_bind_blob(s, i, packed_answer.data(), int(packed_answer.size()), SQLITE_STATIC);
        if (int i = sqlite3_bind_parameter_index(s, "?5"))
            sqlite3_bind_text(s, i, changes.c_str(), -1, SQLITE_STATIC);
    }
    int n = 0;
    auto plan = [&] {
        const std::string address = "東京都千代田区永田町1-99-" + std::to_string(++n);
        sqlite3_bind_text(st[1], 1, address.c_str(), -1, SQLITE_TRANSIENT);                     // ?1
        sqlite3_bind_text(st[2], 2, n % 2 ? "2026-07-31" : "2027-07-31", -1, SQLITE_STATIC);  // ?2
        for (sqlite3_stmt* s : st) {
            if (sqlite3_step(s) != SQLITE_DONE) state.SkipWithError(sqlite3_errmsg(db));
            sqlite3_reset(s);
        }
    };
    state.counters["wal_frames"] = wal_frames(file, 30, plan);
    for (auto _ : state) plan();
    for (sqlite3_stmt* s : st) sqlite3_finalize(s);
    sqlite3_close(db);
}
BENCHMARK(BM_BareSqlitePlan)->Unit(benchmark::kMillisecond)->UseRealTime();

// 1,000 patients × 100 checks, written directly in one transaction (setup only, not measured).
struct History {
    Dir d;
    std::unique_ptr<LedgerStore> db;
    History() {
        fs::path p = d.path / "h.sqlite";
        { LedgerStore::open(p); }
        sqlite3* raw = nullptr;
        sqlite3_open(p.c_str(), &raw);
        sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr);
        sqlite3_stmt* pt = nullptr;
        sqlite3_stmt* ck = nullptr;
        sqlite3_prepare_v2(raw,
                           "INSERT INTO patients(karte, kana_key, birth, created_at) VALUES(?, 'シカクイチロウ', "
                           "'1960-06-02', '2021-01-01T00:00:00')",
                           -1, &pt, nullptr);
        sqlite3_prepare_v2(
            raw,
            "INSERT INTO checks(karte, checked_at, method, validity, staff_id, raw_xml) VALUES(?, ?, ?, ?, 'S01', ?)",
            -1, &ck, nullptr);
        const char* methods[] = {"visual", "face", "pin", "card"};
        std::string xml(1500, 'x');
        for (int k = 1; k <= 1000; ++k) {
            std::string karte = std::to_string(k);
            sqlite3_bind_text(pt, 1, karte.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_step(pt);
            sqlite3_reset(pt);
            for (int i = 0; i < 100; ++i) {
                int day = (k * 7 + i * 13) % 1000;  // spread over ~3 years
                char at[32];
                std::snprintf(at, sizeof at, "%04d-%02d-%02dT%02d:%02d:00", 2021 + day / 336, 1 + day % 336 / 28,
                              1 + day % 28, 8 + i % 10, i % 60);
                sqlite3_bind_text(ck, 1, karte.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(ck, 2, at, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(ck, 3, methods[i % 4], -1, SQLITE_STATIC);
                sqlite3_bind_text(ck, 4, i % 10 ? "1" : "2", -1, SQLITE_STATIC);
                sqlite3_bind_text(ck, 5, xml.c_str(), -1, SQLITE_STATIC);
                sqlite3_step(ck);
                sqlite3_reset(ck);
            }
        }
        sqlite3_finalize(pt);
        sqlite3_finalize(ck);
        sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
        sqlite3_close(raw);
        db = std::make_unique<LedgerStore>(LedgerStore::open(p));
    }
};
History& history() {
    static History h;  // built once for the three history figures
    return h;
}

void BM_HistoryOnePatient(benchmark::State& state) {
    auto& h = history();
    for (auto _ : state) benchmark::DoNotOptimize(h.db->history({"517", "", "", std::nullopt, ""}));
}
BENCHMARK(BM_HistoryOnePatient)->Unit(benchmark::kMicrosecond);

void BM_HistoryOneDay(benchmark::State& state) {
    auto& h = history();
    for (auto _ : state) benchmark::DoNotOptimize(h.db->history({"", "2022-03-15", "2022-03-15", std::nullopt, ""}));
}
BENCHMARK(BM_HistoryOneDay)->Unit(benchmark::kMicrosecond);

void BM_HistoryTooMany(benchmark::State& state) {  // all 100,000 match: stops at the 10,000 cap
    auto& h = history();
    for (auto _ : state) benchmark::DoNotOptimize(h.db->history({}));
}
BENCHMARK(BM_HistoryTooMany)->Unit(benchmark::kMillisecond);

void BM_SearchKana(benchmark::State& state) {
    auto& h = history();
    for (auto _ : state) benchmark::DoNotOptimize(h.db->search({"", "ｼｶｸｲﾁﾛｳ", "1960-06-02"}, 20));
}
BENCHMARK(BM_SearchKana)->Unit(benchmark::kMicrosecond);
}  // namespace
