#include "reader/emulator/keys.hpp"

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <functional>
#include <stdexcept>

#include "core/util/files.hpp"

namespace onshi::emulator {

using reader::Bytes;
using reader::Pkey;

namespace {
Pkey key_file(const std::filesystem::path& p) {
    if (auto pem = files::read(p)) {
        if (auto k = reader::load_private_pem(*pem)) return k;
        throw std::runtime_error("unreadable key " + p.string());
    }
    Pkey k = reader::rsa_generate(2048);
    if (!k) throw std::runtime_error("RSA key generation failed");
    files::write_atomic(p, reader::private_pem(k.get()), 0600);
    return k;
}

X509_NAME* dn(const std::vector<std::pair<const char*, std::string>>& parts) {
    X509_NAME* n = X509_NAME_new();
    for (auto& [k, v] : parts)
        X509_NAME_add_entry_by_txt(n, k, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(v.c_str()), -1, -1, 0);
    return n;
}

Bytes make_cert(EVP_PKEY* subject_key, X509_NAME* subject, EVP_PKEY* issuer_key, X509_NAME* issuer, int days, bool ca,
                const std::string& serial_hex = "") {
    X509* x = X509_new();
    X509_set_version(x, 2);
    unsigned char serial[8];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7F;
    BIGNUM* bn = nullptr;
    if (serial_hex.empty() || !BN_hex2bn(&bn, serial_hex.c_str())) bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(x), -86400);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * days);
    X509_set_subject_name(x, subject);
    X509_set_issuer_name(x, issuer);
    X509_set_pubkey(x, subject_key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    const char* bc = ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
    const char* ku = ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature";
    for (auto [nid, val] : {std::pair{NID_basic_constraints, bc}, std::pair{NID_key_usage, ku}}) {
        X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, val);
        X509_add_ext(x, e, -1);
        X509_EXTENSION_free(e);
    }
    X509_sign(x, issuer_key, EVP_sha256());
    int len = i2d_X509(x, nullptr);
    Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_X509(x, &p);
    X509_free(x);
    return der;
}

Bytes cert_file(const std::filesystem::path& p, const std::function<Bytes()>& make) {
    if (auto d = files::read(p)) return Bytes(d->begin(), d->end());
    Bytes der = make();
    files::write_atomic(p, std::string(der.begin(), der.end()));
    return der;
}
}  // namespace

CardKeys load_or_create_keys(const std::filesystem::path& dir, const std::string& id, const std::string& cn,
                             const std::string& auth_serial_hex) {
    std::filesystem::create_directories(dir);
    CardKeys k;
    k.jpki_ca = key_file(dir / "jpki_ca.key.pem");
    k.face_ca = key_file(dir / "face_ca.key.pem");
    k.ap = key_file(dir / "ap.key.pem");
    k.auth = key_file(dir / (id + ".auth.key.pem"));
    k.sign = key_file(dir / (id + ".sign.key.pem"));
    k.card = key_file(dir / (id + ".card.key.pem"));
    if (!std::filesystem::exists(dir / "face_ca.pub.pem"))
        files::write_atomic(dir / "face_ca.pub.pem", reader::public_pem(k.face_ca.get()));

    auto ca_name = [](const char* ou) {
        return dn({{"C", "JP"},
                   {"O", "JPKI-TEST"},
                   {"OU", ou},
                   {"OU", "Japan Agency for Local Authority Information Systems"}});
    };
    X509_NAME* auth_ca = ca_name("JPKI for user authentication");
    k.jpki_ca_cert = cert_file(dir / "jpki_ca.cert.der", [&] {
        return make_cert(k.jpki_ca.get(), auth_ca, k.jpki_ca.get(), auth_ca, 3650, true);
    });
    if (!std::filesystem::exists(dir / "jpki_ca.cert.pem")) {
        const unsigned char* q = k.jpki_ca_cert.data();
        X509* x = d2i_X509(nullptr, &q, static_cast<long>(k.jpki_ca_cert.size()));
        BIO* b = BIO_new(BIO_s_mem());
        PEM_write_bio_X509(b, x);
        char* data = nullptr;
        long n = BIO_get_mem_data(b, &data);
        files::write_atomic(dir / "jpki_ca.cert.pem", std::string(data, static_cast<std::size_t>(n)));
        BIO_free(b);
        X509_free(x);
    }
    // The real 利用者証明用 certificate carries no 基本4情報; the test CN is a card serial, not the name.
    X509_NAME* auth_subject = dn({{"C", "JP"}, {"CN", "TEST-AUTH-" + cn}});
    k.auth_cert = cert_file(dir / (id + ".auth.cert.der"), [&] {
        return make_cert(k.auth.get(), auth_subject, k.jpki_ca.get(), auth_ca, 1825, false, auth_serial_hex);
    });
    X509_NAME* sign_subject = dn({{"C", "JP"}, {"CN", "TEST-SIGN-" + cn}});
    k.sign_cert = cert_file(dir / (id + ".sign.cert.der"), [&] {
        return make_cert(k.sign.get(), sign_subject, k.jpki_ca.get(), auth_ca, 1825, false);
    });
    X509_NAME_free(auth_ca);
    X509_NAME_free(auth_subject);
    X509_NAME_free(sign_subject);
    return k;
}

}  // namespace onshi::emulator
