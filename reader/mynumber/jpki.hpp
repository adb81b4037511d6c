#pragma once
// 公的個人認証AP (JPKI-AP): token label (EF 0006) and the 利用者証明用 certificate (EF 000A), both without PIN.
#include <string>

#include "reader/pcsc/pcsc.hpp"

namespace onshi::reader {

struct AuthCertificate {
    Bytes der;
    std::string serial;  // hex, as tools print it
    std::string issuer;  // RFC 2253
    std::string subject;
    std::string not_before;  // ISO 8601 UTC "2024-01-01T00:00:00Z"
    std::string not_after;
    std::string sha256;  // hex of the DER
};

// Selects the JPKI-AP and returns the label of EF 0006 without padding ("JPKIAPICCTOKEN2" on a My Number card).
std::string read_token_label(Transport& t);
// Selects the JPKI-AP and reads EF 000A (size from its 30 82 LL LL header).
Bytes read_auth_certificate(Transport& t);
// Parses with OpenSSL; throws CardError when the bytes are not one DER certificate.
AuthCertificate parse_certificate(const Bytes& der);

}  // namespace onshi::reader
