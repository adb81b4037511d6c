// Card reader figures on real pcscd + vpcd + onshi-card-emulator (started here, stopped at exit):
// reading the 利用者証明用 certificate and the card face (APDUs, wall time), and OpenSC's pkcs15-tool reading the
// same certificate from the same emulator in the same run.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/rules/date.hpp"
#include "reader/mynumber/card_face.hpp"
#include "reader/mynumber/collation.hpp"
#include "reader/mynumber/jpki.hpp"

namespace {
using namespace onshi::reader;
namespace fs = std::filesystem;

const char* kReader = "Virtual PCD 00 00";

// pcscd and the emulator for the whole run.
struct Rig {
    pid_t emu = -1;
    bool pcscd = false;  // started here: stopped at exit, so no daemon outlives the run
    std::string error, state;
    Rig() {
        fs::path exe = fs::read_symlink("/proc/self/exe").parent_path();
        fs::path emulator = exe / ".." / "reader" / "onshi-card-emulator";
        state = (exe / "card-bench-state").string();
        if (!fs::exists(emulator)) {
            error = "onshi-card-emulator not built next to the benchmarks";
            return;
        }
        onshi::reader::use_private_pcscd();  // the script's own pcscd, never a system one
        if (std::system(ONSHI_SOURCE_DIR "/scripts/pcscd-vpcd.sh start") != 0) {
            error = "pcscd with vpcd did not start";
            return;
        }
        pcscd = true;
        std::string profile = ONSHI_SOURCE_DIR "/assets/cards/shikaku_ichiro.json";
        int keep[2];  // the emulator quits on EOF of stdin: give it a pipe this process holds open
        if (pipe(keep) != 0) {
            error = "pipe failed";
            return;
        }
        emu = fork();
        if (emu == 0) {
            dup2(keep[0], 0);
            close(keep[1]);
            int null = ::open("/dev/null", O_RDWR);
            dup2(null, 1);
            execl(emulator.c_str(), emulator.c_str(), "--profile", profile.c_str(), "--state-dir", state.c_str(),
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        close(keep[0]);
        for (int i = 0; i < 200; ++i) {
            try {
                Context ctx;
                if (find_reader_with_card(ctx, kReader) == kReader) return;
            } catch (const std::exception&) {}
            usleep(50000);
        }
        error = "the emulated card did not appear in " + std::string(kReader);
    }
    ~Rig() {
        if (emu > 0) {
            kill(emu, SIGTERM);
            waitpid(emu, nullptr, 0);
        }
        if (pcscd && std::system(ONSHI_SOURCE_DIR "/scripts/pcscd-vpcd.sh stop") != 0)
            std::fprintf(stderr, "bench_card_read: pcscd-vpcd.sh stop failed\n");
    }
};

Rig& rig() {
    static Rig r;
    return r;
}

void BM_CardReadAuthCertificate(benchmark::State& st) {
    if (!rig().error.empty()) return st.SkipWithError(rig().error.c_str());
    Context ctx;
    Card card(ctx, kReader);
    unsigned apdus = 0;
    std::size_t bytes = 0;
    for (auto _ : st) {
        unsigned before = card.apdu_count();
        Bytes der = read_auth_certificate(card);
        apdus = card.apdu_count() - before;
        bytes = der.size();
        benchmark::DoNotOptimize(der);
    }
    st.counters["apdus"] = apdus;
    st.counters["bytes"] = static_cast<double>(bytes);
}

void BM_CardReadFace(benchmark::State& st) {
    if (!rig().error.empty()) return st.SkipWithError(rig().error.c_str());
    auto number = collation_b(onshi::rules::Date{1960, 6, 2}, 2034, "4821");
    FaceReadOptions opt;
    opt.trust = std::make_shared<TrustStore>(TrustStore::from_pem_files({rig().state + "/face_ca.pub.pem"}));
    Context ctx;
    Card card(ctx, kReader);
    unsigned apdus = 0;
    std::size_t bytes = 0;
    for (auto _ : st) {
        unsigned before = card.apdu_count();
        FaceReadResult r = read_card_face(card, *number, opt);
        if (r.status != FaceReadResult::Status::Ok || r.authenticity.verdict != Verdict::Genuine)
            return st.SkipWithError(r.message.c_str());
        apdus = card.apdu_count() - before;
        bytes = r.face->raw.size();
    }
    st.counters["apdus"] = apdus;
    st.counters["face_bytes"] = static_cast<double>(bytes);
}

void BM_CardOpenScReadCertificate(benchmark::State& st) {
    if (!rig().error.empty()) return st.SkipWithError(rig().error.c_str());
    std::string out = rig().state + "/opensc-bench.pem";
    std::string cmd = "pkcs15-tool --reader 0 --read-certificate 01 --output " + out + " >/dev/null 2>&1";
    for (auto _ : st)
        if (std::system(cmd.c_str()) != 0) return st.SkipWithError("pkcs15-tool failed");
}
}  // namespace

BENCHMARK(BM_CardReadAuthCertificate)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_CardReadFace)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_CardOpenScReadCertificate)->Unit(benchmark::kMillisecond)->MinTime(2.0);
