// OQS file interface figures: pickup latency from the rename into res/ to a parsed result, and
// bulk parse/write next to a bare pugixml parse of the same bytes (the floor we add our work to), and
// the peak memory of that parse in a process of its own (bench/support/oqs_parse_rss.cpp).
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>
#include <random>

#include "core/oqs/gateway.hpp"
#include "core/oqs/result.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"

using namespace onshi::oqs;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

QualificationRecord record(int i) {
    QualificationRecord r;
    r.insured_card_classification = "01";
    r.insurer_number = "  133033";
    r.insured_card_symbol = "葛う10";
    r.insured_identification_number = "16399602" + std::to_string(10000 + i);
    r.insured_branch_number = "01";
    r.personal_family_classification = "1";
    r.name = "資格 五郎";
    r.name_kana = "ｼｶｸ ｺﾞﾛｳ";
    r.sex1 = "1";
    r.birthdate = "19900101";
    r.qualification_date = "20120401";
    r.insurer_name = "全国土木建築国民健康保険組合";
    r.limit_application_consent = {"1", "20230605093000", std::nullopt};
    r.pharmacists = {"1", "20230605093000", "20230705235959"};
    return r;
}

SearchInfo search(int i) {
    SearchInfo s;
    s.insurer_number = "  133033";
    s.insured_card_symbol = "葛う10";
    s.insured_identification_number = "16399602" + std::to_string(10000 + i);
    s.insured_branch_number = "01";
    s.birthdate = "19900101";
    s.limit_application_certificate_related_cons_flg = "1";
    s.arbitrary_identifier = std::to_string(i) + "_1";
    return s;
}

const std::string& bulk_result_bytes() {
    static const std::string bytes = [] {
        Message m;
        m.kind = MessageKind::Muquc02Res;
        m.header.medical_institution_code = "1312345678";
        m.header.segment_of_result = "1";
        m.header.character_code_identifier = "0";
        for (int i = 0; i < 10000; ++i) {
            BulkConfirmUnit u;
            u.search = search(i);
            u.processing_result_status = "1";
            u.qualification_validity = "1";
            u.results = {record(i)};
            m.body.units.push_back(std::move(u));
        }
        return serialize(m, Encoding::Utf8);
    }();
    return bytes;
}

Message bulk_request() {
    Message m;
    m.kind = MessageKind::Muquc01Req;
    m.header.medical_institution_code = "1312345678";
    m.header.qualification_confirmation_date = "20230605";
    m.header.arbitrary_file_identifier = "bench";
    for (int i = 0; i < 10000; ++i) m.body.search.push_back(search(i));
    return m;
}

void pugixml_parse(benchmark::State& state, const std::string& bytes) {
    for (auto _ : state) {
        pugi::xml_document d;
        auto r = d.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_utf8);
        benchmark::DoNotOptimize(r.status);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
    state.counters["MB"] = double(bytes.size()) / 1e6;
}

}  // namespace

