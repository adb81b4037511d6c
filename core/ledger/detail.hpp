#pragma once
// Helpers shared by the ledger's .cpp files (not part of the public API).
#include <optional>
#include <string>

#include "core/ledger/journal.hpp"
#include "core/ledger/sql.hpp"
#include "core/ledger/types.hpp"

namespace onshi::ledger::detail {

[[noreturn]] void invalid(const std::string& en, const std::string& ja);
[[noreturn]] void not_found(const std::string& en, const std::string& ja);
[[noreturn]] void conflict(const std::string& en, const std::string& ja);

void require_date(const std::string& value, const char* what);  // "" or an existing YYYY-MM-DD
void require_staff(const std::string& staff_id);
void require_karte(const std::string& karte);

// Writes the audit row for the journal's ops; returns its id.
int64_t write_audit(sql::Db& db, const Journal& j, const std::string& at, const std::string& staff_id,
                    const std::string& action, const std::string& karte, const std::string& summary,
                    int64_t undo_of = 0);

// Column lists and row readers for the SELECTs in queries.cpp and apply.cpp.
extern const char* const kCardColumns;  // id, insurer_number … closed_on
InsuranceCard read_card(const sql::Stmt& st, int first = 0);
// id, karte, card_id … staff_id, status, request. A ledger of schema 1 (opened read-only, so not migrated)
// has no status or request: they read as "" and read_check derives the status.
std::string check_columns(int schema_version);
// "SELECT <columns>" for a table's column list; callers append the rest of the statement.
std::string select_sql(const char* columns);
QualificationCheck read_check(const sql::Stmt& st, int first = 0);
extern const char* const kPatientColumns;
Patient read_patient(const sql::Stmt& st, int first = 0);

// Links 照会番号 `number` to `karte`; Conflict when either side is linked elsewhere.
void link_reference(sql::Db& db, Journal& j, const std::string& karte, const std::string& number,
                    const std::string& at);

bool patient_exists(sql::Db& db, const std::string& karte);
// The password of a PostgreSQL ledger from its file ("" → ""): the first line; Invalid unless mode 0600.
std::string read_password_file(const std::string& file);
// LedgerStore::patient_version on a connection (inside a transaction: as of that transaction).
int64_t patient_version_in(sql::Db& db, const std::string& karte);
// A well-formed カルテ番号 of a patient in the ledger; NotFound otherwise.
void require_patient(sql::Db& db, const std::string& karte);
std::optional<InsuranceCard> current_card(sql::Db& db, const std::string& karte);

}  // namespace onshi::ledger::detail
