#pragma once
// What every command that works on a ledger reads from its words: the ledger (--ledger, else the default
// path), the member who acts (--staff / --by) and a カルテ番号. Usage problems are cli::UsageError (exit 2).
#include <filesystem>
#include <optional>
#include <string>

#include "core/config/kiosk_config.hpp"
#include "core/ledger/ledger_store.hpp"

namespace onshi::cli {

// An existing ledger: only `onshi ledger init` creates one. `path` is a file or a postgresql:// URI.
ledger::LedgerStore open_existing_ledger(const std::optional<std::string>& path, bool read_only = false);
// `option` must name an active member of the ledger's staff: the audit says who.
void require_active_staff(const ledger::LedgerStore& db, const std::string& id, const std::string& option = "--staff");
// A カルテ番号 of 1 to 20 digits, as given after --karte.
std::string karte_arg(const std::string& text);
// The clinic's settings from --config FILE (a bad file is a UsageError naming its first problem); the
// defaults when no file is given.
config::KioskConfig settings(const std::optional<std::string>& file);
// Where the OQS commands keep their transport state without --state: $XDG_STATE_HOME/onshi/oqs-state.json.
std::filesystem::path default_state();

}  // namespace onshi::cli
