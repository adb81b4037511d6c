#include "reader/mynumber/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

namespace onshi::reader {

Bytes sha256(std::span<const std::uint8_t> data) {
    Bytes out(32);
    unsigned len = 32;
    EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
    return out;
}

Bytes digest_info_sha256(std::span<const std::uint8_t> digest) {
    // SEQUENCE { SEQUENCE { OID 2.16.840.1.101.3.4.2.1, NULL }, OCTET STRING }; short lengths suffice (<= 96).
    return join({0x30, static_cast<std::uint8_t>(0x11 + digest.size()), 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, static_cast<std::uint8_t>(digest.size())},
                digest);
}

Pkey rsa_public_key(std::span<const std::uint8_t> modulus, std::span<const std::uint8_t> exponent) {
    BIGNUM* n = BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr);
    BIGNUM* e = BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr);
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY* key = nullptr;
    if (ctx && params && EVP_PKEY_fromdata_init(ctx) > 0) EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return Pkey(key);
}

Bytes rsa_modulus(EVP_PKEY* key) {
    BIGNUM* n = nullptr;
    if (!key || !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n)) return {};
    Bytes out(static_cast<std::size_t>(BN_num_bytes(n)));
    BN_bn2bin(n, out.data());
    BN_free(n);
    return out;
}

Pkey rsa_generate(int bits) { return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits))); }

Bytes rsa_sign_raw(EVP_PKEY* key, std::span<const std::uint8_t> message) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    Bytes sig;
    std::size_t len = 0;
    if (ctx && EVP_PKEY_sign_init(ctx) > 0 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
        EVP_PKEY_sign(ctx, nullptr, &len, message.data(), message.size()) > 0) {
        sig.resize(len);
        if (EVP_PKEY_sign(ctx, sig.data(), &len, message.data(), message.size()) > 0)
            sig.resize(len);
        else
            sig.clear();
    }
    EVP_PKEY_CTX_free(ctx);
    return sig;
}

bool rsa_verify_raw(EVP_PKEY* key, std::span<const std::uint8_t> message, std::span<const std::uint8_t> sig) {
    if (!key) return false;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    bool ok = ctx && EVP_PKEY_verify_init(ctx) > 0 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
              EVP_PKEY_verify(ctx, sig.data(), sig.size(), message.data(), message.size()) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

Pkey load_private_pem(const std::string& pem) {
    BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* k = PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
    BIO_free(b);
    return Pkey(k);
}

static std::string drain(BIO* b) {
    char* p = nullptr;
    long n = BIO_get_mem_data(b, &p);
    std::string s(p, static_cast<std::size_t>(n));
    BIO_free(b);
    return s;
}

std::string private_pem(EVP_PKEY* key) {
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
    return drain(b);
}

std::string public_pem(EVP_PKEY* key) {
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(b, key);
    return drain(b);
}

Bytes random_bytes(std::size_t n) {
    Bytes out(n);
    RAND_bytes(out.data(), static_cast<int>(n));
    return out;
}

}  // namespace onshi::reader
