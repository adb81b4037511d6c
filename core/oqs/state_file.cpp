#include "core/oqs/state_file.hpp"

#include <algorithm>

#include "core/oqs/error.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"

namespace onshi::oqs {
namespace {
constexpr size_t kMaxStateBytes = 16u << 20;  // 500 answered + the outstanding requests: far below this
}

void TransportState::finish(const std::string& request) {
    outstanding.erase(request);
    answered.push_back(request);
    while (answered.size() > kAnsweredKept) answered.pop_front();
}

bool TransportState::was_answered(const std::string& request) const {
    return std::find(answered.begin(), answered.end(), request) != answered.end();
}

std::optional<TransportState> StateFile::load() const {
    files::BoundedRead r = files::read_regular(path_, kMaxStateBytes);
    if (r.error == files::ReadError::Missing) return std::nullopt;
    if (!r.ok()) throw OqsError(ErrorKind::Io, "state file " + r.message_en);
    Json j = Json::parse(r.bytes, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw OqsError(ErrorKind::Io, "state file " + path_.string() + " is not valid JSON");
    TransportState s;
    try {
        s.seq_day = j.value("day", "");
        s.seq = std::stoi(j.value("sequence", "0"));
        for (const auto& o : j.value("outstanding", Json::array())) {
            OutstandingRequest q;
            q.name = o.value("name", "");
            auto k = kind_from_file_name(q.name);
            if (!k) continue;
            q.kind = *k;
            q.medical_institution_code = o.value("medical_institution_code", "");
            q.arbitrary_file_identifier = o.value("arbitrary_file_identifier", "");
            q.reception_number = o.value("reception_number", "");
            q.submitted_ms = std::stoll(o.value("submitted_ms", "0"));
            q.timed_out = o.value("timed_out", false);
            s.outstanding[q.name] = q;
        }
        for (const auto& a : j.value("answered", Json::array())) s.answered.push_back(a.get<std::string>());
        for (const auto& f : j.value("face_seen", Json::array())) s.face_seen.insert(f.get<std::string>());
    } catch (const std::exception& e) {  // wrong types, numbers out of range
        throw OqsError(ErrorKind::Io, "state file " + path_.string() + " is not usable: " + e.what());
    }
    return s;
}

void StateFile::save(const TransportState& s, uint64_t version) {
    Json j;
    j["version"] = "1";
    j["day"] = s.seq_day;
    j["sequence"] = std::to_string(s.seq);
    Json o = Json::array();
    for (const auto& [name, r] : s.outstanding) {
        Json x;
        x["name"] = r.name;
        x["medical_institution_code"] = r.medical_institution_code;
        x["arbitrary_file_identifier"] = r.arbitrary_file_identifier;
        x["reception_number"] = r.reception_number;
        x["submitted_ms"] = std::to_string(r.submitted_ms);
        x["timed_out"] = r.timed_out;
        o.push_back(x);
    }
    j["outstanding"] = o;
    j["answered"] = s.answered;
    j["face_seen"] = s.face_seen;
    // Every name in here passed the inbox's ASCII check or is ours; `replace` keeps dump() from ever throwing.
    std::string text = j.dump(1, ' ', false, Json::error_handler_t::replace) + "\n";

    std::lock_guard lock(write_mu_);
    if (version < written_) return;  // a newer snapshot is already on disk
    if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path());
    files::write_atomic(path_, text, 0600);
    written_ = version;
}

}  // namespace onshi::oqs
