// onshi: the command-line face of core/ and reader/ (no ImGui, no GL).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>

#include "app/cli/cli.hpp"

namespace onshi::cli {

static std::vector<Command>& registry() {
    static std::vector<Command> r;  // filled by static initialisers before main
    return r;
}
bool register_command(const Command& c) {
    registry().push_back(c);
    return true;
}
const std::vector<Command>& commands() { return registry(); }

static std::vector<Subcommand>& sub_registry() {
    static std::vector<Subcommand> r;  // filled by static initialisers before main
    return r;
}
bool register_subcommand(const Subcommand& s) {
    sub_registry().push_back(s);
    return true;
}
const std::vector<Subcommand>& subcommands() { return sub_registry(); }

std::optional<std::string> Args::option(const std::string& name) {
    for (size_t i = 0; i < words_.size(); ++i) {
        const std::string& w = words_[i];
        if (w == name) {
            if (i + 1 >= words_.size()) throw UsageError(name + " needs a value");
            std::string v = words_[i + 1];
            words_.erase(words_.begin() + long(i), words_.begin() + long(i) + 2);
            return v;
        }
        if (w.size() > name.size() && w.compare(0, name.size(), name) == 0 && w[name.size()] == '=') {
            std::string v = w.substr(name.size() + 1);
            words_.erase(words_.begin() + long(i));
            return v;
        }
    }
    return std::nullopt;
}

std::string Args::required_option(const std::string& name) {
    auto v = option(name);
    if (!v) throw UsageError("missing " + name);
    return *v;
}

bool Args::flag(const std::string& name) {
    auto it = std::find(words_.begin(), words_.end(), name);
    if (it == words_.end()) return false;
    words_.erase(it);
    return true;
}

std::optional<std::string> Args::next_optional() {
    for (size_t i = 0; i < words_.size(); ++i) {
        if (words_[i].rfind("--", 0) == 0 && words_[i].size() > 2) continue;
        std::string v = words_[i];
        words_.erase(words_.begin() + long(i));
        return v;
    }
    return std::nullopt;
}

std::string Args::next(const char* what) {
    auto v = next_optional();
    if (!v) throw UsageError(std::string("missing ") + what);
    return *v;
}

void Args::expect_end() const {
    if (!words_.empty()) throw UsageError("unexpected argument: " + words_.front());
}

// from_chars: no locale, no leading '+' or blanks, and the whole word must be used.
std::int64_t parse_integer(const std::string& what, const std::string& text, std::int64_t lo, std::int64_t hi) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
        throw UsageError(what + ": expected an integer between " + std::to_string(lo) + " and " + std::to_string(hi) +
                         ", got '" + text + "'");
    return v;
}

double parse_seconds(const std::string& what, const std::string& text, double lo, double hi) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v < lo ||
        v > hi) {
        char range[64];
        std::snprintf(range, sizeof range, "%g and %g", lo, hi);
        throw UsageError(what + ": expected seconds between " + range + ", got '" + text + "'");
    }
    return v;
}

}  // namespace onshi::cli

static void print_help() {
    std::printf("onshi %s — command-line tool of onshi-kiosk\nusage:\n", ONSHI_VERSION);
    auto cmds = onshi::cli::commands();
    std::sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return std::strcmp(a.name, b.name) < 0; });
    for (const auto& c : cmds) std::printf("  onshi %s\n", c.usage);
    auto subs = onshi::cli::subcommands();
    std::sort(subs.begin(), subs.end(), [](auto& a, auto& b) { return std::strcmp(a.usage, b.usage) < 0; });
    for (const auto& s : subs) std::printf("  onshi %s\n", s.usage);
}

// Runs a handler: usage errors exit 2, anything else thrown exits 1, each with its one-line reason.
static int run_handler(onshi::cli::Handler handler, const std::string& what, std::vector<std::string> words) {
    using namespace onshi::cli;
    Args args(std::move(words));
    try {
        return handler(args);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "onshi %s: %s\n", what.c_str(), e.what());
        return kUsage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "onshi %s: %s\n", what.c_str(), e.what());
        return kFailed;
    }
}

int main(int argc, char** argv) {
    using namespace onshi::cli;
    if (argc < 2 || !std::strcmp(argv[1], "help") || !std::strcmp(argv[1], "--help")) {
        print_help();
        return argc < 2 ? kUsage : kOk;
    }
    if (argc >= 3)
        for (const auto& s : subcommands())
            if (!std::strcmp(s.group, argv[1]) && !std::strcmp(s.name, argv[2]))
                return run_handler(s.handler, std::string(s.group) + " " + s.name,
                                   std::vector<std::string>(argv + 3, argv + argc));
    for (const auto& c : commands())
        if (!std::strcmp(c.name, argv[1]))
            return run_handler(c.handler, c.name, std::vector<std::string>(argv + 2, argv + argc));
    for (const auto& s : subcommands())
        if (!std::strcmp(s.group, argv[1])) {
            std::fprintf(stderr, "onshi %s: unknown or missing subcommand (try 'onshi help')\n", argv[1]);
            return kUsage;
        }
    std::fprintf(stderr, "onshi: unknown command '%s' (try 'onshi help')\n", argv[1]);
    return kUsage;
}
