// onshi::sd against a real socket: a unix datagram socket stands in for systemd's $NOTIFY_SOCKET.
#include <catch2/catch.hpp>

#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>

#include "core/util/sd_notify.hpp"

namespace {

// Binds a datagram socket in a fresh folder and points NOTIFY_SOCKET at it for the test's lifetime.
class FakeSystemd {
public:
    FakeSystemd() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "onshi-sd-XXXXXX").string();
        dir_ = mkdtemp(tmpl.data());
        path_ = dir_ + "/notify";
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        REQUIRE(path_.size() < sizeof(a.sun_path));
        path_.copy(a.sun_path, path_.size());
        REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
        setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    }
    ~FakeSystemd() {
        unsetenv("NOTIFY_SOCKET");
        close(fd_);
        std::filesystem::remove_all(dir_);
    }
    // The next datagram, or nullopt after 500 ms.
    std::optional<std::string> receive() {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 500) != 1) return std::nullopt;
        char buf[4096];
        ssize_t n = recv(fd_, buf, sizeof(buf), 0);
        if (n < 0) return std::nullopt;
        return std::string(buf, size_t(n));
    }

private:
    std::string dir_, path_;
    int fd_ = -1;
};

struct EnvGuard {  // restores WATCHDOG_* after a test case
    ~EnvGuard() {
        unsetenv("WATCHDOG_USEC");
        unsetenv("WATCHDOG_PID");
    }
};

}  // namespace

TEST_CASE("ready, watchdog, status and stopping arrive as datagrams") {
    FakeSystemd sd;
    if (!onshi::sd::available()) {
        // Built without libsystemd: the calls must report failure and send nothing.
        CHECK_FALSE(onshi::sd::ready());
        CHECK_FALSE(sd.receive());
        return;
    }
    CHECK(onshi::sd::ready());
    CHECK(sd.receive() == "READY=1");
    CHECK(onshi::sd::watchdog_ping());
    CHECK(sd.receive() == "WATCHDOG=1");
    CHECK(onshi::sd::status("待機 — reader ok"));
    CHECK(sd.receive() == "STATUS=待機 — reader ok");
    CHECK(onshi::sd::stopping());
    CHECK(sd.receive() == "STOPPING=1");
    CHECK_FALSE(sd.receive());  // nothing else was sent
}

TEST_CASE("a newline in the status text cannot smuggle in another assignment") {
    FakeSystemd sd;
    if (!onshi::sd::available()) return;
    CHECK(onshi::sd::status("bad\nREADY=1\r"));
    CHECK(sd.receive() == "STATUS=bad READY=1 ");
}

TEST_CASE("outside systemd nothing is sent and nothing fails") {
    unsetenv("NOTIFY_SOCKET");
    CHECK_FALSE(onshi::sd::ready());
    CHECK_FALSE(onshi::sd::watchdog_ping());
    CHECK_FALSE(onshi::sd::status("x"));
}

TEST_CASE("the watchdog interval comes from WATCHDOG_USEC, for us or for our parent (cage)") {
    using std::chrono::microseconds;
    EnvGuard g;
    unsetenv("WATCHDOG_USEC");
    CHECK_FALSE(onshi::sd::watchdog_interval());
    setenv("WATCHDOG_USEC", "30000000", 1);
    CHECK(onshi::sd::watchdog_interval() == microseconds(30000000));
    setenv("WATCHDOG_PID", std::to_string(getppid()).c_str(), 1);  // the kiosk under cage
    CHECK(onshi::sd::watchdog_interval() == microseconds(30000000));
    setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
    CHECK(onshi::sd::watchdog_interval() == microseconds(30000000));
    setenv("WATCHDOG_PID", "1", 1);  // someone else's watchdog (unless our parent is init)
    if (getppid() != 1) CHECK_FALSE(onshi::sd::watchdog_interval());
    unsetenv("WATCHDOG_PID");
    for (const char* bad : {"", "0", "-5", "30s", "99999999999999999999999"}) {
        setenv("WATCHDOG_USEC", bad, 1);
        CHECK_FALSE(onshi::sd::watchdog_interval());
    }
}

TEST_CASE("the pinger pings at half the interval and only then") {
    using namespace std::chrono;
    FakeSystemd sd;
    onshi::sd::WatchdogPinger none(std::nullopt);
    CHECK_FALSE(none.period());
    CHECK_FALSE(none.tick());

    onshi::sd::WatchdogPinger p(microseconds(seconds(30)));
    REQUIRE(p.period() == microseconds(seconds(15)));
    auto t0 = steady_clock::now();
    CHECK(p.tick(t0));
    CHECK_FALSE(p.tick(t0 + seconds(14)));
    CHECK(p.tick(t0 + seconds(15)));
    CHECK_FALSE(p.tick(t0 + seconds(16)));
    if (onshi::sd::available()) {
        CHECK(sd.receive() == "WATCHDOG=1");
        CHECK(sd.receive() == "WATCHDOG=1");
        CHECK_FALSE(sd.receive());
    }
}
