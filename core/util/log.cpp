#include "core/util/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace onshi::log {
namespace {
std::atomic<Level> g_level{Level::Info};
std::mutex g_mutex;  // one line at a time from worker threads
const char* tag(Level l) {
    switch (l) {
        case Level::Debug: return "<7>debug";
        case Level::Info: return "<6>info";
        case Level::Warn: return "<4>warn";
        case Level::Error: return "<3>error";
    }
    return "info";
}
}  // namespace

void set_level(Level level) { g_level = level; }

void write(Level level, std::string_view component, std::string_view message) {
    if (level < g_level.load()) return;
    std::lock_guard lock(g_mutex);
    // The <N> prefix is the syslog priority journald understands on stderr.
    std::fprintf(stderr, "%s [%.*s] %.*s\n", tag(level), int(component.size()), component.data(), int(message.size()),
                 message.data());
}

}  // namespace onshi::log
