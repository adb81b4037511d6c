// Kills a writer process with SIGKILL at random moments 200 times, with a reader running throughout;
// after every kill the ledger must pass integrity_check and hold every commit the writer reported. On
// PostgreSQL (ONSHI_TEST_LEDGER) the writer is a client of the test server: its cut transactions must leave
// nothing, and every commit it reported must be there.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi::ledger;
using namespace onshi::ledger::test;

namespace {
// Starts the writer with stdout on a pipe; returns its pid and the read end.
std::pair<pid_t, int> start_writer(const std::string& ledger) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execl(LEDGER_CRASH_WRITER, LEDGER_CRASH_WRITER, ledger.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fds[1]);
    return {pid, fds[0]};
}

// Whole lines only: a line cut by the kill was never fully reported.
void read_reports(int fd, std::string buf, std::set<std::string>& out) {
    char chunk[4096];
    ssize_t n;
    while ((n = ::read(fd, chunk, sizeof chunk)) > 0) buf.append(chunk, size_t(n));
    size_t start = 0, nl;
    while ((nl = buf.find('\n', start)) != std::string::npos) {
        out.insert(buf.substr(start, nl - start));
        start = nl + 1;
    }
}

// Waits (up to 10 s) until the writer reported its first commit; returns the bytes read so far.
std::string wait_first_report(int fd) {
    std::string buf;
    char chunk[256];
    while (buf.find('\n') == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 10000) <= 0) break;
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) break;
        buf.append(chunk, size_t(n));
    }
    return buf;
}
}  // namespace

TEST_CASE("SIGKILL at random moments 200 times loses no reported commit") {
    TempDir d;
    const std::string path = ledger_at(d.path / "crash.sqlite").string();
    { LedgerStore::open(path); }

    std::atomic<bool> stop{false};
    std::atomic<long> reads{0};
    std::string reader_failure;
    std::thread reader([&] {
        try {
            auto r = LedgerStore::open(path);
            while (!stop) {
                auto h = r.history({}, 1000000);
                for (size_t i = 0; i < h.rows.size() && i < 20; ++i)
                    if (!r.patient(h.rows[i].karte)) reader_failure = "check without its patient";
                ++reads;
                std::this_thread::sleep_for(std::chrono::milliseconds(2));  // 2 cores: leave the writer room
            }
        } catch (const std::exception& e) {
            reader_failure = e.what();
        }
    });

    std::mt19937 rng(20210801);
    std::uniform_int_distribution<int> delay_us(0, 150000);
    std::uniform_int_distribution<int> busy_delay_us(0, 40000);
    std::set<std::string> reported;
    int killed_running = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int round = 0; round < 200; ++round) {
        auto [pid, fd] = start_writer(path);
        // Even rounds: any moment from the start (open, WAL recovery, first writes);
        // odd rounds: once the writer is committing, so every such kill lands among writes.
        std::string head;
        if (round % 2) {
            head = wait_first_report(fd);
            std::this_thread::sleep_for(std::chrono::microseconds(busy_delay_us(rng)));
        } else {
            std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
        }
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        killed_running += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
        read_reports(fd, head, reported);
        ::close(fd);
    }
    stop = true;
    reader.join();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    INFO("rounds took " << secs << " s, " << reported.size() << " commits reported, " << reads << " reads");
    CHECK(killed_running == 200);   // the writer was still running each time: the kill hit mid-work
    CHECK(reported.size() >= 100);  // at least one commit in every odd round
    CHECK(reader_failure.empty());
    CHECK(reads > 0);

    auto db = LedgerStore::open(path);  // integrity check at open
    CHECK(db.integrity_check() == "ok");
    size_t missing = 0;
    for (const auto& karte : reported) {
        auto rec = db.patient(karte);
        if (!rec || !rec->current_card() || !rec->latest_check || rec->consents.size() != 1) ++missing;
    }
    CHECK(missing == 0);
    WARN("crash test: " << reported.size() << " reported commits survived 200 SIGKILLs in " << secs << " s");
}
