#pragma once
// Typed ledger errors: the kiosk shows message_ja, logs and the CLI print what().
#include <stdexcept>
#include <string>

namespace onshi::ledger {

enum class ErrorCode {
    Corrupt,   // integrity check failed or not a database: refuse to run
    TooNew,    // schema written by a newer program
    NotFound,  // no such patient / card / audit entry
    Conflict,  // the change clashes with the ledger (duplicate カルテ番号, 照会番号 linked elsewhere, later edits)
    Invalid,    // malformed plan or value
    Busy,       // another writer held the lock past the busy timeout
    Io,         // any other SQLite or file failure
    NotLedger,  // an empty file, a folder, or a SQLite file of another program: never touched
    // The patient changed at another counter since the plan's base_version (the 差分確認 was computed on an
    // older version): nothing written, the diff is to be computed again.
    Stale,
    // The ledger server cannot be reached (PostgreSQL: refused, restarted, network lost): nothing of the
    // statement's transaction was written; the next statement connects again.
    Unavailable,
};

struct LedgerError : std::runtime_error {
    LedgerError(ErrorCode c, const std::string& en, std::string ja)
        : std::runtime_error(en), code(c), message_ja(std::move(ja)) {}
    ErrorCode code;
    std::string message_ja;
};

const char* to_string(ErrorCode c);

// The screen's words for ErrorCode::Stale.
inline constexpr const char* kStaleMessageJa = "別の端末で更新されました。差分を取り直します";

}  // namespace onshi::ledger
