#pragma once
// KioskConfig: everything a clinic sets for its kiosk. Loaded from TOML (config.cpp, Debian's
// libtomlplusplus-dev); assets/config/onshi-kiosk.toml is the commented default. A bad file is never
// silently replaced by defaults: load_config returns the problems (what, where) for the screen and the log.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace onshi::config {

struct KioskConfig {
    // [clinic]
    std::string medical_institution_code;  // 医療機関コード (10 digits)
    // [oqs]
    std::filesystem::path oqs_root = "/srv/oqs";  // holds req/ res/ face/
    std::string oqs_encoding = "utf-8";           // "utf-8" | "shift_jis" for requests
    int oqs_timeout_seconds = 60;                 // then remembered, never re-sent
    int face_wait_seconds = 300;  // 目視確認: how long the visit waits for the reader's face/ result
    bool auto_query = true;       // 受付 of a patient sends the 単件照会 of the registered card
    int bulk_poll_seconds = 30;   // 一括照会: seconds between OQSmuquc02req polls
    // [reader]
    std::string reader_pattern;                      // substring of the PC/SC reader name; "" any
    int face_tries_floor = 2;                        // 照合番号B safety floor
    std::vector<std::filesystem::path> trust_store;  // PEM keys/certs that may sign card-face AP certificates
    // [ledger]
    std::filesystem::path ledger_path = "/var/lib/onshi-kiosk/ledger.sqlite";
    // A PostgreSQL ledger shared by several kiosks (docs/ledger-postgres.md): a libpq URI "postgresql://…"
    // (sslmode and the rest passed through), "" = the SQLite file at ledger_path. Its password is read from
    // ledger_password_file (mode 0600), never written in the URI.
    std::string ledger_url;
    std::filesystem::path ledger_password_file;
    // While the ledger server cannot be reached, the kiosk tries again after 1 s, then twice as long each
    // time, at most this many seconds apart (docs/ledger-postgres.md, "When the server is down").
    int ledger_retry_max_seconds = 30;
    // How long one ledger statement waits for the server's answer before the connection is dropped and the
    // kiosk treats the server as down (docs/ledger-postgres.md, "A server that does not answer").
    int ledger_answer_timeout_seconds = 15;
    // What LedgerStore::open is given: ledger_url when set, else ledger_path.
    std::filesystem::path ledger_location() const {
        return ledger_url.empty() ? ledger_path : std::filesystem::path(ledger_url);
    }
    std::filesystem::path backup_dir = "/var/lib/onshi-kiosk/backup";
    int backup_keep_days = 14;
    // [timeouts]
    int staff_idle_seconds = 60;
    int done_seconds = 10;
    // [passcode]
    int passcode_min_digits = 6;
    int passcode_max_digits = 8;
    int passcode_max_failures = 5;
    int passcode_lockout_minutes = 30;
    int64_t passcode_iterations = 600000;
    // [screen]
    int width = 0, height = 0;  // 0: the monitor's mode
    int rotation = 0;           // 0, 90, 180, 270 (applied by cage -r / xrandr; shown in 管理)
    bool fullscreen = true;
};

struct ConfigProblem {
    std::string where;       // "oqs.timeout_seconds" or "line 12, column 5"
    std::string message;     // English, for logs and the CLI
    std::string message_ja;  // for the screen
};

struct ConfigLoad {
    KioskConfig config;  // meaningful only when problems is empty
    std::vector<ConfigProblem> problems;
    // Retired keys found in the file: read past and ignored (English, for the log and `onshi config check`).
    std::vector<std::string> notices;
    bool ok() const { return problems.empty(); }
};

// Limits checked before the TOML parser sees the text (a crash would restart the kiosk in a loop instead of
// showing the problem): the file's size, and how deep dotted keys, table headers and inline tables/arrays
// nest. A kiosk config needs 2 levels ([section] key).
constexpr std::size_t kMaxConfigBytes = 1024 * 1024;
constexpr std::size_t kMaxConfigNesting = 64;

// Reads and validates the file. A missing file is a problem too (the kiosk shows it), never a crash.
ConfigLoad load_config(const std::filesystem::path& file);
// The same from text (tests, the CLI's `onshi config check`).
ConfigLoad parse_config(const std::string& toml_text, const std::string& source_name = "config");

}  // namespace onshi::config
