#include "core/flow/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace onshi::flow {

Clock system_clock() {
    return [] {
        using namespace std::chrono;
        return int64_t(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    };
}

std::string format_local(int64_t epoch_ms) {
    std::time_t t = std::time_t(epoch_ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
}

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

}  // namespace onshi::flow
