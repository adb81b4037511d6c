#include "core/oqs/gateway.hpp"

#include <cstring>

#include "core/rules/numbers.hpp"

namespace onshi::oqs {
namespace {

Text flag(const std::optional<bool>& b) {
    if (!b) return std::nullopt;
    return std::string(*b ? "1" : "0");
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string base64_encode(std::string_view in) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    for (size_t i = 0; i < in.size(); i += 3) {
        uint32_t v = uint32_t(uint8_t(in[i])) << 16;
        if (i + 1 < in.size()) v |= uint32_t(uint8_t(in[i + 1])) << 8;
        if (i + 2 < in.size()) v |= uint8_t(in[i + 2]);
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        out += i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=';
        out += i + 2 < in.size() ? kB64[v & 63] : '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    size_t pad = 0;
    for (char c : in) {
        if (c == '\n' || c == '\r' || c == ' ') continue;
        if (c == '=') {
            ++pad;
            continue;
        }
        if (pad) return std::nullopt;
        const char* p = std::strchr(kB64, c);
        if (!p || !c) return std::nullopt;
        acc = (acc << 6) | uint32_t(p - kB64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((acc >> bits) & 0xFF);
        }
    }
    if (pad > 2) return std::nullopt;
    return out;
}

Message make_request(const QualificationQuery& q, const std::string& mic) {
    if (!q.birthdate.valid() || !q.confirmation_date.valid())
        throw OqsError(ErrorKind::Usage, "the query needs a valid birthdate and confirmation date");
    if (q.number.empty()) throw OqsError(ErrorKind::Usage, "the query needs the 被保険者番号");
    std::string insurer = rules::insurer_for_oqs(q.insurer_number);
    if (insurer.size() != 8) throw OqsError(ErrorKind::Usage, "保険者番号 " + q.insurer_number + " is not 6 or 8 digits");
    if (!q.branch.empty() && (q.branch.size() != 2 || q.branch.find_first_not_of("0123456789") != std::string::npos))
        throw OqsError(ErrorKind::Usage, "枝番 must be 2 digits");
    if (q.symbol.size() > 60 || q.number.size() > 60) throw OqsError(ErrorKind::Usage, "記号 or 番号 too long");
    Message m;
    m.kind = MessageKind::Siquc01Req;
    m.header.qualification_confirmation_date = q.confirmation_date.oqs();
    m.header.medical_institution_code = mic;
    SearchInfo s;
    s.insurer_number = insurer;
    if (!q.symbol.empty()) s.insured_card_symbol = q.symbol;
    s.insured_identification_number = q.number;
    if (!q.branch.empty()) s.insured_branch_number = q.branch;
    s.birthdate = q.birthdate.oqs();
    s.limit_application_certificate_related_cons_flg = q.limit_application_consent ? "1" : "0";
    m.body.search.push_back(s);
    return m;
}

Message make_request(const CardQuery& q, const std::string& mic) {
    if (q.certificate_der.empty()) throw OqsError(ErrorKind::Usage, "the card query needs the certificate");
    if (!q.confirmation_date.valid()) throw OqsError(ErrorKind::Usage, "the card query needs a valid date");
    Message m;
    m.kind = MessageKind::Cardq01Req;
    m.header.qualification_confirmation_date = q.confirmation_date.oqs();
    m.header.medical_institution_code = mic;
    CardQueryInfo c;
    c.certificate = base64_encode(q.certificate_der);
    c.confirmation_method = std::to_string(int(q.method));
    c.medical_treatment_flag = "1";
    c.limit_application_cons_flg = flag(q.consents.limit_application);
    c.specific_diseases_cons_flg = flag(q.consents.specific_diseases);
    c.specific_health_checkups_cons_flg = flag(q.consents.specific_health_checkups);
    c.pharmacists_cons_flg = flag(q.consents.pharmacists);
    c.diagnosis_cons_flg = flag(q.consents.diagnosis);
    c.operation_cons_flg = flag(q.consents.operation);
    m.body.card = c;
    return m;
}

EventSink EventWaiter::sink() {
    return [this](const OqsEvent& e) { box_.post([this, e] { ready_.push_back(e); }); };
}

std::optional<OqsEvent> EventWaiter::wait(std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    if (ready_.empty()) box_.run_pending();   // what has arrived already, even with a zero timeout
    while (ready_.empty()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        box_.run_for(left);
    }
    OqsEvent e = std::move(ready_.front());
    ready_.pop_front();
    return e;
}

FolderGateway::FolderGateway(TransportOptions opt, std::string mic, EventSink sink)
    : mic_(std::move(mic)), transport_(std::move(opt), std::move(sink)) {}

std::string FolderGateway::submit(const QualificationQuery& q) { return transport_.submit(make_request(q, mic_)); }
std::string FolderGateway::submit(const CardQuery& q) { return transport_.submit(make_request(q, mic_)); }

}  // namespace onshi::oqs
