#include "core/flow/passcode.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <optional>
#include <stdexcept>
#include <vector>

#include "core/rules/date.hpp"
#include "core/rules/wareki.hpp"

namespace onshi::flow {
namespace {

std::string to_hex(const unsigned char* p, size_t n) {
    static const char* d = "0123456789abcdef";
    std::string s;
    s.reserve(n * 2);
    for (size_t i = 0; i < n; ++i) {
        s += d[p[i] >> 4];
        s += d[p[i] & 15];
    }
    return s;
}

bool from_hex(const std::string& s, std::vector<unsigned char>& out) {
    if (s.size() % 2) return false;
    out.clear();
    auto nib = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (size_t i = 0; i < s.size(); i += 2) {
        int a = nib(s[i]), b = nib(s[i + 1]);
        if (a < 0 || b < 0) return false;
        out.push_back(static_cast<unsigned char>(a * 16 + b));
    }
    return true;
}

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

std::vector<unsigned char> derive(const std::string& digits, const std::vector<unsigned char>& salt,
                                  int64_t iterations) {
    std::vector<unsigned char> out(kHashBytes);
    if (iterations <= 0 || iterations > 100000000 ||
        PKCS5_PBKDF2_HMAC(digits.data(), int(digits.size()), salt.data(), int(salt.size()), int(iterations),
                          EVP_sha256(), int(out.size()), out.data()) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return out;
}

}  // namespace

namespace {

PasscodeCheck refuse(std::string ja, std::string en) { return {std::move(ja), std::move(en)}; }

// Digits and length only: what a try at the pad must look like (older passcodes stay usable).
PasscodeCheck format_check(const std::string& digits, const PasscodePolicy& p) {
    for (char c : digits)
        if (c < '0' || c > '9')
            return refuse("パスコードは数字だけで入力してください。", "the passcode must be digits only");
    if (digits.size() < p.min_digits || digits.size() > p.max_digits)
        return refuse(
            "パスコードは" + std::to_string(p.min_digits) + "〜" + std::to_string(p.max_digits) + "桁です。",
            "the passcode must be " + std::to_string(p.min_digits) + " to " + std::to_string(p.max_digits) + " digits");
    return {};
}

// Every digit one more (or one less) than the one before, 9 → 0 and 0 → 9 included.
bool is_run(const std::string& d, int step) {
    for (size_t i = 1; i < d.size(); ++i)
        if ((d[i - 1] - '0' + step + 10) % 10 != d[i] - '0') return false;
    return true;
}

bool contains_either(const std::string& digits, const std::string& form) {
    if (form.empty()) return false;
    return digits.find(form) != std::string::npos || form.find(digits) != std::string::npos;
}

}  // namespace

PasscodeCheck check_passcode(const std::string& digits, const PasscodePolicy& p, const PasscodeOwner& owner) {
    if (PasscodeCheck f = format_check(digits, p); !f.ok()) return f;
    if (digits.find_first_not_of(digits[0]) == std::string::npos)
        return refuse("同じ数字だけのパスコードは使えません。", "the passcode repeats one digit");
    if (is_run(digits, 1) || is_run(digits, -1))
        return refuse("123456 や 987654 のような連続した数字は使えません。",
                      "the passcode is a run of digits (like 123456 or 987654)");
    std::string id_digits;
    for (char c : owner.staff_id)
        if (c >= '0' && c <= '9') id_digits += c;
    if ((!owner.staff_id.empty() && digits == owner.staff_id) ||
        (id_digits.size() >= 4 && digits.find(id_digits) != std::string::npos))
        return refuse("職員IDを含むパスコードは使えません。", "the passcode contains the staff ID");
    if (auto birth = rules::Date::from_iso(owner.birth)) {
        const std::string ymd = birth->oqs();  // YYYYMMDD
        const std::string y4 = ymd.substr(0, 4), y2 = ymd.substr(2, 2), m = ymd.substr(4, 2), d = ymd.substr(6, 2);
        for (const std::string& form :
             {ymd, y2 + m + d, m + d + y4, d + m + y4, m + d + y2, d + m + y2, rules::wareki_yymmdd(*birth)})
            if (contains_either(digits, form))
                return refuse("生年月日を含むパスコードは使えません。", "the passcode contains the birth date");
    }
    return {};
}

std::string passcode_problem(const std::string& digits, const PasscodePolicy& p, const PasscodeOwner& owner) {
    return check_passcode(digits, p, owner).ja;
}

PasscodeHash hash_passcode(const std::string& digits, int64_t iterations) {
    std::vector<unsigned char> salt(kSaltBytes);
    if (RAND_bytes(salt.data(), int(salt.size())) != 1) throw std::runtime_error("no random bytes for a salt");
    auto h = derive(digits, salt, iterations);
    return {to_hex(salt.data(), salt.size()), to_hex(h.data(), h.size()), iterations};
}

bool passcode_matches(const std::string& digits, const std::string& salt_hex, const std::string& hash_hex,
                      int64_t iterations) {
    std::vector<unsigned char> salt, want;
    if (!from_hex(salt_hex, salt) || !from_hex(hash_hex, want) || want.size() != kHashBytes) return false;
    auto got = derive(digits, salt, iterations);
    return CRYPTO_memcmp(got.data(), want.data(), kHashBytes) == 0;
}

namespace {
const char* const kBusyJa = "患者原簿が使用中です。しばらくしてからもう一度お試しください。";

bool busy(const ledger::LedgerError& e) { return e.code == ledger::ErrorCode::Busy; }
}  // namespace

Passcode::Lockout Passcode::lockout_of(const ledger::StaffMember& m) const {
    auto it = pending_.find(m.id);
    return it != pending_.end() ? it->second : Lockout{m.failed_count, m.locked_until};
}

int64_t Passcode::locked_for_ms(const Lockout& l) const {
    if (l.locked_until.empty()) return 0;
    int64_t left = parse_local(l.locked_until) - clock_();
    return left > 0 ? left : 0;
}

bool Passcode::store_lockout(const std::string& staff_id, const Lockout& l) {
    try {
        store_.set_lockout(staff_id, l.failed_count, l.locked_until);
    } catch (const ledger::LedgerError& e) {
        if (!busy(e)) throw;
        pending_[staff_id] = l;  // counted all the same; written with the next write that goes through
        return false;
    }
    pending_.erase(staff_id);
    return true;
}

int64_t Passcode::locked_for_ms(const std::string& staff_id) const {
    std::optional<ledger::StaffMember> m;
    try {
        m = store_.staff(staff_id);
    } catch (const ledger::LedgerError& e) {
        if (!busy(e)) throw;
        auto it = pending_.find(staff_id);
        return it != pending_.end() ? locked_for_ms(it->second) : 0;
    }
    return m ? locked_for_ms(lockout_of(*m)) : 0;
}

AuthResult Passcode::verify(const std::string& staff_id, const std::string& digits) {
    AuthResult r;
    std::optional<ledger::StaffMember> m;
    try {
        m = store_.staff(staff_id);
    } catch (const ledger::LedgerError& e) {
        if (!busy(e)) throw;
        r.outcome = AuthOutcome::Busy;  // nothing was checked, so nothing to count
        r.message_ja = kBusyJa;
        return r;
    }
    if (!m) {
        r.outcome = AuthOutcome::UnknownStaff;
        r.message_ja = "この職員は登録されていません。";
        return r;
    }
    if (!m->active) {
        r.outcome = AuthOutcome::Inactive;
        r.message_ja = "この職員は利用停止中です。管理者に連絡してください。";
        return r;
    }
    if (m->hash.empty()) {
        r.outcome = AuthOutcome::NoPasscode;
        r.message_ja = "この職員はパスコードが未設定です。管理者に設定を依頼してください。";
        return r;
    }
    const int64_t now = clock_();
    const Lockout state = lockout_of(*m);
    if (int64_t left = locked_for_ms(state); left > 0) {
        r.outcome = AuthOutcome::Locked;
        r.locked_for_ms = left;
        r.message_ja = "パスコードを" + std::to_string(policy_.max_failures) + "回間違えたためロック中です。";
        return r;
    }
    // A lock that has run out starts a fresh count.
    int64_t failures = state.locked_until.empty() ? state.failed_count : 0;
    if (format_check(digits, policy_).ok() && passcode_matches(digits, m->salt, m->hash, m->iterations)) {
        // A busy ledger keeps the reset for later; the passcode was right, so it is accepted now.
        if (failures != 0 || !state.locked_until.empty()) store_lockout(staff_id, {});
        r.outcome = AuthOutcome::Accepted;
        return r;
    }
    ++failures;
    if (failures >= policy_.max_failures) {
        store_lockout(staff_id, {failures, format_local(now + policy_.lockout_ms)});  // held in memory if busy
        r.outcome = AuthOutcome::Locked;
        r.locked_for_ms = policy_.lockout_ms;
        r.message_ja = "パスコードを" + std::to_string(policy_.max_failures) + "回間違えたため" +
                       std::to_string(policy_.lockout_ms / 60000) + "分間ロックします。";
        return r;
    }
    const bool stored = store_lockout(staff_id, {failures, ""});
    r.failures_left = int(policy_.max_failures - failures);
    if (!stored) {
        r.outcome = AuthOutcome::Busy;
        r.message_ja = kBusyJa;
        return r;
    }
    r.outcome = AuthOutcome::Wrong;
    r.message_ja = "パスコードが違います。あと" + std::to_string(r.failures_left) + "回間違えるとロックされます。";
    return r;
}

void Passcode::change(const std::string& id, const std::string& digits, const std::string& by_staff_id,
                      const std::string& birth) {
    auto by = store_.staff(by_staff_id);
    if (!by || !by->active)
        throw PasscodeRefused("--by " + by_staff_id + " is not an active staff member",
                              "操作する職員が登録されていないか、利用停止中です。");
    if (auto target = store_.staff(id);
        target && locked_for_ms(lockout_of(*target)) > 0 && (by_staff_id == id || by->role != "admin"))
        throw PasscodeRefused("staff " + id +
                                  " is locked: only another active member with the role admin may reset "
                                  "the passcode",
                              "ロック中の職員のパスコードは、本人以外の管理者だけが再設定できます。");
    if (PasscodeCheck c = check_passcode(digits, policy_, {id, birth}); !c.ok()) throw PasscodeRefused(c.en, c.ja);
    PasscodeHash h = hash_passcode(digits, policy_.iterations);
    store_.set_staff_passcode(id, h.salt_hex, h.hash_hex, h.iterations, by_staff_id);
    pending_.erase(id);
}

void Passcode::add_staff(const std::string& id, const std::string& name, const std::string& role,
                         const std::string& digits, const std::string& by_staff_id, const std::string& birth) {
    if (PasscodeCheck c = check_passcode(digits, policy_, {id, birth}); !c.ok()) throw PasscodeRefused(c.en, c.ja);
    PasscodeHash h = hash_passcode(digits, policy_.iterations);
    ledger::StaffMember m;
    m.id = id;
    m.name = name;
    m.role = role;
    m.salt = h.salt_hex;
    m.hash = h.hash_hex;
    m.iterations = h.iterations;
    store_.add_staff(m, by_staff_id);
}

}  // namespace onshi::flow
