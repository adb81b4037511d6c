#include "core/oqs/gateway.hpp"

#include "core/rules/numbers.hpp"

namespace onshi::oqs {
Message make_request(const QualificationQuery& q, const std::string& mic) {
    if (!q.birthdate.valid() || !q.confirmation_date.valid())
        throw OqsError(ErrorKind::Usage, "the query needs a valid birthdate and confirmation date");
    if (q.number.empty()) throw OqsError(ErrorKind::Usage, "the query needs the 被保険者番号");
    std::string insurer = rules::insurer_for_oqs(q.insurer_number);
    if (insurer.size() != 8)
        throw OqsError(ErrorKind::Usage, "保険者番号 " + q.insurer_number + " is not 6 or 8 digits");
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

EventSink EventWaiter::sink() {
    return [this](const OqsEvent& e) { box_.post([this, e] { ready_.push_back(e); }); };
}

std::optional<OqsEvent> EventWaiter::wait(std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    if (ready_.empty()) box_.run_pending();  // what has arrived already, even with a zero timeout
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

}  // namespace onshi::oqs
