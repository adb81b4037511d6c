#pragma once
// Staff passcodes: one per staff member so the audit says who confirmed a patient.
// PBKDF2-HMAC-SHA256 (OpenSSL), a random salt per member, constant-time comparison. Five failures lock
// the member for 30 minutes; the counter lives in the ledger DB, so a restart does not reset it.
#include <cstdint>
#include <string>

#include "core/flow/clock.hpp"
#include "core/ledger/ledger_store.hpp"

namespace onshi::flow {

struct PasscodePolicy {
    size_t min_digits = 6;
    size_t max_digits = 8;
    int64_t iterations = 600000;       // OWASP's 2023 floor for PBKDF2-HMAC-SHA256
    int max_failures = 5;
    int64_t lockout_ms = 30 * 60 * 1000;
};

// "" when the passcode is acceptable, else the reason in Japanese (for the screen).
std::string passcode_problem(const std::string& digits, const PasscodePolicy& policy);

struct PasscodeHash {
    std::string salt_hex, hash_hex;
    int64_t iterations = 0;
};
PasscodeHash hash_passcode(const std::string& digits, int64_t iterations);
// Recomputes with the stored salt and iterations; compares in constant time.
bool passcode_matches(const std::string& digits, const std::string& salt_hex, const std::string& hash_hex,
                      int64_t iterations);

enum class AuthOutcome { Accepted, Wrong, Locked, UnknownStaff, Inactive };

struct AuthResult {
    AuthOutcome outcome = AuthOutcome::Wrong;
    int failures_left = 0;      // after a wrong passcode
    int64_t locked_for_ms = 0;  // while locked: how long is left
    std::string message_ja;     // what the screen says
};

// Checks a staff member's passcode against the ledger and keeps the lockout state there.
class Passcode {
public:
    Passcode(ledger::LedgerStore& store, Clock clock, PasscodePolicy policy = {})
        : store_(store), clock_(std::move(clock)), policy_(policy) {}

    AuthResult verify(const std::string& staff_id, const std::string& digits);
    // Remaining lockout for a member (0 when not locked) — the pad shows the countdown before any try.
    int64_t locked_for_ms(const std::string& staff_id) const;

    // Adds a member with a hashed passcode (audited by the ledger as `by_staff_id`).
    void add_staff(const std::string& id, const std::string& name, const std::string& role,
                   const std::string& digits, const std::string& by_staff_id);
    // Sets a new passcode (and ends any lockout), audited as `by_staff_id`.
    void change(const std::string& id, const std::string& digits, const std::string& by_staff_id);
    const PasscodePolicy& policy() const { return policy_; }

private:
    ledger::LedgerStore& store_;
    Clock clock_;
    PasscodePolicy policy_;
};

}  // namespace onshi::flow
