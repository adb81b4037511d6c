#include "core/util/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace onshi::util {
namespace {

std::tm local_tm(int64_t epoch_ms) {
    // Floor division: a negative epoch still names the second it falls in.
    int64_t s = epoch_ms / 1000 - (epoch_ms % 1000 < 0 ? 1 : 0);
    std::time_t t = std::time_t(s);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm;
}

std::string format(int64_t epoch_ms, const char* pattern) {
    std::tm tm = local_tm(epoch_ms);
    char buf[40];
    size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
    return std::string(buf, n);
}

}  // namespace

int64_t system_now_ms() {
    using namespace std::chrono;
    return int64_t(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

Clock system_clock() {
    return [] { return system_now_ms(); };
}

std::string format_local(int64_t epoch_ms) { return format(epoch_ms, "%Y-%m-%dT%H:%M:%S"); }
std::string format_local_date(int64_t epoch_ms) { return format(epoch_ms, "%Y-%m-%d"); }
std::string format_local_compact(int64_t epoch_ms) { return format(epoch_ms, "%Y%m%d%H%M%S"); }

int64_t parse_local(const std::string& iso) {
    std::tm tm{};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    std::time_t t = std::mktime(&tm);
    return t == std::time_t(-1) ? -1 : int64_t(t) * 1000;
}

}  // namespace onshi::util
