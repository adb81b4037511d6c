#include "core/flow/oqs_port.hpp"

#include <exception>

#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"
#include "core/util/log.hpp"

namespace onshi::flow {

using oqs::OqsEvent;

OqsPort::OqsPort(oqs::TransportOptions opt, std::string mic, Mailbox& owner, Deliver deliver, FaceFile face_file)
    : owner_(owner),
      deliver_(std::move(deliver)),
      face_file_(std::move(face_file)),
      gateway_(std::move(opt), std::move(mic), [this](const OqsEvent& e) {
          // On the transport's worker: translate here, hand over to the owner's thread.
          if (!e.request.empty() && request_sink_) {
              try {
                  request_sink_(e);
              } catch (const std::exception& ex) {
                  log::error("oqs", "an event for " + e.request + " could not be handed on: " + ex.what());
              }
          }
          std::string file = face_file_of(e);
          auto in = to_input(e);
          if (file.empty() && !in) return;
          owner_.post([d = deliver_, f = face_file_, file = std::move(file), in = std::move(in)] {
              if (!file.empty() && f) {
                  try {
                      f(file);
                  } catch (const std::exception& ex) {
                      log::error("oqs", "the face file " + file + " could not be taken in: " + ex.what());
                  } catch (...) {
                      log::error("oqs", "the face file " + file + " could not be taken in");
                  }
              }
              if (in) deliver_safely(d, *in);
          });
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

std::string OqsPort::face_file_of(const OqsEvent& e) {
    if (e.type == OqsEvent::Type::FaceResult) return e.file;
    // A face file the transport could not read (malformed, too large, a symlink …) is reported as Failed
    // without a request.
    if (e.type == OqsEvent::Type::Failed && e.request.empty() && e.file.rfind("OQSsiquc01res_face_", 0) == 0)
        return e.file;
    return {};
}

std::optional<Input> OqsPort::to_input(const OqsEvent& e) noexcept {
    try {
        if (e.type != OqsEvent::Type::FaceResult || !e.result) return std::nullopt;
        // Stored with the check: the result re-serialised as UTF-8 (the model keeps unknown elements).
        return in::FaceResult{e.file, *e.result,
                              e.message ? oqs::serialize(*e.message, oqs::Encoding::Utf8) : std::string(), 0};
    } catch (const std::exception& ex) {
        log::error("oqs", "the face result " + e.file + " cannot be handed to the visit: " + ex.what());
    } catch (...) {}
    return std::nullopt;
}

void OqsPort::deliver_safely(const Deliver& deliver, const Input& in) noexcept {
    const auto* face = std::get_if<in::FaceResult>(&in);
    const std::string what = face ? "the face result " + face->file : std::string("an OQS event");
    try {
        deliver(in);
    } catch (const std::exception& ex) {
        log::error("oqs", "the visit could not take " + what + ": " + ex.what());
    } catch (...) {
        log::error("oqs", "the visit could not take " + what);
    }
}

}  // namespace onshi::flow
