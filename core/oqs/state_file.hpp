#pragma once
// StateFile: what the transport must remember across restarts — the requests still waiting for an answer,
// the last answered ones (to recognise a duplicate answer), the face/ files already taken in, and the
// request sequence of the day. A JSON file of ours, outside the shared folders, mode 0600 (the requests
// name the clinic; the file is nobody else's business).
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "core/oqs/messages.hpp"

namespace onshi::oqs {

struct OutstandingRequest {
    std::string name;
    MessageKind kind = MessageKind::Siquc01Req;
    std::string medical_institution_code, arbitrary_file_identifier, reception_number;
    long long submitted_ms = 0;  // system clock, for the timeout across restarts
    bool timed_out = false;
};

struct TransportState {
    std::string seq_day;  // YYYYMMDD of `seq`
    int seq = 0;          // last request number used that day
    std::map<std::string, OutstandingRequest> outstanding;
    std::deque<std::string> answered;  // finished requests, oldest first, at most kAnsweredKept
    std::set<std::string> face_seen;   // face/ files taken in (or reported broken) once

    static constexpr size_t kAnsweredKept = 500;
    void finish(const std::string& request);  // outstanding → answered
    bool was_answered(const std::string& request) const;
};

class StateFile {
public:
    explicit StateFile(std::filesystem::path path) : path_(std::move(path)) {}
    const std::filesystem::path& path() const { return path_; }
    // nullopt when there is no file yet (the first run); throws OqsError(Io) when it is unreadable or not
    // ours (a symlink, not a regular file, not valid JSON).
    std::optional<TransportState> load() const;
    // Writes atomically with mode 0600. Thread-safe: `version` orders snapshots taken under the caller's lock,
    // and a snapshot older than the one already written is skipped. Throws std::runtime_error on failure.
    void save(const TransportState& state, uint64_t version);

private:
    std::filesystem::path path_;
    std::mutex write_mu_;
    uint64_t written_ = 0;
};

}  // namespace onshi::oqs
