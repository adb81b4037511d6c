#include "app/cli/ledger_args.hpp"

#include "app/cli/cli.hpp"

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

}  // namespace onshi::cli
