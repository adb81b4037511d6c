#include "reader/mynumber/jpki.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/x509.h>

#include <ctime>

#include "reader/mynumber/apdu.hpp"
#include "reader/mynumber/crypto.hpp"
#include "reader/mynumber/tlv.hpp"

namespace onshi::reader {

std::string read_token_label(Transport& t) {
    select_df(t, kJpkiAid);
    select_ef(t, 0x0006);
    Bytes info = read_binary(t, 32);
    std::string label(info.begin(), info.end());
    while (!label.empty() && (label.back() == ' ' || label.back() == '\0')) label.pop_back();
    return label;
}

Bytes read_auth_certificate(Transport& t) {
    select_df(t, kJpkiAid);
    select_ef(t, 0x000A);
    Bytes der = read_tlv_file(t);
    if (der.size() < 4 || der[0] != 0x30) throw CardError("EF 000A does not hold a DER certificate");
    return der;
}

static std::string iso_time(const ASN1_TIME* t) {
    struct tm tm {};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

static std::string name_text(const X509_NAME* n) {
    BIO* b = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* p = nullptr;
    long len = BIO_get_mem_data(b, &p);
    std::string s(p, static_cast<std::size_t>(len));
    BIO_free(b);
    return s;
}

AuthCertificate parse_certificate(const Bytes& der) {
    const unsigned char* p = der.data();
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!x) throw CardError("the certificate is not valid DER X.509");
    AuthCertificate c;
    c.der = der;
    const ASN1_INTEGER* serial = X509_get0_serialNumber(x);
    BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
    char* hex = BN_bn2hex(bn);
    c.serial = hex;
    OPENSSL_free(hex);
    BN_free(bn);
    c.issuer = name_text(X509_get_issuer_name(x));
    c.subject = name_text(X509_get_subject_name(x));
    c.not_before = iso_time(X509_get0_notBefore(x));
    c.not_after = iso_time(X509_get0_notAfter(x));
    c.sha256 = to_hex(sha256(der));
    X509_free(x);
    return c;
}

}  // namespace onshi::reader
