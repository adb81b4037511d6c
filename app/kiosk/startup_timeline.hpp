#pragma once
// The start-up timeline (docs/performance.md, "First frame"): one debug line per phase with the
// milliseconds since main() began, e.g. "startup: window created at 41.2 ms". Log level debug shows it.
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/util/log.hpp"

namespace onshi::kiosk {

inline void startup_phase(std::chrono::steady_clock::time_point started, std::string_view phase) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    char at[32];
    std::snprintf(at, sizeof at, " at %.1f ms", ms);
    log::debug("startup", std::string(phase) + at);
}

}  // namespace onshi::kiosk
