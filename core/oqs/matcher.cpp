#include "core/oqs/matcher.hpp"

#include "core/util/log.hpp"

namespace onshi::oqs::matcher {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_err(const std::string& name) { return ends_with(name, ".err"); }

// "OQSsiquc01req_….err" (or "….xml.err") → "OQSsiquc01req_….xml"
std::string err_request(const std::string& name) {
    std::string base = name.substr(0, name.size() - 4);
    if (!ends_with(base, ".xml")) base += ".xml";
    return base;
}

bool returned_request(const std::string& name) {
    return !is_err(name) && name.size() > 13 && name.compare(10, 3, "req") == 0;
}

OqsEvent failed_event(const std::string& request, const std::string& file, ErrorKind kind, const std::string& why) {
    OqsEvent e;
    e.type = OqsEvent::Type::Failed;
    e.request = request;
    e.file = file;
    e.error_kind = kind;
    e.error = why;
    return e;
}

}  // namespace

std::string request_of(const std::string& name) {
    if (is_err(name)) return err_request(name);
    if (ends_with(name, ".pdf")) {  // a YZK/TKK answer in PDF form answers the .xml request of the same name
        std::string c = counterpart_name(name);
        return c.empty() ? "" : c.substr(0, c.size() - 4) + ".xml";
    }
    if (returned_request(name)) return counterpart_name(name).empty() ? "" : name;
    return counterpart_name(name);
}

Claim claim(const TransportState& s, bool face, const std::string& name, bool quiet, Outcome& out) {
    if (face) return s.face_seen.count(name) ? Claim::Ignore : Claim::Read;
    std::string request = request_of(name);
    if (request.empty()) return Claim::Ignore;
    const bool open = s.outstanding.count(request) > 0;
    if (is_err(name)) return open ? Claim::Read : Claim::Ignore;
    if (returned_request(name)) {  // the terminal returns the request next to a .err: wait for the .err
        if (!open) return Claim::Ignore;
        out.bounced = request;
        return Claim::Decided;
    }
    if (open) return Claim::Read;
    if (s.was_answered(request) && !quiet) {
        out.event = failed_event(request, name, ErrorKind::Mismatch,
                                 "duplicate answer " + name + " for a request already answered; ignored");
        return Claim::Decided;
    }
    log::debug("oqs", "ignoring " + name + ": no outstanding request");
    return Claim::Ignore;
}

Outcome failed(const TransportState& s, bool face, const std::string& name, const std::string& why) {
    Outcome o;
    std::string request = face ? "" : request_of(name);
    if (!request.empty() && !s.outstanding.count(request)) request.clear();
    o.event = failed_event(request, name, ErrorKind::Io, why);
    if (face) o.face_seen = name;  // reported once, not on every restart
    o.finish = request;
    return o;
}

Outcome resolve(const TransportState& s, Arrival a) {
    Outcome o;
    if (a.kind == Arrival::Kind::Refused) {
        o = failed(s, a.face, a.name, a.error);
        o.event->error_kind = a.error_kind;
        if (!a.face && is_err(a.name) && !o.finish.empty())
            o.event->error = "the terminal rejected " + o.finish + ", but its .err file was refused: " + a.error;
        return o;
    }
    if (a.kind == Arrival::Kind::Err) {
        std::string request = err_request(a.name);
        if (!s.outstanding.count(request)) return o;
        o.event =
            failed_event(request, a.name, ErrorKind::Rejected, "the terminal rejected " + request + ": " + a.text);
        o.finish = request;
        return o;
    }
    if (a.kind == Arrival::Kind::Raw) {  // YZK/TKK: paired by name; the caller checks the content
        std::string request = request_of(a.name);
        if (!s.outstanding.count(request)) return o;
        OqsEvent e;
        e.type = OqsEvent::Type::Answer;
        e.request = request;
        e.file = a.name;
        e.late = s.outstanding.at(request).timed_out;
        e.raw = std::move(a.raw);
        o.event = std::move(e);
        o.finish = request;
        return o;
    }
    Message& m = *a.message;
    OqsEvent e;
    e.file = a.name;
    std::string request;
    if (a.face) {
        o.face_seen = a.name;  // nobody asks for a face result: never a request's answer
    } else {
        request = counterpart_name(a.name);
        if (!s.outstanding.count(request)) return o;  // answered meanwhile: nothing to tell
    }
    if (!request.empty()) {
        const OutstandingRequest& r = s.outstanding.at(request);
        e.request = request;
        e.late = r.timed_out;
        o.finish = request;
        std::string why;
        if (m.header.medical_institution_code.value_or("") != r.medical_institution_code)
            why = "MedicalInstitutionCode " + m.header.medical_institution_code.value_or("(none)") +
                  " differs from the request's " + r.medical_institution_code;
        else if (!r.arbitrary_file_identifier.empty() &&
                 m.header.arbitrary_file_identifier.value_or("") != r.arbitrary_file_identifier)
            why = "ArbitraryFileIdentifier " + m.header.arbitrary_file_identifier.value_or("(none)") +
                  " differs from the request's " + r.arbitrary_file_identifier;
        else if (!r.reception_number.empty() && m.header.reception_number &&
                 *m.header.reception_number != r.reception_number)
            why = "ReceptionNumber " + *m.header.reception_number + " differs from the request's " + r.reception_number;
        if (!why.empty()) {
            o.event = failed_event(request, a.name, ErrorKind::Mismatch, a.name + ": " + why);
            o.event->late = e.late;
            return o;
        }
    }
    e.type = request.empty() ? OqsEvent::Type::FaceResult : OqsEvent::Type::Answer;
    if (m.kind == MessageKind::Siquc01Res || m.kind == MessageKind::Face) {
        e.result = qualification_result(m);
        e.result->file = a.name;
        e.result->late = e.late;
    }
    e.message = std::move(m);
    o.event = std::move(e);
    return o;
}

}  // namespace onshi::oqs::matcher
