// `onshi staff`: staff members and their passcodes (PBKDF2, one per member so the audit says who).
// Passcodes are read from standard input, never from the command line (ps and shell history show that).
#include <cstdio>
#include <iostream>

#include "app/cli/cli.hpp"
#include "core/flow/passcode.hpp"
#include "core/ledger/error.hpp"
#include "core/util/json.hpp"

namespace {

using namespace onshi;

std::string read_passcode() {
    std::string line;
    if (!std::getline(std::cin, line)) throw cli::UsageError("no passcode on standard input");
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
}

int staff_cmd(cli::Args& args) {
    std::string path = args.option("--ledger").value_or(ledger::default_ledger_path().string());
    std::string sub = args.next("subcommand (add|passcode|list|deactivate|activate)");
    std::string by = args.option("--by").value_or("admin");
    ledger::LedgerStore::Options lo;
    lo.create = sub == "add";
    try {
        auto store = ledger::LedgerStore::open(path, lo);
        flow::Passcode pc(store, flow::system_clock());
        Json out;
        if (sub == "list") {
            args.expect_end();
            out = Json::array();
            for (const auto& m : store.list_staff()) {
                int64_t left = pc.locked_for_ms(m.id);
                out.push_back({{"id", m.id}, {"name", m.name}, {"role", m.role}, {"active", m.active},
                               {"passcode_set", !m.hash.empty()}, {"failed_count", m.failed_count},
                               {"locked_seconds", left / 1000}});
            }
        } else if (sub == "add") {
            std::string id = args.required_option("--id"), name = args.required_option("--name");
            std::string role = args.option("--role").value_or("reception");
            args.expect_end();
            std::string digits = read_passcode();
            if (auto why = flow::passcode_problem(digits, pc.policy()); !why.empty())
                throw cli::UsageError("the passcode must be " + std::to_string(pc.policy().min_digits) + " to " +
                                      std::to_string(pc.policy().max_digits) + " digits");
            pc.add_staff(id, name, role, digits, by);
            out = {{"added", id}};
        } else if (sub == "passcode") {
            std::string id = args.required_option("--id");
            args.expect_end();
            std::string digits = read_passcode();
            if (auto why = flow::passcode_problem(digits, pc.policy()); !why.empty())
                throw cli::UsageError("the passcode must be " + std::to_string(pc.policy().min_digits) + " to " +
                                      std::to_string(pc.policy().max_digits) + " digits");
            pc.change(id, digits, by);
            out = {{"changed", id}};
        } else if (sub == "deactivate" || sub == "activate") {
            std::string id = args.required_option("--id");
            args.expect_end();
            store.set_staff_active(id, sub == "activate", by);
            out = {{sub == "activate" ? "activated" : "deactivated", id}};
        } else {
            throw cli::UsageError("unknown subcommand " + sub);
        }
        std::printf("%s\n", out.dump().c_str());
        return cli::kOk;
    } catch (const ledger::LedgerError& e) {
        std::fprintf(stderr, "onshi staff: %s\n", e.what());
        return e.code == ledger::ErrorCode::Invalid ? cli::kUsage : cli::kFailed;
    }
}

}  // namespace

ONSHI_COMMAND("staff",
              "staff [--ledger PATH] add --id ID --name NAME [--role ROLE] | passcode --id ID | list | "
              "deactivate|activate --id ID   [--by STAFF] (passcodes on stdin)",
              staff_cmd);