// Bytes → one QualificationResult a unit, as the inbox reads an answer (parse_message: no Element tree).
static void BM_OqsParseBulkResult10000(benchmark::State& state) {
    const std::string& bytes = bulk_result_bytes();
    for (auto _ : state) {
        std::vector<QualificationResult> results = unit_results(parse_message(bytes, MessageKind::Muquc02Res));
        benchmark::DoNotOptimize(results.data());
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
    state.counters["MB"] = double(bytes.size()) / 1e6;
}
BENCHMARK(BM_OqsParseBulkResult10000)->Unit(benchmark::kMillisecond)->Iterations(5);

// The same bytes through parse_file, which also keeps the Element tree (`onshi oqs parse`, round trips).
static void BM_OqsParseFileWithTree10000(benchmark::State& state) {
    const std::string& bytes = bulk_result_bytes();
    for (auto _ : state) {
        ParsedFile f = parse_file(bytes, MessageKind::Muquc02Res);
        benchmark::DoNotOptimize(f.message.body.units.size());
    }
    state.counters["MB"] = double(bytes.size()) / 1e6;
}
BENCHMARK(BM_OqsParseFileWithTree10000)->Unit(benchmark::kMillisecond)->Iterations(5);

#ifdef ONSHI_OQS_RSS_BIN
// Peak RSS growth of one parse of the 10,000-unit file into QualificationResults, in a fresh process.
static void BM_OqsParseRss10000(benchmark::State& state) {
    fs::path file = fs::temp_directory_path() / ("onshi-oqs-rss-" + std::to_string(getpid()) + ".xml");
    std::ofstream(file, std::ios::binary) << bulk_result_bytes();
    onshi::Json out;
    for (auto _ : state) {
        int fd[2];
        if (pipe(fd) != 0) break;
        pid_t pid = fork();
        if (pid == 0) {
            dup2(fd[1], 1);
            close(fd[0]);
            execl(ONSHI_OQS_RSS_BIN, ONSHI_OQS_RSS_BIN, file.c_str(), "OQSmuquc02res", static_cast<char*>(nullptr));
            _exit(127);
        }
        close(fd[1]);
        std::string text;
        char buf[512];
        for (ssize_t n; (n = read(fd[0], buf, sizeof buf)) > 0;) text.append(buf, size_t(n));
        close(fd[0]);
        int status = 0;
        waitpid(pid, &status, 0);
        out = onshi::Json::parse(text, nullptr, false);
    }
    fs::remove(file);
    if (!out.is_object()) {
        state.SkipWithError("oqs_parse_rss printed no figures");
        return;
    }
    for (const char* k : {"file_mb", "peak_mb", "growth_mb", "growth_per_file_byte"})
        state.counters[k] = out.value(k, 0.0);
}
BENCHMARK(BM_OqsParseRss10000)->Unit(benchmark::kMillisecond)->Iterations(1);
#endif

static void BM_PugixmlParseBulkResult10000(benchmark::State& state) { pugixml_parse(state, bulk_result_bytes()); }
BENCHMARK(BM_PugixmlParseBulkResult10000)->Unit(benchmark::kMillisecond)->Iterations(5);

static void BM_OqsWriteBulkRequest10000(benchmark::State& state) {
    Message m = bulk_request();
    size_t n = 0;
    for (auto _ : state) {
        std::string bytes = serialize(m, state.range(0) ? Encoding::ShiftJis : Encoding::Utf8);
        n = bytes.size();
        benchmark::DoNotOptimize(bytes.data());
    }
    state.SetLabel(state.range(0) ? "Shift_JIS" : "UTF-8");
    state.counters["MB"] = double(n) / 1e6;
}
BENCHMARK(BM_OqsWriteBulkRequest10000)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(5);

static void BM_PugixmlParseBulkRequest10000(benchmark::State& state) {
    pugixml_parse(state, serialize(bulk_request(), Encoding::Utf8));
}
BENCHMARK(BM_PugixmlParseBulkRequest10000)->Unit(benchmark::kMillisecond)->Iterations(5);

// From rename(2) into res/ to the parsed QualificationResult on the caller's queue.
static void BM_OqsPickupLatency(benchmark::State& state) {
    fs::path dir = fs::temp_directory_path() / ("onshi-oqs-bench-" + std::to_string(std::random_device{}()));
    for (const char* d : {"req", "res", "face"}) fs::create_directories(dir / "oqs" / d);
    TransportOptions o;
    o.root = dir / "oqs";
    o.state_file = dir / "state.json";
    EventWaiter q;
    FolderGateway gw(o, "1312345678", q.sink());
    gw.transport().start();
    QualificationQuery query;
    query.insurer_number = "133033";
    query.number = "1639960291x005";
    query.birthdate = {1990, 1, 1};
    query.confirmation_date = {2023, 6, 5};
    std::vector<double> ms;
    for (auto _ : state) {
        std::string name = gw.submit(query);
        Message a;
        a.kind = MessageKind::Siquc01Res;
        a.header.medical_institution_code = "1312345678";
        a.header.arbitrary_file_identifier = gw.transport().outstanding().at(0).arbitrary_file_identifier;
        a.body.processing_result_status = "1";
        a.body.qualification_validity = "1";
        a.body.results = std::vector<QualificationRecord>{record(0)};
        fs::path tmp = dir / "oqs/res" / ".answer.part";
        onshi::files::write_atomic(tmp, serialize(a, Encoding::Utf8));
        auto t0 = std::chrono::steady_clock::now();
        fs::rename(tmp, dir / "oqs/res" / counterpart_name(name));
        auto e = q.wait(5s);
        auto t1 = std::chrono::steady_clock::now();
        if (!e || !e->result) {
            state.SkipWithError("no answer picked up");
            break;
        }
        double d = std::chrono::duration<double, std::milli>(t1 - t0).count();
        ms.push_back(d);
        state.SetIterationTime(d / 1000.0);
        fs::remove(dir / "oqs/req" / name);
    }
    gw.transport().stop();
    fs::remove_all(dir);
    if (ms.empty()) return;
    std::sort(ms.begin(), ms.end());
    state.counters["median_ms"] = ms[ms.size() / 2];
    state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}
BENCHMARK(BM_OqsPickupLatency)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(300);
