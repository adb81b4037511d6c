#pragma once
// Schema migrations, tracked by PRAGMA user_version. Each step runs in its own transaction.
#include "core/ledger/sql.hpp"

namespace onshi::ledger {

constexpr int kSchemaVersion = 1;

// Brings the file up to kSchemaVersion; LedgerError(TooNew) if a newer program wrote it.
void migrate(sql::Db& db);

}  // namespace onshi::ledger
