#pragma once
// OqsPort: the kiosk's end of the OQS folders (docs/oqs-terminal.md). Every face/ file the transport reports
// crosses to the owner's thread as a closure in its Mailbox (the kiosk's UI mailbox, run before each frame):
// first to `face_file` (the kiosk takes every face/ file in, exactly once, readable or not), then, for a
// readable face result, as flow::in::FaceResult to `deliver` (a waiting 目視確認 visit pairs it with its
// person). The visit sends nothing; submit() is the 単件照会 by insurance-card numbers, whose answers are no
// visit's business. Until the folders exist (the OQS PC may boot after the kiosk) submit() says so plainly.
// Nothing thrown while turning an event into an input, or while the owner handles it, escapes: it is logged.
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
    using Deliver = std::function<void(const Input&)>;              // runs on the mailbox's owner thread
    using FaceFile = std::function<void(const std::string& file)>;  // a face/ file name; owner thread
    // `owner` must outlive the port; `deliver` is typically [&flow](const Input& in) { flow.handle(in); }.
    OqsPort(oqs::TransportOptions opt, std::string medical_institution_code, Mailbox& owner, Deliver deliver,
            FaceFile face_file = {});

    bool started() const { return started_; }
    void start();  // throws oqs::OqsError when the folders cannot be watched
    void stop() { gateway_.transport().stop(); }
    std::string submit(const oqs::QualificationQuery& q) override;
    // Every event about a request (answers, failures, time-outs of 単件照会 and 一括照会), on the transport's
    // worker thread, before anything else sees it: set before start(). The kiosk fans them out to its
    // console's waiters (app/kiosk/host.cpp).
    void on_request_event(oqs::EventSink sink) { request_sink_ = std::move(sink); }
    // The folder transport itself (一括照会 writes its own messages through it); thread-safe.
    oqs::OqsFolderTransport& transport() { return gateway_.transport(); }

    // The flow input for a transport event: a FaceResult for a readable face result, nullopt for everything
    // else. Never throws.
    static std::optional<Input> to_input(const oqs::OqsEvent& e) noexcept;
    // The face/ file an event is about ("" when none): a face result, or a face file that could not be read.
    static std::string face_file_of(const oqs::OqsEvent& e);
    // Hands `in` to `deliver`; when that throws, logs it (the face file was taken in already).
    static void deliver_safely(const Deliver& deliver, const Input& in) noexcept;

private:
    void check() const;
    Mailbox& owner_;
    Deliver deliver_;
    FaceFile face_file_;
    oqs::EventSink request_sink_;
    oqs::FolderGateway gateway_;  // last: its worker posts into owner_ with deliver_
    std::atomic<bool> started_{false};
};

}  // namespace onshi::flow
