// Kiosk figures:
//  - time to first frame of onshi-kiosk vs a bare ImGui + GLFW window with the same font, same run, with
//    the atlas cache warm (the kiosk's usual start) and cold (an empty cache folder each time), and the
//    peak RSS of each of those processes;
//  - CPU used while idle on 待機 for 10 s under Xvfb (the loop sleeps in glfwWaitEvents), and peak RSS;
//  - CPU per frame on 差分確認 (the UI layer, GPU-less, 18 rows in 全表示 + 上書き), p50 and p99.
// Run by scripts/bench.sh under xvfb-run when there is no display.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/kiosk/platform.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"
#include "tests/flow/fakes.hpp"

namespace {

namespace fs = std::filesystem;

struct ChildRun {
    onshi::Json out;
    double cpu_s = 0;
    double max_rss_mb = 0;
};

// utime + stime of a running process, in seconds (/proc/PID/stat fields 14 and 15).
double cpu_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    auto close = stat.rfind(')');
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i)
        if (i >= 14) ticks += std::stod(field);
    return ticks / double(sysconf(_SC_CLK_TCK));
}

// Runs a program, returns the JSON it printed last and its resource use (wait4). With `window` set,
// also the CPU it used between window.first and window.second seconds after the start.
ChildRun run(std::vector<std::string> argv, std::pair<double, double> window = {0, 0}, double* window_cpu = nullptr,
             const std::string& cache_home = {}) {
    int pipefd[2];
    if (pipe(pipefd) != 0) throw std::runtime_error("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        if (!cache_home.empty()) setenv("XDG_CACHE_HOME", cache_home.c_str(), 1);
        std::vector<char*> a;
        for (auto& s : argv) a.push_back(s.data());
        a.push_back(nullptr);
        execv(a[0], a.data());
        _exit(127);
    }
    close(pipefd[1]);
    if (window_cpu) {
        auto t0 = std::chrono::steady_clock::now();
        std::this_thread::sleep_until(t0 + std::chrono::duration<double>(window.first));
        double a = cpu_of(pid);
        std::this_thread::sleep_until(t0 + std::chrono::duration<double>(window.second));
        *window_cpu = cpu_of(pid) - a;
    }
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(pipefd[0], buf, sizeof buf)) > 0) text.append(buf, size_t(n));
    close(pipefd[0]);
    int status = 0;
    rusage ru{};
    wait4(pid, &status, 0, &ru);
    ChildRun r;
    auto last = text.rfind('{');
    if (last != std::string::npos) r.out = onshi::Json::parse(text.substr(last), nullptr, false);
    r.cpu_s = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    r.max_rss_mb = double(ru.ru_maxrss) / 1024.0;
    return r;
}

// A clinic config with everything in a temporary folder (no devices needed for 待機).
std::string kiosk_config() {
    static std::string path;
    if (!path.empty()) return path;
    fs::path dir = fs::temp_directory_path() / ("onshi-bench-" + std::to_string(getpid()));
    fs::create_directories(dir / "oqs/req");
    fs::create_directories(dir / "oqs/res");
    fs::create_directories(dir / "oqs/face");
    std::string cfg = *onshi::files::read(fs::path(ONSHI_SOURCE_DIR) / "assets/config/onshi-kiosk.toml");
    cfg = std::regex_replace(cfg, std::regex("\nroot = \"[^\"]*\""), "\nroot = \"" + (dir / "oqs").string() + "\"");
    cfg = std::regex_replace(cfg, std::regex("\npath = \"[^\"]*\""),
                             "\npath = \"" + (dir / "ledger.sqlite").string() + "\"");
    cfg = std::regex_replace(cfg, std::regex("\nbackup_dir = \"[^\"]*\""),
                             "\nbackup_dir = \"" + (dir / "backup").string() + "\"");
    cfg = std::regex_replace(cfg, std::regex("\nfullscreen = true"), "\nfullscreen = false");
    path = (dir / "kiosk.toml").string();
    std::ofstream(path) << cfg;
    return path;
}

// The kiosk's own atlas cache folder for the warm runs (written by one unmeasured start first).
const std::string& warm_cache() {
    static const std::string dir = [] {
        fs::path d = fs::temp_directory_path() / ("onshi-bench-cache-" + std::to_string(getpid()));
        fs::create_directories(d);
        run({ONSHI_KIOSK_BIN, "--config", kiosk_config(), "--exit-after", "0.001", "--stats"}, {0, 0}, nullptr,
            d.string());
        return d.string();
    }();
    return dir;
}

void first_frame(benchmark::State& state, std::vector<std::string> argv, bool cold) {
    double rss = 0;
    int n = 0;
    for (auto _ : state) {
        std::string cache = cold ? (fs::temp_directory_path() /
                                    ("onshi-bench-cold-" + std::to_string(getpid()) + "-" + std::to_string(n)))
                                       .string()
                                 : warm_cache();
        auto r = run(argv, {0, 0}, nullptr, cache);
        if (cold) fs::remove_all(cache);
        state.SetIterationTime(r.out.value("first_frame_ms", 0.0) / 1000.0);
        rss += r.max_rss_mb;
        ++n;
    }
    state.counters["peak_rss_mb"] = n ? rss / n : 0;
}

