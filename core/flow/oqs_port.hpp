#pragma once
// OqsPort: the flow's OQS gateway on the real folders, and the way back. Every transport event becomes one
// flow input, posted as a closure into the owner's Mailbox (the kiosk's UI mailbox, run before each frame),
// so the flow only ever runs on its own thread. Until the folders exist (the OQS PC may boot after the
// kiosk) submit() says so plainly. Nothing thrown while turning an event into an input, or while the flow
// handles it, escapes: it is logged and the visit is told the query failed.
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/flow/inputs.hpp"
#include "core/oqs/gateway.hpp"
#include "core/util/mailbox.hpp"

namespace onshi::flow {

class OqsPort : public oqs::OqsGateway {
public:
    using Deliver = std::function<void(const Input&)>;   // runs on the mailbox's owner thread
    // `owner` must outlive the port; `deliver` is typically [&flow](const Input& in) { flow.handle(in); }.
    OqsPort(oqs::TransportOptions opt, std::string medical_institution_code, Mailbox& owner, Deliver deliver);

    bool started() const { return started_; }
    void start();   // throws oqs::OqsError when the folders cannot be watched
    void stop() { gateway_.transport().stop(); }
    std::string submit(const oqs::QualificationQuery& q) override;
    std::string submit(const oqs::CardQuery& q) override;

    // The flow input for a transport event; nullopt for what is no visit's business (a face result nobody
    // asked for). Never throws: an answer that cannot be stored becomes OqsFailed for its request.
    static std::optional<Input> to_input(const oqs::OqsEvent& e, std::chrono::milliseconds timeout) noexcept;
    // Hands `in` to `deliver`; when that throws, logs it and hands the visit an OqsFailed for the request.
    static void deliver_safely(const Deliver& deliver, const Input& in) noexcept;

private:
    void check() const;
    std::chrono::milliseconds timeout_;
    Mailbox& owner_;
    Deliver deliver_;
    oqs::FolderGateway gateway_;   // last: its worker posts into owner_ with deliver_
    std::atomic<bool> started_{false};
};

}  // namespace onshi::flow
