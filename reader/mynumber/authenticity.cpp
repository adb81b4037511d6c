#include "reader/mynumber/authenticity.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>

#include "core/util/files.hpp"
#include "reader/mynumber/card_face.hpp"
#include "reader/mynumber/tlv.hpp"

namespace onshi::reader {

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::Genuine: return "genuine";
        case Verdict::ForgedSuspect: return "forged_suspect";
        case Verdict::Unverified: return "unverified";
    }
    return "?";
}

TrustStore TrustStore::from_pem_files(const std::vector<std::string>& paths) {
    TrustStore s;
    for (const auto& p : paths) {
        auto text = files::read(p);
        if (!text) throw std::runtime_error("cannot read trust store file " + p);
        BIO* b = BIO_new_mem_buf(text->data(), static_cast<int>(text->size()));
        std::size_t before = s.keys_.size();
        // Public keys and certificates may be mixed, one after the other.
        while (true) {
            EVP_PKEY* k = nullptr;
            X509* x = nullptr;
            char* name = nullptr;
            char* header = nullptr;
            unsigned char* data = nullptr;
            long len = 0;
            if (!PEM_read_bio(b, &name, &header, &data, &len)) break;
            const unsigned char* q = data;
            std::string n = name;
            if (n == "PUBLIC KEY")
                k = d2i_PUBKEY(nullptr, &q, len);
            else if (n == "CERTIFICATE" && (x = d2i_X509(nullptr, &q, len)))
                k = X509_get_pubkey(x);
            X509_free(x);
            OPENSSL_free(name);
            OPENSSL_free(header);
            OPENSSL_free(data);
            if (k) s.keys_.emplace_back(k);
        }
        BIO_free(b);
        if (s.keys_.size() == before) throw std::runtime_error("no public key in trust store file " + p);
    }
    return s;
}

Pkey key_from_tlv(std::span<const std::uint8_t> body) {
    try {
        auto l = parse_tlv_list(body);
        auto* e = find_tag(l, 0x90);
        auto* n = find_tag(l, 0x91);
        if (!e || !n || n->value.size() < 64) return nullptr;
        return rsa_public_key(n->value, e->value);
    } catch (const TlvError&) {
        return nullptr;
    }
}

std::optional<ApCertificate> parse_ap_certificate(std::span<const std::uint8_t> ef0004) {
    try {
        Tlv outer = parse_tlv(ef0004);
        if (outer.tag != 0x7F21) return std::nullopt;
        auto l = parse_tlv_list(outer.value);
        auto* body = find_tag(l, 0x5F4E);
        auto* sig = find_tag(l, 0x5F37);
        if (!body || !sig || body->value.size() <= 32) return std::nullopt;
        ApCertificate c;
        c.body.assign(body->value.begin(), body->value.end());
        c.signature.assign(sig->value.begin(), sig->value.end());
        c.key = key_from_tlv(body->value.subspan(32));
        if (!c.key) return std::nullopt;
        return c;
    } catch (const TlvError&) {
        return std::nullopt;
    }
}

std::optional<bool> check_face_signature(const CardFace& face, std::span<const std::uint8_t> ef0004,
                                         const TrustStore* trust, std::string& detail) {
    auto cert = parse_ap_certificate(ef0004);
    if (!cert) {
        detail += "the AP certificate (EF 0004) is malformed; ";
        return false;
    }
    // Convention shared with the emulator's test CA: PKCS#1 v1.5 SHA-256 over the 5F4E body [inferred; J-LIS's
    // own CVC format is not public].
    if (!trust || trust->empty()) {
        detail += "no trust store configured: the card face signature was not checked; ";
        return std::nullopt;
    }
    Bytes body_di = digest_info_sha256(sha256(cert->body));
    bool chained = false;
    for (const auto& k : trust->keys()) chained = chained || rsa_verify_raw(k.get(), body_di, cert->signature);
    if (!chained) {
        detail += "the AP certificate is not signed by a trusted key; ";
        return false;
    }
    Bytes di = digest_info_sha256(face.signed_digests);
    if (!rsa_verify_raw(cert->key.get(), di, face.signature)) {
        detail += "the card face data do not match their signature (photo or data altered); ";
        return false;
    }
    return true;
}

void settle_verdict(Authenticity& a) {
    if (a.signature_ok == false || a.challenge_ok == false)
        a.verdict = Verdict::ForgedSuspect;
    else if (a.signature_ok == true && a.challenge_ok == true)
        a.verdict = Verdict::Genuine;
    else
        a.verdict = Verdict::Unverified;
    if (a.verdict == Verdict::Genuine) a.detail = "signature and challenge verified";
    while (!a.detail.empty() && (a.detail.back() == ' ' || a.detail.back() == ';')) a.detail.pop_back();
}

}  // namespace onshi::reader
