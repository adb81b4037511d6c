#pragma once
// The little RSA/SHA-256 the card uses, on OpenSSL 3: shared by the reader and the emulator.
#include <openssl/evp.h>

#include <memory>
#include <span>
#include <string>

#include "reader/pcsc/pcsc.hpp"

namespace onshi::reader {

struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Bytes sha256(std::span<const std::uint8_t> data);
// DER DigestInfo { sha256, OCTET STRING digest } around any digest length (the card face uses 96 bytes).
Bytes digest_info_sha256(std::span<const std::uint8_t> digest);

Pkey rsa_public_key(std::span<const std::uint8_t> modulus, std::span<const std::uint8_t> exponent);
Bytes rsa_modulus(EVP_PKEY* key);  // big-endian, no leading zero
Pkey rsa_generate(int bits = 2048);

// PKCS#1 v1.5 over `message` exactly as given (the card's "sign as given", P1=00); empty on failure.
Bytes rsa_sign_raw(EVP_PKEY* key, std::span<const std::uint8_t> message);
bool rsa_verify_raw(EVP_PKEY* key, std::span<const std::uint8_t> message, std::span<const std::uint8_t> sig);

Pkey load_private_pem(const std::string& pem);
std::string private_pem(EVP_PKEY* key);
std::string public_pem(EVP_PKEY* key);
Bytes random_bytes(std::size_t n);

}  // namespace onshi::reader
