#include "app/cli/ledger_args.hpp"

#include "app/cli/cli.hpp"

#include <cstdlib>

namespace onshi::cli {

ledger::LedgerStore open_existing_ledger(const std::optional<std::string>& path, bool read_only) {
    ledger::LedgerStore::Options opt;
    opt.create = false;
    opt.read_only = read_only;
    return ledger::LedgerStore::open(path.value_or(ledger::default_ledger_path().string()), opt);
}

void require_active_staff(const ledger::LedgerStore& db, const std::string& id, const std::string& option) {
    auto m = db.staff(id);
    if (!m) throw UsageError(option + " " + id + " is not a staff member of this ledger (see onshi staff list)");
    if (!m->active) throw UsageError(option + " " + id + " is deactivated");
}

std::string karte_arg(const std::string& text) {
    if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
        throw UsageError("--karte: expected a カルテ番号 of 1 to 20 digits, got '" + text + "'");
    return text;
}

config::KioskConfig settings(const std::optional<std::string>& file) {
    if (!file) return {};
    config::ConfigLoad c = config::load_config(*file);
    if (!c.ok())
        throw UsageError("--config " + *file + ": " + c.problems.front().where + ": " + c.problems.front().message);
    return c.config;
}

std::filesystem::path default_state() {
    const char* xdg = std::getenv("XDG_STATE_HOME");
    const char* home = std::getenv("HOME");
    std::filesystem::path base =
        xdg && *xdg ? std::filesystem::path(xdg) : std::filesystem::path(home ? home : "/tmp") / ".local/state";
    return base / "onshi" / "oqs-state.json";
}

}  // namespace onshi::cli
