// `onshi config check [FILE]` and `onshi config show FILE`: the kiosk's config file as JSON.
// check: {"ok", "problems":[{"where","message","message_ja"}]}; exit 0 clean, 1 problems, 2 usage.
// show: the effective values (defaults filled in) when the file is clean; else the check output, exit 1.
#include <cstdio>

#include "app/cli/cli.hpp"
#include "core/config/config_json.hpp"

namespace {
constexpr const char* kDefaultFile = "/etc/onshi-kiosk/onshi-kiosk.toml";

int config_cmd(onshi::cli::Args& args) {
    using namespace onshi;
    std::string sub = args.next("check|show");
    if (sub != "check" && sub != "show") throw cli::UsageError("unknown subcommand '" + sub + "' (check|show)");
    std::string file = sub == "check" ? args.next_optional().value_or(kDefaultFile) : args.next("FILE");
    args.expect_end();

    config::ConfigLoad load = config::load_config(file);
    Json j;
    j["ok"] = load.ok();
    j["file"] = file;
    if (sub == "show" && load.ok()) {
        j["config"] = config::to_json(load.config);
    } else {
        j["problems"] = config::to_json(load.problems);
    }
    if (!load.notices.empty()) j["notices"] = load.notices;  // retired keys, read past
    std::printf("%s\n", j.dump(2, ' ', false, Json::error_handler_t::replace).c_str());
    return load.ok() ? cli::kOk : cli::kFailed;
}
}  // namespace

ONSHI_COMMAND("config", "config check [FILE] | config show FILE   (default FILE /etc/onshi-kiosk/onshi-kiosk.toml)",
              config_cmd);
