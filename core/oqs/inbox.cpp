#include "core/oqs/inbox.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "core/oqs/xml_codec.hpp"
#include "core/util/files.hpp"

namespace onshi::oqs {
namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// .err texts come in either encoding; shown as one line of at most 300 bytes.
std::string err_text(const std::string& bytes) {
    std::string t;
    try {
        t = to_utf8(bytes, Encoding::Utf8);
    } catch (const OqsError&) {
        try {
            t = to_utf8(bytes, Encoding::ShiftJis);
        } catch (const OqsError&) {
            t = "(undecodable .err text)";
        }
    }
    for (char& c : t)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    if (t.size() > 300) {
        t.resize(300);
        while (!t.empty() && (static_cast<unsigned char>(t.back()) & 0xC0) == 0x80) t.pop_back();  // no half character
        if (!t.empty() && static_cast<unsigned char>(t.back()) >= 0xC0) t.pop_back();
    }
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return t.empty() ? "(empty .err file)" : t;
}

}  // namespace

Inbox::Inbox(fs::path res_dir, fs::path face_dir, InboxOptions opt)
    : res_dir_(std::move(res_dir)), face_dir_(std::move(face_dir)), opt_(opt) {}

bool Inbox::wanted(bool face, const std::string& name) {
    if (name.empty() || name[0] == '.') return false;
    for (char c : name)
        if (c <= 0x20 || c >= 0x7F || c == '/') return false;
    if (face) return name.rfind("OQSsiquc01res_face_", 0) == 0 && ends_with(name, ".xml");
    return ends_with(name, ".xml") || ends_with(name, ".err") ||
           (ends_with(name, ".pdf") && (name.rfind("YZK", 0) == 0 || name.rfind("TKK", 0) == 0));
}

void Inbox::note(bool face, const std::string& name, bool complete, bool from_scan) {
    if (!wanted(face, name)) return;
    auto now = Clock::now();
    auto [it, fresh] = candidates_.try_emplace((face ? "face/" : "res/") + name);
    Candidate& c = it->second;
    if (fresh) {
        c.face = face;
        c.first_seen = now;
        c.quiet = from_scan;
    }
    c.eager = c.eager || complete;
    c.due = complete ? now : now + opt_.settle;
}

void Inbox::rescan() {
    std::error_code ec;
    for (const auto& d : {res_dir_, face_dir_})
        for (const auto& e : fs::directory_iterator(d, ec))
            note(d == face_dir_, e.path().filename().string(), false, true);
}

std::vector<Inbox::Due> Inbox::due() {
    auto now = Clock::now();
    std::vector<Due> v;
    for (const auto& [k, c] : candidates_)
        if (c.due <= now) v.push_back({k, c.face, k.substr(k.find('/') + 1), c.quiet});
    return v;
}

bool Inbox::settled(const Due& d) {
    auto it = candidates_.find(d.key);
    if (it == candidates_.end()) return false;
    Candidate& c = it->second;
    struct stat st {};
    fs::path p = (d.face ? face_dir_ : res_dir_) / d.name;
    if (::lstat(p.c_str(), &st) != 0) {  // gone (taken by someone else, or renamed away)
        candidates_.erase(it);
        return false;
    }
    Stamp s{st.st_size, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
    bool eager = c.eager;
    c.eager = false;
    if (!eager && !(c.last == s)) {  // still changing: look again later
        c.last = s;
        c.due = Clock::now() + opt_.settle;
        return false;
    }
    c.last = s;
    return true;
}

std::optional<Arrival> Inbox::retry_or_refuse(const Due& d, ErrorKind kind, const std::string& why) {
    auto it = candidates_.find(d.key);
    if (it != candidates_.end() && Clock::now() - it->second.first_seen < opt_.give_up) {
        it->second.due = Clock::now() + opt_.settle;  // half-written files fail too: only lasting failure counts
        return std::nullopt;
    }
    Arrival a;
    a.face = d.face;
    a.name = d.name;
    a.error_kind = kind;
    a.error = why;
    return a;
}

std::optional<Arrival> Inbox::read(const Due& d) {
    const bool err = !d.face && ends_with(d.name, ".err");
    const std::string shown = (d.face ? "face/" : "res/") + d.name;
    Arrival a;
    a.face = d.face;
    a.name = d.name;
    files::BoundedRead r =
        files::read_regular((d.face ? face_dir_ : res_dir_) / d.name, err ? kMaxErrBytes : opt_.decode.max_bytes);
    switch (r.error) {
        case files::ReadError::None: break;
        case files::ReadError::Missing: drop(d.key); return std::nullopt;
        case files::ReadError::Symlink: a.error = shown + " is a symbolic link; refused without reading it"; return a;
        case files::ReadError::NotRegular:
            a.error = shown + " is not a regular file (a FIFO, device or folder); refused without reading it";
            return a;
        case files::ReadError::TooLarge:
            a.error_kind = ErrorKind::TooLarge;
            a.error = shown + " is larger than the limit of " +
                      std::to_string(err ? kMaxErrBytes : opt_.decode.max_bytes) + " bytes; not read";
            return a;
        case files::ReadError::Io: return retry_or_refuse(d, ErrorKind::Io, r.message_en);
    }
    if (err) {
        a.kind = Arrival::Kind::Err;
        a.text = err_text(r.bytes);
        return a;
    }
    auto kind = kind_from_file_name(d.name);
    if (!kind) {
        a.error_kind = ErrorKind::Malformed;
        a.error = "unknown message type in the name " + d.name;
        return a;
    }
    if (*kind == MessageKind::YzkSiquc01Res || *kind == MessageKind::TkkSiquc01Res) {
        a.kind = Arrival::Kind::Raw;  // parsed by the caller (core/oqs/medinfo), with the same limits
        a.raw = std::move(r.bytes);
        return a;
    }
    try {
        a.message = parse_message(r.bytes, *kind, opt_.decode);
        a.kind = Arrival::Kind::Xml;
        return a;
    } catch (const OqsError& e) {
        return retry_or_refuse(d, e.kind, d.name + ": " + e.what());
    }
}

void Inbox::drop(const std::string& key) { candidates_.erase(key); }

long long Inbox::ms_to_next() const {
    if (candidates_.empty()) return -1;
    auto now = Clock::now();
    long long best = 60000;
    for (const auto& [k, c] : candidates_)
        best = std::min<long long>(best, std::chrono::duration_cast<std::chrono::milliseconds>(c.due - now).count());
    return std::max<long long>(best, 0);
}

}  // namespace onshi::oqs
