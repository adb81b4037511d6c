#include "core/flow/oqs_port.hpp"

#include <exception>

#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"
#include "core/util/log.hpp"

namespace onshi::flow {

using oqs::OqsEvent;

OqsPort::OqsPort(oqs::TransportOptions opt, std::string mic, Mailbox& owner, Deliver deliver)
    : timeout_(opt.timeout),
      owner_(owner),
      deliver_(std::move(deliver)),
      gateway_(std::move(opt), std::move(mic), [this](const OqsEvent& e) {
          // On the transport's worker: translate here, hand over to the owner's thread.
          if (auto in = to_input(e, timeout_))
              owner_.post([d = deliver_, in = std::move(*in)] { deliver_safely(d, in); });
      }) {}

void OqsPort::start() {
    gateway_.transport().start();
    started_ = true;
}

void OqsPort::check() const {
    if (!started_) throw oqs::OqsError(oqs::ErrorKind::Io, "the OQS folder (req/ res/ face/) is not available yet");
}

std::string OqsPort::submit(const oqs::QualificationQuery& q) {
    check();
    return gateway_.submit(q);
}

std::string OqsPort::submit(const oqs::CardQuery& q) {
    check();
    return gateway_.submit(q);
}

std::optional<Input> OqsPort::to_input(const OqsEvent& e, std::chrono::milliseconds timeout) noexcept {
    using T = OqsEvent::Type;
    try {
        switch (e.type) {
            case T::Answer:
                if (!e.result) return std::nullopt;   // bulk and registration answers are not a visit's
                // Stored with the check: the answer re-serialised as UTF-8 (the model keeps unknown elements).
                return in::OqsAnswer{e.request, *e.result,
                                           e.message ? oqs::serialize(*e.message, oqs::Encoding::Utf8) : std::string()};
            case T::Failed: return in::OqsFailed{e.request, e.error, false};
            case T::TimedOut:
                return in::OqsFailed{e.request, "no answer within " + std::to_string(timeout.count() / 1000) + " s",
                                           true};
            case T::FaceResult: return std::nullopt;
        }
    } catch (const std::exception& ex) {
        std::string why = "the answer " + e.file + " to " + e.request + " cannot be stored: " + ex.what();
        log::error("oqs", why);
        try {
            return in::OqsFailed{e.request, why, false};
        } catch (...) {
        }
    } catch (...) {
    }
    return std::nullopt;
}

void OqsPort::deliver_safely(const Deliver& deliver, const Input& in) noexcept {
    const auto* answer = std::get_if<in::OqsAnswer>(&in);
    const std::string what = answer ? "the answer to " + answer->request : std::string("an OQS failure");
    try {
        deliver(in);
        return;
    } catch (const std::exception& ex) {
        log::error("oqs", "the visit could not take " + what + ": " + ex.what());
    } catch (...) {
        log::error("oqs", "the visit could not take " + what);
    }
    if (!answer) return;   // a failure that cannot be shown is only logged
    try {
        deliver(in::OqsFailed{answer->request, what + " could not be handled", false});
    } catch (const std::exception& ex) {
        log::error("oqs", std::string("the visit could not take the failure either: ") + ex.what());
    } catch (...) {
        log::error("oqs", "the visit could not take the failure either");
    }
}

}  // namespace onshi::flow