void BM_FirstFrame_Kiosk(benchmark::State& state) {
    first_frame(state, {ONSHI_KIOSK_BIN, "--config", kiosk_config(), "--exit-after", "0.001", "--stats"}, false);
}
BENCHMARK(BM_FirstFrame_Kiosk)->UseManualTime()->Iterations(5)->Unit(benchmark::kMillisecond);

void BM_FirstFrame_KioskColdCache(benchmark::State& state) {
    first_frame(state, {ONSHI_KIOSK_BIN, "--config", kiosk_config(), "--exit-after", "0.001", "--stats"}, true);
}
BENCHMARK(BM_FirstFrame_KioskColdCache)->UseManualTime()->Iterations(5)->Unit(benchmark::kMillisecond);

void BM_FirstFrame_BareImGuiWindow(benchmark::State& state) { first_frame(state, {ONSHI_BARE_BIN}, false); }
BENCHMARK(BM_FirstFrame_BareImGuiWindow)->UseManualTime()->Iterations(5)->Unit(benchmark::kMillisecond);

// The bare window kept open on one frame for as long as the kiosk's 待機 run below: its peak RSS is the
// comparison for the kiosk's.
void BM_IdleBareWindow(benchmark::State& state) {
    for (auto _ : state) {
        auto r = run({ONSHI_BARE_BIN, "--idle", "13"});
        state.SetIterationTime(r.cpu_s);
        state.counters["peak_rss_mb"] = r.max_rss_mb;
    }
}
BENCHMARK(BM_IdleBareWindow)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

// Start-up (font atlas, ledger, workers) is over after 2 s; the next 10 s are pure 待機.
void BM_IdleStandby10s(benchmark::State& state) {
    for (auto _ : state) {
        double idle_cpu = 0;
        auto r = run({ONSHI_KIOSK_BIN, "--config", kiosk_config(), "--exit-after", "13", "--stats"}, {2.0, 12.0},
                     &idle_cpu, warm_cache());
        state.SetIterationTime(idle_cpu);
        state.counters["idle_cpu_percent"] = idle_cpu / 10.0 * 100.0;
        state.counters["frames_in_13s"] = r.out.value("frames", 0.0);
        state.counters["total_cpu_s"] = r.cpu_s;
        state.counters["peak_rss_mb"] = r.max_rss_mb;
    }
}
BENCHMARK(BM_IdleStandby10s)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_DiffFrame(benchmark::State& state) {
    using namespace onshi;
    using namespace onshi::flow::test;
    kiosk::HeadlessContext ctx(1280, 800);
    ManualClock clock;
    FakeCard card;
    FakeLedger ledger;
    ledger.patients["13"] = ichiro();
    ledger.next_match = {diff::MatchResult::Kind::Linked, "13", {}};
    flow::VisualConfirmFlow f(card, ledger, clock.fn());
    kiosk::Options o;
    o.headless = true;
    kiosk::Frontend fe(o, &f);
    fe.init(1.f);
    unsigned char* px;
    int w, h;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    // Straight to 差分確認 for the insurer change, everything shown, 上書き on.
    f.handle(flow::in::StaffButton{});
    f.handle(flow::in::Passcode{"246810"});
    f.handle(flow::in::CardInserted{});
    f.handle(flow::in::CardInspected{{true, 10, "DER", ""}});
    f.handle(flow::in::FaceNumber{"350602", "2034", "4821"});
    flow::FaceReadOutcome ok;
    ok.status = flow::FaceReadOutcome::Status::Ok;
    ok.face = flow::CardFaceView{};
    ok.face->birth = "1960-06-02";
    ok.face->sex = "1";
    f.handle(flow::in::FaceRead{ok});
    f.handle(flow::in::ConfirmPerson{});
    guide_to_wait(f);
    f.handle(face_result(answer_for_ichiro("133033")));
    f.handle(flow::in::ShowDiff{});
    f.handle(flow::in::SetShowAll{true});
    f.handle(flow::in::SetOverwriteMode{true});
    ImGuiIO& io = ImGui::GetIO();
    std::vector<double> us;
    double now = 0;
    for (int i = 0; i < 5; ++i) fe.frame(io, now += 1.0 / 60), fe.after_frame();  // glyphs settle
    for (auto _ : state) {
        auto t0 = std::chrono::steady_clock::now();
        fe.frame(io, now += 1.0 / 60);
        us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(us.begin(), us.end());
    state.counters["p50_us"] = us[us.size() / 2];
    state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    const auto* shown = f.visit().as<flow::state::Diff>();
    state.counters["rows"] = double(shown && shown->diff ? shown->diff->rows.size() : 0);
}
BENCHMARK(BM_DiffFrame)->Iterations(2000)->Unit(benchmark::kMicrosecond);

}  // namespace
