// `onshi staff`: staff members and their passcodes (PBKDF2, one per member so the audit says who).
// Passcodes are read from standard input, never from the command line (ps and shell history show that).
// The passcode policy is the clinic's [passcode] section of the kiosk's config file, so the tool never
// accepts a passcode the kiosk would refuse (docs/security.md, "Staff passcodes").
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/cli/cli.hpp"
#include "core/config/kiosk_config.hpp"
#include "core/flow/passcode.hpp"
#include "core/ledger/error.hpp"
#include "core/util/json.hpp"

namespace {

using namespace onshi;

constexpr const char* kDefaultConfig = "/etc/onshi-kiosk/onshi-kiosk.toml";  // the kiosk's default too

std::string read_passcode() {
    std::string line;
    if (!std::getline(std::cin, line)) throw cli::UsageError("no passcode on standard input");
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
}

// The [passcode] policy of the config file. A file named with --config must load cleanly; without
// --config the kiosk's default file is used when it exists, else the built-in defaults (said on stderr).
flow::PasscodePolicy load_policy(const std::optional<std::string>& given) {
    const std::string file = given.value_or(kDefaultConfig);
    flow::PasscodePolicy pp;
    std::error_code ec;
    if (!given && !std::filesystem::exists(file, ec)) {
        std::fprintf(stderr, "onshi staff: no config at %s, using the built-in passcode policy (--config FILE)\n",
                     file.c_str());
        return pp;
    }
    config::ConfigLoad load = config::load_config(file);
    if (!load.ok()) {
        std::string why;
        for (const auto& p : load.problems) why += "\n  " + p.where + ": " + p.message;
        throw cli::UsageError("config " + file + " has problems (the passcode policy comes from it):" + why);
    }
    const config::KioskConfig& c = load.config;
    pp.min_digits = size_t(c.passcode_min_digits);
    pp.max_digits = size_t(c.passcode_max_digits);
    pp.max_failures = c.passcode_max_failures;
    pp.lockout_ms = int64_t(c.passcode_lockout_minutes) * 60000;
    pp.iterations = c.passcode_iterations;
    return pp;
}

// The member who makes the change: an active member of this ledger. Only the very first member of an
// empty staff list is added without one (recorded as added by themselves unless --by says otherwise).
std::string acting_member(const ledger::LedgerStore& store, const std::optional<std::string>& by,
                          const std::string& sub, const std::string& new_id) {
    if (sub == "add" && store.list_staff().empty()) return by.value_or(new_id);
    if (!by) throw cli::UsageError("--by STAFF is required: the active staff member who makes this change");
    auto m = store.staff(*by);
    if (!m) throw cli::UsageError("--by " + *by + " is not a staff member of this ledger (see onshi staff list)");
    if (!m->active) throw cli::UsageError("--by " + *by + " is deactivated");
    return *by;
}

int staff_cmd(cli::Args& args) {
    std::string path = args.option("--ledger").value_or(ledger::default_ledger_path().string());
    std::optional<std::string> by = args.option("--by");
    std::optional<std::string> config_file = args.option("--config");
    std::string sub = args.next("subcommand (add|passcode|list|deactivate|activate)");
    ledger::LedgerStore::Options lo;
    lo.create = false;  // `onshi ledger init` creates ledgers
    lo.read_only = sub == "list";
    try {
        auto store = ledger::LedgerStore::open(path, lo);
        Json out;
        if (sub == "list") {
            args.expect_end();
            flow::Passcode pc(store, flow::system_clock());
            out = Json::array();
            for (const auto& m : store.list_staff()) {
                int64_t left = pc.locked_for_ms(m.id);
                out.push_back({{"id", m.id},
                               {"name", m.name},
                               {"role", m.role},
                               {"active", m.active},
                               {"passcode_set", !m.hash.empty()},
                               {"failed_count", m.failed_count},
                               {"locked_seconds", left / 1000}});
            }
        } else if (sub == "add") {
            std::string id = args.required_option("--id"), name = args.required_option("--name");
            std::string role = args.option("--role").value_or("reception");
            std::string birth = args.option("--birth").value_or("");
            args.expect_end();
            flow::Passcode pc(store, flow::system_clock(), load_policy(config_file));
            std::string who = acting_member(store, by, sub, id);
            pc.add_staff(id, name, role, read_passcode(), who, birth);
            out = {{"added", id}};
        } else if (sub == "passcode") {
            std::string id = args.required_option("--id");
            std::string birth = args.option("--birth").value_or("");
            args.expect_end();
            flow::Passcode pc(store, flow::system_clock(), load_policy(config_file));
            std::string who = acting_member(store, by, sub, id);
            pc.change(id, read_passcode(), who, birth);
            out = {{"changed", id}};
        } else if (sub == "deactivate" || sub == "activate") {
            std::string id = args.required_option("--id");
            args.expect_end();
            std::string who = acting_member(store, by, sub, id);
            store.set_staff_active(id, sub == "activate", who);
            out = {{sub == "activate" ? "activated" : "deactivated", id}};
        } else {
            throw cli::UsageError("unknown subcommand " + sub);
        }
        std::printf("%s\n", out.dump().c_str());
        return cli::kOk;
    } catch (const flow::PasscodeRefused& e) {
        throw cli::UsageError(e.what());
    } catch (const ledger::LedgerError& e) {
        std::fprintf(stderr, "onshi staff: %s\n", e.what());
        return e.code == ledger::ErrorCode::Invalid ? cli::kUsage : cli::kFailed;
    }
}

}  // namespace

ONSHI_COMMAND("staff",
              "staff [--ledger PATH] [--config FILE] add --id ID --name NAME [--role ROLE] [--birth D] | "
              "passcode --id ID [--birth D] | list | deactivate|activate --id ID   [--by STAFF] (passcodes on stdin)",
              staff_cmd);
