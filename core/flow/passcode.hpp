#pragma once
// Staff passcodes: one per staff member so the audit says who confirmed a patient.
// PBKDF2-HMAC-SHA256 (OpenSSL), a random salt per member, constant-time comparison. Five failures lock
// the member for 30 minutes; the counter lives in the ledger DB, so a restart does not reset it.
// The rules are in docs/security.md, "Staff passcodes".
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "core/flow/clock.hpp"
#include "core/ledger/ledger_store.hpp"

namespace onshi::flow {

struct PasscodePolicy {
    size_t min_digits = 6;
    size_t max_digits = 8;
    int64_t iterations = 600000;  // OWASP's 2023 floor for PBKDF2-HMAC-SHA256
    int max_failures = 5;
    int64_t lockout_ms = 30 * 60 * 1000;
};

// Whose passcode it is, for the checks against trivially guessable passcodes.
struct PasscodeOwner {
    std::string staff_id;
    std::string birth;  // YYYY-MM-DD when known, else ""
};

struct PasscodeCheck {
    std::string ja;  // the reason for the screen, "" when acceptable
    std::string en;  // the same for the CLI and logs
    bool ok() const { return ja.empty(); }
};

// Digits only, policy length, and not trivially weak: all digits equal, an ascending or descending run
// (123456, 987654, 890123), the staff ID, or the birth date in any usual form (西暦 or 和暦).
PasscodeCheck check_passcode(const std::string& digits, const PasscodePolicy& policy, const PasscodeOwner& owner = {});
// "" when the passcode is acceptable, else the reason in Japanese (for the screen).
std::string passcode_problem(const std::string& digits, const PasscodePolicy& policy, const PasscodeOwner& owner = {});

// Thrown when a passcode or a change of passcode is refused: what() in English, message_ja for the screen.
struct PasscodeRefused : std::invalid_argument {
    PasscodeRefused(const std::string& en, std::string ja) : std::invalid_argument(en), message_ja(std::move(ja)) {}
    std::string message_ja;
};

struct PasscodeHash {
    std::string salt_hex, hash_hex;
    int64_t iterations = 0;
};
PasscodeHash hash_passcode(const std::string& digits, int64_t iterations);
// Recomputes with the stored salt and iterations; compares in constant time.
bool passcode_matches(const std::string& digits, const std::string& salt_hex, const std::string& hash_hex,
                      int64_t iterations);

// Busy: the ledger stayed locked by another writer past its busy timeout. A wrong passcode is still
// counted (kept in memory and written with the next write that goes through).
// NoPasscode: the member has none yet; nothing is counted (no lockout from tries that could never succeed).
enum class AuthOutcome { Accepted, Wrong, Locked, UnknownStaff, Inactive, Busy, NoPasscode };

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

    // Never throws for a busy ledger: AuthOutcome::Busy, and a wrong try is counted all the same.
    AuthResult verify(const std::string& staff_id, const std::string& digits);
    // Remaining lockout for a member (0 when not locked) — the pad shows the countdown before any try.
    int64_t locked_for_ms(const std::string& staff_id) const;

    // Adds a member with a hashed passcode (audited by the ledger as `by_staff_id`). PasscodeRefused for a
    // passcode check_passcode refuses (`birth`, when known, is checked against and not stored).
    void add_staff(const std::string& id, const std::string& name, const std::string& role, const std::string& digits,
                   const std::string& by_staff_id, const std::string& birth = "");
    // Sets a new passcode (and ends any lockout), audited as `by_staff_id`, who must be an active member;
    // a locked member's passcode is reset only by another active member with the role "admin".
    void change(const std::string& id, const std::string& digits, const std::string& by_staff_id,
                const std::string& birth = "");
    const PasscodePolicy& policy() const { return policy_; }

private:
    struct Lockout {
        int64_t failed_count = 0;
        std::string locked_until;
    };
    // The member's lockout state: the one not yet written when there is one, else the stored one.
    Lockout lockout_of(const ledger::StaffMember& m) const;
    int64_t locked_for_ms(const Lockout& l) const;
    // Writes the state; when the ledger is busy keeps it in pending_ and returns false.
    bool store_lockout(const std::string& staff_id, const Lockout& l);

    ledger::LedgerStore& store_;
    Clock clock_;
    PasscodePolicy policy_;
    std::map<std::string, Lockout> pending_;  // states a busy ledger did not take yet
};

}  // namespace onshi::flow
