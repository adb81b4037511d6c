#pragma once
// The emulator's test PKI, generated once and kept in a state folder so trust stores stay valid across runs:
//   jpki_ca.key.pem / jpki_ca.cert.pem  test JPKI CA (O=JPKI-TEST) issuing the 利用者証明用 certificates
//   face_ca.key.pem / face_ca.pub.pem   test CA key that signs the AP certificates (EF 0004): the trust store
//   ap.key.pem                          the 券面AP key that signs card faces
//   <profile>.auth.key.pem/.cert.der, <profile>.sign.*, <profile>.card.key.pem   per card
#include <filesystem>
#include <string>

#include "reader/mynumber/crypto.hpp"

namespace onshi::emulator {

struct CardKeys {
    reader::Pkey jpki_ca, face_ca, ap, auth, sign, card;
    reader::Bytes auth_cert, sign_cert, jpki_ca_cert;  // DER
};

// Loads or creates everything for `profile_id`; throws std::runtime_error on I/O failure.
// `auth_serial_hex` fixes the serial of the 利用者証明用 certificate ("" = random).
CardKeys load_or_create_keys(const std::filesystem::path& dir, const std::string& profile_id,
                             const std::string& subject_cn, const std::string& auth_serial_hex = "");

}  // namespace onshi::emulator
