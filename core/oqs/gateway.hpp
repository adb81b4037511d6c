#pragma once
// OqsGateway: a query by insurance-card numbers (単件照会, OQSsiquc01req), answered later as an OqsEvent
// (docs/oqs-terminal.md); the 目視確認 visit sends nothing, it waits for the reader's face/ result. Events are
// produced on the transport's worker thread and cross to the caller's thread through a Mailbox (the kiosk:
// core/flow/oqs_port.hpp; the CLI and tests: EventWaiter).
#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/oqs/transport.hpp"
#include "core/rules/date.hpp"
#include "core/util/mailbox.hpp"

namespace onshi::oqs {

// 資格確認 by insurance-card data (OQSsiquc01req).
struct QualificationQuery {
    std::string insurer_number;          // 6 or 8 digits; 6-digit 国保 is space-padded on the wire
    std::string symbol, number, branch;  // symbol and branch may be empty
    rules::Date birthdate;
    rules::Date confirmation_date;
    bool limit_application_consent = false;  // 限度額情報の提供同意
};

class OqsGateway {
public:
    virtual ~OqsGateway() = default;
    // Return the request name the events carry; throw OqsError when nothing could be sent.
    virtual std::string submit(const QualificationQuery& q) = 0;
};

Message make_request(const QualificationQuery& q, const std::string& medical_institution_code);

// For the CLI, the tests and the benchmarks: the transport's events taken on the calling thread. The sink
// posts each event into a Mailbox; wait() runs that mailbox on the caller's thread.
class EventWaiter {
public:
    EventSink sink();                                                 // hand this to the transport
    std::optional<OqsEvent> wait(std::chrono::milliseconds timeout);  // the next event, in order
private:
    Mailbox box_;
    std::deque<OqsEvent> ready_;  // touched on the waiting thread only
};

// The real gateway: the folder transport to the 資格確認端末 (or the simulator).
class FolderGateway : public OqsGateway {
public:
    FolderGateway(TransportOptions opt, std::string medical_institution_code, EventSink sink);
    std::string submit(const QualificationQuery& q) override;
    OqsFolderTransport& transport() { return transport_; }

private:
    std::string mic_;
    OqsFolderTransport transport_;
};

}  // namespace onshi::oqs
