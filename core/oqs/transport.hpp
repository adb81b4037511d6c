#pragma once
// The req/ res/ face/ folder exchange with the 資格確認端末 (OQSComApp on the OQS PC).
// A worker thread waits on inotify (no polling loop) and reports through a callback; it never
// touches caller state. Outstanding requests and processed face/ files are remembered in a state
// file, so a restart neither processes a face file twice nor loses an answer that came late.
// Parts: StateFile (what is remembered), Inbox (reading res/ and face/ safely), Matcher (which request a
// file answers). A request counts as answered only after its event was handed to the sink.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"
#include "core/oqs/state_file.hpp"

namespace onshi::oqs {

struct TransportOptions {
    std::filesystem::path root;        // holds req/, res/ and face/
    std::filesystem::path state_file;  // ours, outside the shared root
    Encoding request_encoding = Encoding::Utf8;
    std::chrono::milliseconds timeout{60000};  // then TimedOut; the request stays remembered
    std::chrono::milliseconds settle{300};     // a file seen mid-write is re-read this much later
    std::chrono::milliseconds give_up{10000};  // still unreadable after this: reported malformed
    DecodeOptions decode;
};

struct OqsEvent {
    enum class Type {
        Answer,      // the answer to `request` (late = after TimedOut)
        Failed,      // `request` failed: .err, unreadable answer, AFI mismatch, duplicate answer …
        TimedOut,    // no answer within the timeout; a later answer still arrives as Answer{late}
        FaceResult,  // a face/ result nobody asked for (the reader's own マイナ保険証 reception)
    };
    Type type = Type::Answer;
    std::string request;                        // request file name; empty for FaceResult and stray files
    std::string file;                           // the file in res/ or face/ that caused the event
    std::optional<Message> message;             // Answer, FaceResult
    std::optional<QualificationResult> result;  // for siquc01res and face results
    // YZK/TKK answers: the file's bytes as read (XML or PDF); the transport does not parse them, the caller
    // does (core/oqs/medinfo.hpp, with the same limits).
    std::string raw;
    std::optional<ErrorKind> error_kind;  // Failed
    std::string error;                          // Failed: one-line reason
    bool late = false;
};

using EventSink = std::function<void(const OqsEvent&)>;

class OqsFolderTransport {
public:
    OqsFolderTransport(TransportOptions opt, EventSink sink);
    ~OqsFolderTransport();
    OqsFolderTransport(const OqsFolderTransport&) = delete;
    OqsFolderTransport& operator=(const OqsFolderTransport&) = delete;

    // Loads the state, watches res/ and face/, then picks up what arrived while stopped.
    void start();
    void stop();  // prompt whatever lies in the folders: the worker never blocks on a file

    // Writes the request under a new unique name into req/ (temp file + rename, never overwriting; mode
    // 0600: it holds the insurer and card numbers and the birth date).
    // An ArbitraryFileIdentifier is generated when missing. Throws OqsError before anything is
    // written when the request cannot be encoded. Returns the request file name.
    std::string submit(Message request);

    std::vector<OutstandingRequest> outstanding() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// "OQSsiquc01req_…" for "OQSsiquc01res_…" (and the reverse); empty when the name has no req/res part.
std::string counterpart_name(const std::string& file_name);

}  // namespace onshi::oqs
