// Several counters on one PostgreSQL 原簿 (docs/performance.md, "Ledger on PostgreSQL"): three writers applying
// OverwritePlans to random patients against the SQLite ledger with one writer, for the same time in the same
// run, and the cross-counter refresh latency of LedgerWatcher. The server is a throwaway cluster of its own
// (tests/support/pg_server.hpp) with fsync, synchronous_commit and full_page_writes on, as a clinic's is; the
// SQLite file is on the build disk (WAL, synchronous=FULL). ONSHI_BENCH_WRITE_SECONDS sets each run's length
// (default 60).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/ledger/error.hpp"
#include "core/ledger/ledger_store.hpp"
#include "tests/support/pg_server.hpp"

using namespace onshi::ledger;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPatients = 500;

double run_seconds() {
    const char* e = std::getenv("ONSHI_BENCH_WRITE_SECONDS");
    const double s = e ? std::atof(e) : 0;
    return s > 0 ? s : 60;
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(double(v.size()) * p))];
}

struct Dir {
    fs::path path;
    explicit Dir(const fs::path& under) {
        std::string t = (under / "ledger-pg-bench-XXXXXX").string();
        path = ::mkdtemp(t.data());
    }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// The server of this program: started once, durable settings, stopped at exit.
onshi::test::PgServer& server() {
    static std::unique_ptr<onshi::test::PgServer> s = [] {
        char dir[] = "/tmp/onshi-pg-bench-XXXXXX";  // the server's own folder, removed when it stops
        if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
        auto started = onshi::test::PgServer::start(dir);
        std::ofstream(started->dir() / "data" / "postgresql.conf", std::ios::app)
            << "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n";
        started->restart();
        return started;
    }();
    return *s;
}

std::string karte_of(int i) { return std::to_string(1000 + i); }

void seed(const fs::path& location) {
    auto db = LedgerStore::open(location);
    for (int i = 0; i < kPatients; ++i) {
        OverwritePlan p;
        p.kind = PlanKind::RegisterPatient;
        p.karte = karte_of(i);
        p.fields = {{Field::KanaName, "シカク イチロウ"}, {Field::KanjiName, "資格　一郎"}, {Field::Birth, "1960-06-02"},
                    {Field::InsurerNumber, "139980"},   {Field::Kigo, "萩う10"},
                    {Field::Bango, "1639960291x" + std::to_string(i)}};
        db.apply(p, "S01");
    }
}

struct Outcome {
    std::vector<double> ms;  // each committed apply, from the version read to the commit
    int64_t stale = 0;       // refused: another writer changed the patient between the read and the write
    int64_t busy = 0;
};

// One counter: 差分確認 on a random patient (its version), then 更新する of two fields and the check.
Outcome write_for(const fs::path& location, double seconds, unsigned seed_value) {
    auto db = LedgerStore::open(location);
    std::mt19937 rng(seed_value);
    Outcome out;
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    int n = 0;
    while (Clock::now() < until) {
        const std::string karte = karte_of(int(rng() % kPatients));
        const auto t0 = Clock::now();
        OverwritePlan p;
        p.kind = PlanKind::OverwriteFields;
        p.karte = karte;
        p.base_version = db.patient_version(karte);
        p.fields = {{Field::Address, "東京都千代田区永田町1-99-" + std::to_string(++n)},
                    {Field::ValidUntil, n % 2 ? "2026-07-31" : "2027-07-31"}};
        p.check = PlannedCheck{CheckMethod::Visual, "", "1", "1", "", "", std::string(2000, 'x')};
        try {
            db.apply(p, "S01");
            out.ms.push_back(ms_since(t0));
        } catch (const LedgerError& e) {
            if (e.code == ErrorCode::Stale)
                ++out.stale;
            else if (e.code == ErrorCode::Busy)
                ++out.busy;
            else
                throw;
        }
    }
    return out;
}

void report(benchmark::State& state, const std::vector<Outcome>& all, double seconds) {
    std::vector<double> ms;
    int64_t stale = 0, busy = 0;
    for (const auto& o : all) {
        ms.insert(ms.end(), o.ms.begin(), o.ms.end());
        stale += o.stale;
        busy += o.busy;
    }
    state.counters["writers"] = double(all.size());
    state.counters["commits_per_s"] = double(ms.size()) / seconds;
    state.counters["p50_ms"] = percentile(ms, 0.50);
    state.counters["p99_ms"] = percentile(ms, 0.99);
    state.counters["stale"] = double(stale);
    state.counters["busy"] = double(busy);
}

// A database of its own for each call: google-benchmark calls a benchmark once a repetition, and the
// seeded patients of the last call would clash with the next one's.
std::string fresh_database(const std::string& name) {
    static int calls = 0;
    return server().database(name + "_" + std::to_string(++calls));
}

void BM_PostgresThreeWriters(benchmark::State& state) {
    const std::string url = fresh_database("writers");
    seed(url);
    const double seconds = run_seconds();
    for (auto _ : state) {
        std::vector<Outcome> all(3);
        std::vector<std::thread> counters;
        for (unsigned i = 0; i < 3; ++i)
            counters.emplace_back([&, i] { all[i] = write_for(url, seconds, 17 + i); });
        for (auto& t : counters) t.join();
        report(state, all, seconds);
    }
}
BENCHMARK(BM_PostgresThreeWriters)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

// The same plans on the SQLite ledger, one writer (one counter), in the same run.
void BM_SqliteOneWriter(benchmark::State& state) {
    Dir d(fs::current_path());
    const fs::path file = d.path / "l.sqlite";
    seed(file);
    const double seconds = run_seconds();
    for (auto _ : state) report(state, {write_for(file, seconds, 17)}, seconds);
}
BENCHMARK(BM_SqliteOneWriter)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

// Cross-counter refresh: counter 2 writes, counter 1's LedgerWatcher hears it (LISTEN/NOTIFY), measured from
// the start of the write to the callback; 300 writes, one at a time.
void BM_PostgresRefreshLatency(benchmark::State& state) {
    const std::string url = fresh_database("refresh");
    seed(url);
    std::mutex mu;
    std::condition_variable cv;
    int64_t heard = 0;
    LedgerWatcher watcher(url, [&] {
        std::lock_guard<std::mutex> lock(mu);
        ++heard;
        cv.notify_all();
    });
    auto writer = LedgerStore::open(url);
    std::vector<double> ms;
    int64_t late = 0;
    for (auto _ : state) {
        for (int i = 0; i < 300; ++i) {
            int64_t before = 0;
            {
                std::lock_guard<std::mutex> lock(mu);
                before = heard;
            }
            const auto t0 = Clock::now();
            writer.set_phones(karte_of(i % kPatients), {"03-1111-" + std::to_string(1000 + i), "", ""}, "S01");
            std::unique_lock<std::mutex> lock(mu);
            if (!cv.wait_for(lock, std::chrono::seconds(1), [&] { return heard > before; })) {
                ++late;
                continue;
            }
            ms.push_back(ms_since(t0));
        }
    }
    state.counters["p50_ms"] = percentile(ms, 0.50);
    state.counters["p99_ms"] = percentile(ms, 0.99);
    state.counters["max_ms"] = percentile(ms, 1.0);
    state.counters["over_1s"] = double(late);
}
BENCHMARK(BM_PostgresRefreshLatency)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
