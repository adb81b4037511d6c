#pragma once
// Schema migrations, tracked by PRAGMA user_version (on PostgreSQL: table onshi_schema_version), read and
// applied inside one BEGIN IMMEDIATE transaction (on PostgreSQL: the writer lock, docs/ledger-postgres.md).
#include "core/ledger/sql.hpp"

namespace onshi::ledger {

constexpr int kSchemaVersion = 7;

// Brings the file up to kSchemaVersion; LedgerError(TooNew) if a newer program wrote it.
// Version 2 rebuilds `checks` (method 'query', columns status and request) and adds `intake`; version 3
// rebuilds `checks` again (method 'bulk') and adds `reception`, `bulk_batches` and `bulk_items`; version 5 adds
// `medinfo` (fetched 薬剤情報・特定健診情報, read-only); version 6 writes SQLite's IN-list CHECK constraints as OR chains
// (the same constraints, cheaper to evaluate); version 7 lets a check's long raw answer be stored packed on SQLite
// (packed_text.hpp) and rebuilds `audit` there with a partial index for undo_of. Call it with
// foreign keys off (it checks them itself before committing): a table rebuild needs that.
void migrate(sql::Db& db);
LedgerError too_new(int version);

// The tables every ledger of schema 1 and later has; a file with other tables and no version is not ours.
constexpr const char* kLedgerTables[] = {"patients", "insurance_cards", "checks", "links", "staff", "audit"};

}  // namespace onshi::ledger
