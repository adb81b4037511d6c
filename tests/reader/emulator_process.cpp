#include "tests/reader/emulator_process.hpp"

#include <PCSC/winscard.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace onshi::test {

// Before main, so before any context: these tests talk only to the private pcscd of scripts/pcscd-vpcd.sh,
// never to a system one (and the emulators they start inherit the same setting).
[[maybe_unused]] static const bool kPrivatePcscd = [] {
    reader::use_private_pcscd();
    return true;
}();

std::string profile_path(const std::string& id) {
    return std::string(ONSHI_SOURCE_DIR) + "/assets/cards/" + id + ".json";
}
std::string state_dir() { return ONSHI_EMU_STATE; }
std::string trust_file() { return state_dir() + "/face_ca.pub.pem"; }

EmulatorProcess::EmulatorProcess(const std::string& profile_id, const std::vector<std::string>& extra,
                                 bool clean_reader) {
    if (clean_reader && !wait_card(false))
        throw std::runtime_error("a card is still in " + std::string(kReader) + " from before");
    int to_child[2], from_child[2];
    if (pipe(to_child) || pipe(from_child)) throw std::runtime_error("pipe failed");
    std::vector<std::string> args{ONSHI_CARD_EMULATOR, "--profile", profile_path(profile_id), "--state-dir",
                                  state_dir()};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = fork();
    if (pid_ == 0) {
        dup2(to_child[0], 0);
        dup2(from_child[1], 1);
        close(to_child[1]);
        close(from_child[0]);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    in_ = to_child[1];
    out_ = from_child[0];
    std::string first = read_line();
    if (first.rfind("ready", 0) != 0) throw std::runtime_error("emulator did not start: " + first);
}

EmulatorProcess::~EmulatorProcess() { quit(true); }

void EmulatorProcess::quit(bool wait_gone) {
    if (pid_ < 0) return;
    if (in_ >= 0) {
        (void)!write(in_, "quit\n", 5);
        close(in_);
        in_ = -1;
    }
    int st = 0;
    for (int i = 0; i < 50 && waitpid(pid_, &st, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (waitpid(pid_, &st, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &st, 0);
    }
    pid_ = -1;
    if (out_ >= 0) close(out_);
    out_ = -1;
    if (wait_gone) wait_card(false);  // best effort: the next constructor checks again
}

std::string EmulatorProcess::read_line() {
    while (true) {
        auto nl = buf_.find('\n');
        if (nl != std::string::npos) {
            std::string line = buf_.substr(0, nl);
            buf_.erase(0, nl + 1);
            return line;
        }
        char tmp[256];
        ssize_t n = read(out_, tmp, sizeof tmp);
        if (n <= 0) return {};
        buf_.append(tmp, static_cast<std::size_t>(n));
    }
}

void EmulatorProcess::command(const std::string& line) {
    std::string l = line + "\n";
    if (write(in_, l.data(), l.size()) != static_cast<ssize_t>(l.size())) throw std::runtime_error("emulator gone");
    while (true) {
        std::string r = read_line();
        if (r.empty()) throw std::runtime_error("emulator gone");
        if (r == "ok " + line) return;
        if (r.rfind("error", 0) == 0) throw std::runtime_error(r);
    }
}

bool wait_card(bool present, int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        SCARDCONTEXT ctx = 0;
        if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx) != SCARD_S_SUCCESS) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // pcscd restarting
            continue;
        }
        SCARD_READERSTATE st{};
        st.szReader = kReader;
        st.dwCurrentState = SCARD_STATE_UNAWARE;
        bool done = false;
        while (!done && std::chrono::steady_clock::now() < deadline) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            LONG rv = SCardGetStatusChange(ctx, static_cast<DWORD>(std::max<long>(1, left.count())), &st, 1);
            if (rv == SCARD_E_TIMEOUT) break;
            if (rv != SCARD_S_SUCCESS) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                break;
            }
            bool is = (st.dwEventState & SCARD_STATE_PRESENT) && !(st.dwEventState & SCARD_STATE_MUTE);
            if (is == present) done = true;
            st.dwCurrentState = st.dwEventState;
        }
        SCardReleaseContext(ctx);
        if (done) return true;
    }
    return false;
}

}  // namespace onshi::test
