#pragma once
// Matcher: pairs what arrives in res/ and face/ with the request it answers, against the transport state.
//   res/: the answer's name is the request's with req→res; the header's MedicalInstitutionCode,
//         ArbitraryFileIdentifier and ReceptionNumber must be the request's.
//   res/<request>.err: the terminal rejected the request (it also returns the request itself into res/).
//   face/: a face result answers no request: the 顔認証付きカードリーダー writes one for every reception it
//          makes (顔認証, 暗証番号 and its 目視確認モード), and it arrives as a FaceResult event.
// Pure decisions: the caller holds the state's lock, delivers the event, and only then commits the outcome,
// so an answer is never marked answered before it was handed on.
#include <optional>
#include <string>

#include "core/oqs/inbox.hpp"
#include "core/oqs/state_file.hpp"
#include "core/oqs/transport.hpp"

namespace onshi::oqs {

struct Outcome {
    std::optional<OqsEvent> event;  // to deliver
    std::string finish;             // request to mark answered once the event was delivered
    std::string face_seen;          // face/ file to remember once the event was delivered
    std::string bounced;            // request whose copy came back into res/ (its .err should follow)
    std::string timed_out;          // request to mark timed out once the event was delivered
};

namespace matcher {

// The request a res/ file belongs to: its counterpart for an answer, the request itself for a .err or a
// returned copy; "" for anything else.
std::string request_of(const std::string& res_name);

enum class Claim { Ignore, Read, Decided };
// Before reading: is the file worth reading? `Decided` fills `out` without reading (a duplicate answer,
// a returned request copy).
Claim claim(const TransportState& s, bool face, const std::string& name, bool quiet, Outcome& out);

// After reading.
Outcome resolve(const TransportState& s, Arrival a);

// Handling the file failed unexpectedly: a Failed event for its request, which is then finished.
Outcome failed(const TransportState& s, bool face, const std::string& name, const std::string& why);

}  // namespace matcher
}  // namespace onshi::oqs
