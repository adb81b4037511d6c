#include "core/flow/passcode.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

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

std::vector<unsigned char> derive(const std::string& digits, const std::vector<unsigned char>& salt, int64_t iterations) {
    std::vector<unsigned char> out(kHashBytes);
    if (iterations <= 0 || iterations > 100000000 ||
        PKCS5_PBKDF2_HMAC(digits.data(), int(digits.size()), salt.data(), int(salt.size()), int(iterations),
                          EVP_sha256(), int(out.size()), out.data()) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return out;
}

}  // namespace

std::string passcode_problem(const std::string& digits, const PasscodePolicy& p) {
    for (char c : digits)
        if (c < '0' || c > '9') return "パスコードは数字だけで入力してください。";
    if (digits.size() < p.min_digits || digits.size() > p.max_digits)
        return "パスコードは" + std::to_string(p.min_digits) + "〜" + std::to_string(p.max_digits) + "桁です。";
    return "";
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

int64_t Passcode::locked_for_ms(const std::string& staff_id) const {
    auto m = store_.staff(staff_id);
    if (!m || m->locked_until.empty()) return 0;
    int64_t until = parse_local(m->locked_until);
    int64_t left = until - clock_();
    return left > 0 ? left : 0;
}

AuthResult Passcode::verify(const std::string& staff_id, const std::string& digits) {
    AuthResult r;
    auto m = store_.staff(staff_id);
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
    const int64_t now = clock_();
    if (int64_t left = locked_for_ms(staff_id); left > 0) {
        r.outcome = AuthOutcome::Locked;
        r.locked_for_ms = left;
        r.message_ja = "パスコードを" + std::to_string(policy_.max_failures) + "回間違えたためロック中です。";
        return r;
    }
    // A lock that has run out starts a fresh count.
    int64_t failures = m->locked_until.empty() ? m->failed_count : 0;
    if (passcode_problem(digits, policy_).empty() && passcode_matches(digits, m->salt, m->hash, m->iterations)) {
        if (failures != 0 || !m->locked_until.empty()) store_.set_lockout(staff_id, 0, "");
        r.outcome = AuthOutcome::Accepted;
        return r;
    }
    ++failures;
    if (failures >= policy_.max_failures) {
        store_.set_lockout(staff_id, failures, format_local(now + policy_.lockout_ms));
        r.outcome = AuthOutcome::Locked;
        r.locked_for_ms = policy_.lockout_ms;
        r.message_ja = "パスコードを" + std::to_string(policy_.max_failures) + "回間違えたため" +
                       std::to_string(policy_.lockout_ms / 60000) + "分間ロックします。";
        return r;
    }
    store_.set_lockout(staff_id, failures, "");
    r.outcome = AuthOutcome::Wrong;
    r.failures_left = int(policy_.max_failures - failures);
    r.message_ja = "パスコードが違います。あと" + std::to_string(r.failures_left) + "回間違えるとロックされます。";
    return r;
}

void Passcode::change(const std::string& id, const std::string& digits, const std::string& by_staff_id) {
    if (auto why = passcode_problem(digits, policy_); !why.empty()) throw std::invalid_argument(why);
    PasscodeHash h = hash_passcode(digits, policy_.iterations);
    store_.set_staff_passcode(id, h.salt_hex, h.hash_hex, h.iterations, by_staff_id);
}

void Passcode::add_staff(const std::string& id, const std::string& name, const std::string& role,
                         const std::string& digits, const std::string& by_staff_id) {
    if (auto why = passcode_problem(digits, policy_); !why.empty()) throw std::invalid_argument(why);
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
