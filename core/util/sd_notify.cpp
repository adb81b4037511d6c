#include "core/util/sd_notify.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "core/util/log.hpp"

#ifdef ONSHI_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace onshi::sd {
namespace {

bool send(const std::string& state) {
#ifdef ONSHI_HAVE_SYSTEMD
    // unset_environment = 0: cage's other children and a restarted UI keep seeing the socket.
    int r = sd_notify(0, state.c_str());
    if (r < 0)
        log::warn("sd_notify",
                  "sending '" + state.substr(0, state.find('=')) + "' failed: errno " + std::to_string(-r));
    return r > 0;
#else
    static std::atomic<bool> said{false};
    if (std::getenv("NOTIFY_SOCKET") && !said.exchange(true))
        log::warn("sd_notify",
                  "built without libsystemd: READY/WATCHDOG are not sent, a Type=notify unit will time out");
    (void)state;
    return false;
#endif
}

std::optional<long long> parse_positive(const char* s) {
    if (!s || !*s) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v <= 0) return std::nullopt;
    return v;
}

}  // namespace

bool available() {
#ifdef ONSHI_HAVE_SYSTEMD
    return true;
#else
    return false;
#endif
}

bool ready() { return send("READY=1"); }
bool watchdog_ping() { return send("WATCHDOG=1"); }
bool stopping() { return send("STOPPING=1"); }

bool status(std::string_view text) {
    std::string t(text);
    for (char& c : t)
        if (c == '\n' || c == '\r') c = ' ';  // a newline would start another assignment (e.g. READY=1)
    return send("STATUS=" + t);
}

std::optional<std::chrono::microseconds> watchdog_interval() {
    auto usec = parse_positive(std::getenv("WATCHDOG_USEC"));
    if (!usec) return std::nullopt;
    if (const char* p = std::getenv("WATCHDOG_PID")) {
        auto pid = parse_positive(p);
        if (!pid || (*pid != getpid() && *pid != getppid())) return std::nullopt;  // meant for someone else
    }
    return std::chrono::microseconds(*usec);
}

WatchdogPinger::WatchdogPinger(std::optional<std::chrono::microseconds> interval) {
    if (interval && interval->count() > 0) period_ = *interval / 2;
}

bool WatchdogPinger::tick(std::chrono::steady_clock::time_point now) {
    if (!period_) return false;
    if (last_ && now - *last_ < *period_) return false;
    last_ = now;
    watchdog_ping();
    return true;
}

}  // namespace onshi::sd
