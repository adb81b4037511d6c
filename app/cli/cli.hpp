#pragma once
// The `onshi` command-line tool: one file per command group registers itself with ONSHI_COMMAND.
// Exit codes everywhere: 0 ok, 1 the rule/operation failed or warned, 2 malformed input or usage.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace onshi::cli {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

// Thrown for bad usage or malformed input; main prints the one-line reason and exits 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The words after the command group, consumed as the handler reads them.
class Args {
public:
    explicit Args(std::vector<std::string> words) : words_(std::move(words)) {}
    // "--name VALUE" or "--name=VALUE"; removed from the words when found.
    std::optional<std::string> option(const std::string& name);
    std::string required_option(const std::string& name);
    bool flag(const std::string& name);  // "--name"
    std::string next(const char* what);  // next positional word, or UsageError
    std::optional<std::string> next_optional();
    bool empty() const { return words_.empty(); }
    void expect_end() const;  // UsageError on leftovers
private:
    std::vector<std::string> words_;
};

// Every number on the command line goes through these two: the whole word, finite, within [lo, hi];
// anything else is a UsageError naming the option, the range and the word, e.g.
// "--timeout: expected seconds between 0.1 and 3600, got 'nan'".
std::int64_t parse_integer(const std::string& what, const std::string& text, std::int64_t lo, std::int64_t hi);
double parse_seconds(const std::string& what, const std::string& text, double lo, double hi);

using Handler = int (*)(Args&);

struct Command {
    const char* name;
    const char* usage;  // one line, shown by `onshi help`
    Handler handler;
};

// Registers a command group; called through ONSHI_COMMAND from static initialisers.
bool register_command(const Command& c);
const std::vector<Command>& commands();

// A subcommand kept in a file of its own (`onshi oqs ingest` beside the other `oqs` subcommands): main tries
// these before the group's handler, which never sees the words.
struct Subcommand {
    const char* group;
    const char* name;
    const char* usage;  // one line, shown by `onshi help`
    Handler handler;    // gets the words after the subcommand's name
};
bool register_subcommand(const Subcommand& s);
const std::vector<Subcommand>& subcommands();

}  // namespace onshi::cli

#define ONSHI_CLI_CAT2(a, b) a##b
#define ONSHI_CLI_CAT(a, b) ONSHI_CLI_CAT2(a, b)
#define ONSHI_COMMAND(name, usage, handler) \
    static const bool ONSHI_CLI_CAT(onshi_cmd_, __LINE__) = ::onshi::cli::register_command({name, usage, handler})
#define ONSHI_SUBCOMMAND(group, name, usage, handler)       \
    static const bool ONSHI_CLI_CAT(onshi_sub_, __LINE__) = \
        ::onshi::cli::register_subcommand({group, name, usage, handler})
