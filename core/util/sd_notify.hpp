#pragma once
// systemd notifications (READY, WATCHDOG, STATUS) through libsystemd's sd_notify.
//
// Under cage the kiosk is cage's child, not the unit's main process, so the unit uses Type=notify with
// NotifyAccess=all (systemd then accepts messages from any process of the unit's cgroup). For the same
// reason $WATCHDOG_PID names cage, and sd_watchdog_enabled() would say "not for you": watchdog_interval()
// accepts our parent's PID too. Every call is harmless outside systemd (no $NOTIFY_SOCKET) and when the
// build had no libsystemd (it says so once in the log).
#include <chrono>
#include <optional>
#include <string_view>

namespace onshi::sd {

bool available();  // built with libsystemd
// Each returns true when systemd got the message; false outside systemd or without libsystemd.
bool ready();                        // "READY=1": the UI is up (also when it shows a config problem)
bool watchdog_ping();                // "WATCHDOG=1"
bool status(std::string_view text);  // "STATUS=…" for `systemctl status`; newlines become spaces
bool stopping();                     // "STOPPING=1" on a clean exit

// $WATCHDOG_USEC when set (and $WATCHDOG_PID, if set, is us or our parent, i.e. cage); else nullopt.
std::optional<std::chrono::microseconds> watchdog_interval();

// For the UI loop: call tick() every iteration; it pings at half the interval, as sd_watchdog_enabled(3)
// advises. period() is how long the loop may sleep at most (nullopt: no watchdog, sleep as long as you like).
class WatchdogPinger {
public:
    WatchdogPinger() : WatchdogPinger(watchdog_interval()) {}
    explicit WatchdogPinger(std::optional<std::chrono::microseconds> interval);
    std::optional<std::chrono::microseconds> period() const { return period_; }
    // Returns true when it pinged this time.
    bool tick(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

private:
    std::optional<std::chrono::microseconds> period_;
    std::optional<std::chrono::steady_clock::time_point> last_;
};

}  // namespace onshi::sd
