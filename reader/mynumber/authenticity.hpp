#pragma once
// Is the chip a genuine card? Two independent checks, reported as values for the UI:
//  - signature: the card face digests (DF28) verify with the AP key of EF 0004, whose CVC verifies with a
//    key in the trust store (J-LIS production keys are not public; tests trust the emulator's test CA);
//  - challenge: the card signs a fresh nonce with its own key (DF24), which the signature covers, so a
//    copy of the files on another chip fails.
#include <optional>
#include <string>
#include <vector>

#include "reader/mynumber/crypto.hpp"

namespace onshi::reader {

enum class Verdict { Genuine, ForgedSuspect, Unverified };
const char* to_string(Verdict v);

struct Authenticity {
    std::optional<bool> signature_ok;  // nullopt: not checked (no trust store, or the read stopped)
    std::optional<bool> challenge_ok;
    Verdict verdict = Verdict::Unverified;
    std::string detail;  // why, in English
};

// RSA public keys that may sign an AP certificate (CVC in EF 0004).
class TrustStore {
public:
    // PEM files with public keys or X.509 certificates; throws std::runtime_error when one cannot be read.
    static TrustStore from_pem_files(const std::vector<std::string>& paths);
    void add(Pkey key) { keys_.push_back(std::move(key)); }
    bool empty() const { return keys_.empty(); }
    const std::vector<Pkey>& keys() const { return keys_; }

private:
    std::vector<Pkey> keys_;
};

// EF 0004: 7F21 { 5F4E body, 5F37 sig } with body = 16B issuer key id | 16B subject key id | 90 e 91 n.
struct ApCertificate {
    Bytes body;
    Bytes signature;
    Pkey key;  // the AP key it certifies
};
std::optional<ApCertificate> parse_ap_certificate(std::span<const std::uint8_t> ef0004);
// DF24 / CVC key body "90 03 <e> 91 82 01 00 <n>" to an RSA key; null when malformed.
Pkey key_from_tlv(std::span<const std::uint8_t> body);

struct CardFace;
// The signature half; `ef0004` as read from the card.
std::optional<bool> check_face_signature(const CardFace& face, std::span<const std::uint8_t> ef0004,
                                         const TrustStore* trust, std::string& detail);
void settle_verdict(Authenticity& a);

}  // namespace onshi::reader
