#include "core/oqs/transport.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "core/util/files.hpp"
#include "core/util/json.hpp"
#include "core/util/log.hpp"

namespace onshi::oqs {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kAnsweredKept = 500;   // enough to recognise a duplicate answer of recent requests

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string today() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char b[16];
    std::strftime(b, sizeof b, "%Y%m%d", &tm);
    return b;
}

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct FileStamp {
    long long size = -1;
    long long mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
};

std::optional<FileStamp> stamp(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return FileStamp{st.st_size, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
}

std::string random_afi() {
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::random_device rd;
    std::string s;
    for (int i = 0; i < 20; ++i) s += digits[rd() % 62];
    return s;
}

// .err texts come in either encoding; show them as one line.
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
    std::replace(t.begin(), t.end(), '\r', ' ');
    std::replace(t.begin(), t.end(), '\n', ' ');
    if (t.size() > 300) t.resize(300);
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return t.empty() ? "(empty .err file)" : t;
}

}  // namespace

std::string counterpart_name(const std::string& n) {
    // OQS + 5 letters + 2 digits, then req|res at offset 10.
    if (n.size() < 14 || n.compare(0, 3, "OQS") != 0) return {};
    std::string part = n.substr(10, 3);
    if (part != "req" && part != "res") return {};
    std::string c = n;
    c.replace(10, 3, part == "req" ? "res" : "req");
    return c;
}

struct OqsFolderTransport::Impl {
    TransportOptions opt;
    EventSink sink;
    fs::path req_dir, res_dir, face_dir;

    mutable std::mutex mu;
    std::map<std::string, OutstandingRequest> outstanding;
    std::deque<std::string> answered;            // finished requests, oldest first
    std::set<std::string> face_seen;
    std::string seq_day;
    int seq = 0;

    struct Candidate {
        bool face = false;
        FileStamp last;
        Clock::time_point first_seen, due;
        bool quiet = false;      // found by a rescan: old answers are not duplicates
        std::string last_error;
        ErrorKind last_kind = ErrorKind::Malformed;
    };
    std::map<std::string, Candidate> candidates;  // keyed by "res/<name>" or "face/<name>"
    std::map<std::string, Clock::time_point> bounced;   // request → when its copy came back without .err

    int ino = -1, wake = -1, wd_res = -1, wd_face = -1;
    std::thread worker;
    bool running = false;
    std::atomic<bool> stopping{false};

    void poke() {   // wakes the worker: to stop, or to recompute its deadline after a submit
        uint64_t one = 1;
        if (::write(wake, &one, sizeof one) < 0) log::error("oqs", "cannot wake the worker");
    }

    // ---- state file -------------------------------------------------------------------------
    void load_state(bool& first_run) {
        auto bytes = files::read(opt.state_file);
        first_run = !bytes;
        if (!bytes) return;
        Json j = Json::parse(*bytes, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw OqsError(ErrorKind::Io, "state file " + opt.state_file.string() + " is not valid JSON");
        seq_day = j.value("day", "");
        seq = std::stoi(j.value("sequence", "0"));
        for (const auto& o : j.value("outstanding", Json::array())) {
            OutstandingRequest r;
            r.name = o.value("name", "");
            auto k = kind_from_file_name(r.name);
            if (!k) continue;
            r.kind = *k;
            r.medical_institution_code = o.value("medical_institution_code", "");
            r.arbitrary_file_identifier = o.value("arbitrary_file_identifier", "");
            r.reception_number = o.value("reception_number", "");
            r.submitted_ms = std::stoll(o.value("submitted_ms", "0"));
            r.timed_out = o.value("timed_out", false);
            outstanding[r.name] = r;
        }
        for (const auto& a : j.value("answered", Json::array())) answered.push_back(a.get<std::string>());
        for (const auto& f : j.value("face_seen", Json::array())) face_seen.insert(f.get<std::string>());
    }

    void save_state() {   // caller holds mu
        Json j;
        j["version"] = "1";
        j["day"] = seq_day;
        j["sequence"] = std::to_string(seq);
        Json o = Json::array();
        for (const auto& [name, r] : outstanding) {
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
        j["answered"] = answered;
        j["face_seen"] = face_seen;
        if (opt.state_file.has_parent_path()) fs::create_directories(opt.state_file.parent_path());
        files::write_atomic(opt.state_file, j.dump(1) + "\n", 0600);
    }

    void finish(const std::string& request) {   // caller holds mu
        outstanding.erase(request);
        bounced.erase(request);
        answered.push_back(request);
        while (answered.size() > kAnsweredKept) answered.pop_front();
    }

    bool was_answered(const std::string& request) const {
        return std::find(answered.begin(), answered.end(), request) != answered.end();
    }

    // ---- inbound files ----------------------------------------------------------------------
    void note_file(bool face, const std::string& name, bool complete_signal, std::vector<OqsEvent>& out,
                   bool from_scan = false) {
        if (name.empty() || name[0] == '.') return;
        if (!face && !ends_with(name, ".xml") && !ends_with(name, ".err")) return;
        if (face && (name.rfind("OQSsiquc01res_face_", 0) != 0 || !ends_with(name, ".xml"))) return;
        if (face && face_seen.count(name)) return;
        std::string key = (face ? "face/" : "res/") + name;
        auto now = Clock::now();
        auto [it, fresh] = candidates.try_emplace(key);
        Candidate& c = it->second;
        if (fresh) {
            c.face = face;
            c.first_seen = now;
            c.quiet = from_scan;
        }
        c.due = now + opt.settle;
        if (complete_signal) try_take(key, c, /*eager=*/true, out);
    }

    // Returns true when the candidate is settled (taken or failed for good).
    bool try_take(const std::string& key, Candidate& c, bool eager, std::vector<OqsEvent>& out) {
        fs::path p = (c.face ? face_dir : res_dir) / key.substr(key.find('/') + 1);
        std::string name = p.filename().string();
        auto st = stamp(p);
        if (!st) {
            candidates.erase(key);
            return true;
        }
        if (!eager && !(c.last == *st)) {   // still changing: look again later
            c.last = *st;
            c.due = Clock::now() + opt.settle;
            return false;
        }
        c.last = *st;
        if (ends_with(name, ".err")) {
            take_err(name, p, out);
            candidates.erase(key);
            return true;
        }
        if (!c.face && counterpart_name(name).empty()) {
            candidates.erase(key);
            return true;
        }
        bool bounced_request = !c.face && name.compare(10, 3, "req") == 0;
        if (bounced_request) {   // the terminal returns the request next to a .err; wait for the .err
            if (outstanding.count(name) && !bounced.count(name)) bounced[name] = Clock::now();
            candidates.erase(key);
            return true;
        }
        if (size_t(st->size) > opt.decode.max_bytes) {
            fail_file(c, name, ErrorKind::TooLarge,
                      "file of " + std::to_string(st->size) + " bytes exceeds the limit of " +
                          std::to_string(opt.decode.max_bytes),
                      out);
            candidates.erase(key);
            return true;
        }
        if (!c.face && !outstanding.count(counterpart_name(name))) {
            std::string req = counterpart_name(name);
            if (was_answered(req) && !c.quiet) {
                OqsEvent e;
                e.type = OqsEvent::Type::Failed;
                e.request = req;
                e.file = name;
                e.error_kind = ErrorKind::Mismatch;
                e.error = "duplicate answer " + name + " for a request already answered; ignored";
                out.push_back(e);
            } else {
                log::debug("oqs", "ignoring " + name + ": no outstanding request");
            }
            candidates.erase(key);
            return true;
        }
        auto bytes = files::read(p);
        if (!bytes) {
            candidates.erase(key);
            return true;
        }
        auto kind = kind_from_file_name(name);
        try {
            if (!kind) throw OqsError(ErrorKind::Malformed, "unknown message type in the name " + name);
            ParsedFile f = parse_file(*bytes, *kind, opt.decode);
            accept(c.face, name, std::move(f.message), out);
            candidates.erase(key);
            return true;
        } catch (const OqsError& e) {
            // A half-written file fails to parse; only when it stays that way is it an error.
            c.last_error = e.what();
            c.last_kind = e.kind;
            if (Clock::now() - c.first_seen < opt.give_up) {
                c.due = Clock::now() + opt.settle;
                return false;
            }
            fail_file(c, name, e.kind, name + ": " + e.what(), out);
            candidates.erase(key);
            return true;
        }
    }

    void fail_file(const Candidate& c, const std::string& name, ErrorKind kind, const std::string& why,
                   std::vector<OqsEvent>& out) {
        OqsEvent e;
        e.type = OqsEvent::Type::Failed;
        e.file = name;
        e.error_kind = kind;
        e.error = why;
        if (c.face) {
            face_seen.insert(name);   // a broken face file is reported once, not on every restart
        } else {
            e.request = counterpart_name(name);
            if (outstanding.count(e.request)) finish(e.request);
        }
        save_state();
        out.push_back(e);
    }

    void take_err(const std::string& name, const fs::path& p, std::vector<OqsEvent>& out) {
        std::string base = name.substr(0, name.size() - 4);
        if (!ends_with(base, ".xml")) base += ".xml";
        if (!outstanding.count(base)) return;
        auto bytes = files::read(p).value_or("");
        if (bytes.size() > 65536) bytes.resize(65536);
        OqsEvent e;
        e.type = OqsEvent::Type::Failed;
        e.request = base;
        e.file = name;
        e.error_kind = ErrorKind::Rejected;
        e.error = "the terminal rejected " + base + ": " + err_text(bytes);
        finish(base);
        save_state();
        out.push_back(e);
    }

    // A parsed res/ or face/ file: match it to its request, or report it as a face result.
    void accept(bool face, const std::string& name, Message m, std::vector<OqsEvent>& out) {
        OqsEvent e;
        e.file = name;
        std::string request;
        if (face) {
            face_seen.insert(name);
            for (const auto& [n, r] : outstanding)
                if (r.kind == MessageKind::Cardq01Req &&
                    m.header.arbitrary_file_identifier.value_or("") == r.arbitrary_file_identifier &&
                    m.header.medical_institution_code.value_or("") == r.medical_institution_code)
                    request = n;
        } else {
            request = counterpart_name(name);
        }
        if (!request.empty()) {
            const OutstandingRequest& r = outstanding.at(request);
            e.request = request;
            e.late = r.timed_out;
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
                why = "ReceptionNumber " + *m.header.reception_number + " differs from the request's " +
                      r.reception_number;
            if (!why.empty()) {
                e.type = OqsEvent::Type::Failed;
                e.error_kind = ErrorKind::Mismatch;
                e.error = name + ": " + why;
                finish(request);
                save_state();
                out.push_back(e);
                return;
            }
            finish(request);
        }
        e.type = request.empty() ? OqsEvent::Type::FaceResult : OqsEvent::Type::Answer;
        if (m.kind == MessageKind::Siquc01Res || m.kind == MessageKind::Face) {
            e.result = qualification_result(m);
            e.result->file = name;
            e.result->late = e.late;
        }
        e.message = std::move(m);
        save_state();
        out.push_back(std::move(e));
    }

    // ---- timers -----------------------------------------------------------------------------
    void check_timers(std::vector<OqsEvent>& out) {
        auto now = Clock::now();
        std::vector<std::string> due;
        for (auto& [k, c] : candidates)
            if (c.due <= now) due.push_back(k);
        for (const auto& k : due) {
            auto it = candidates.find(k);
            if (it != candidates.end()) try_take(k, it->second, false, out);
        }
        for (auto it = bounced.begin(); it != bounced.end();) {
            if (now - it->second >= opt.give_up && outstanding.count(it->first)) {
                OqsEvent e;
                e.type = OqsEvent::Type::Failed;
                e.request = it->first;
                e.file = it->first;
                e.error_kind = ErrorKind::Rejected;
                e.error = "the terminal returned " + it->first + " into res/ without an answer";
                std::string r = it->first;
                ++it;
                finish(r);
                save_state();
                out.push_back(e);
            } else {
                ++it;
            }
        }
        long long ms = now_ms();
        bool changed = false;
        for (auto& [n, r] : outstanding) {
            if (!r.timed_out && ms - r.submitted_ms >= opt.timeout.count()) {
                r.timed_out = true;
                changed = true;
                OqsEvent e;
                e.type = OqsEvent::Type::TimedOut;
                e.request = n;
                e.error = "no answer to " + n + " after " + std::to_string(opt.timeout.count()) +
                          " ms; it stays registered and a late answer is still recorded (never re-sent)";
                out.push_back(e);
            }
        }
        if (changed) save_state();
    }

    int next_timeout_ms() {   // caller holds mu
        auto now = Clock::now();
        long long best = 60000;
        for (const auto& [k, c] : candidates)
            best = std::min<long long>(best, std::chrono::duration_cast<std::chrono::milliseconds>(c.due - now).count());
        for (const auto& [n, t] : bounced)
            best = std::min<long long>(
                best, std::chrono::duration_cast<std::chrono::milliseconds>(t + opt.give_up - now).count());
        long long ms = now_ms();
        for (const auto& [n, r] : outstanding)
            if (!r.timed_out) best = std::min(best, r.submitted_ms + opt.timeout.count() - ms);
        return int(std::max<long long>(best, 0) + (best > 0 ? 1 : 0));
    }

    void emit(std::vector<OqsEvent>& events) {
        for (const auto& e : events) {
            try {
                sink(e);
            } catch (const std::exception& ex) {
                log::error("oqs", std::string("event sink threw: ") + ex.what());
            }
        }
        events.clear();
    }

    void run() {
        alignas(inotify_event) char buf[16384];
        std::vector<OqsEvent> events;
        for (;;) {
            int wait_ms;
            {
                std::lock_guard lk(mu);
                wait_ms = next_timeout_ms();
            }
            pollfd pfd[2] = {{ino, POLLIN, 0}, {wake, POLLIN, 0}};
            int n = ::poll(pfd, 2, wait_ms);
            if (n < 0 && errno != EINTR) {
                log::error("oqs", std::string("poll failed: ") + std::strerror(errno));
                return;
            }
            if (pfd[1].revents & POLLIN) {
                if (stopping) return;
                uint64_t v;
                if (::read(wake, &v, sizeof v) < 0) {}   // drained; the loop recomputes the deadline
            }
            std::lock_guard lk(mu);
            try {
                if (n > 0 && (pfd[0].revents & POLLIN)) {
                    ssize_t len = ::read(ino, buf, sizeof buf);
                    for (char* ptr = buf; len > 0 && ptr < buf + len;) {
                        auto* ev = reinterpret_cast<inotify_event*>(ptr);
                        ptr += sizeof(inotify_event) + ev->len;
                        if (ev->mask & IN_Q_OVERFLOW) {
                            rescan(events);
                            continue;
                        }
                        if (!ev->len || (ev->mask & IN_ISDIR)) continue;
                        bool complete = ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO);
                        note_file(ev->wd == wd_face, ev->name, complete, events);
                    }
                }
                check_timers(events);
            } catch (const std::exception& ex) {
                log::error("oqs", std::string("transport: ") + ex.what());
            }
            // Calling out while holding the lock would deadlock a sink that submits.
            mu.unlock();
            emit(events);
            mu.lock();
        }
    }

    void rescan(std::vector<OqsEvent>& out) {
        std::error_code ec;
        for (const auto& d : {res_dir, face_dir})
            for (const auto& e : fs::directory_iterator(d, ec))
                note_file(d == face_dir, e.path().filename().string(), false, out, true);
    }
};

OqsFolderTransport::OqsFolderTransport(TransportOptions opt, EventSink sink) : impl_(std::make_unique<Impl>()) {
    impl_->opt = std::move(opt);
    impl_->sink = std::move(sink);
    impl_->req_dir = impl_->opt.root / "req";
    impl_->res_dir = impl_->opt.root / "res";
    impl_->face_dir = impl_->opt.root / "face";
    if (impl_->opt.state_file.empty()) throw OqsError(ErrorKind::Usage, "the transport needs a state file");
}

OqsFolderTransport::~OqsFolderTransport() { stop(); }

void OqsFolderTransport::start() {
    Impl& m = *impl_;
    if (m.running) return;
    for (const auto& d : {m.req_dir, m.res_dir, m.face_dir})
        if (!fs::is_directory(d)) throw OqsError(ErrorKind::Io, "no folder " + d.string());
    bool first_run = false;
    std::vector<OqsEvent> events;
    {
        std::lock_guard lk(m.mu);
        m.load_state(first_run);
        m.ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        m.wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (m.ino < 0 || m.wake < 0) throw OqsError(ErrorKind::Io, std::string("inotify: ") + std::strerror(errno));
        uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_Q_OVERFLOW;
        m.wd_res = inotify_add_watch(m.ino, m.res_dir.c_str(), mask);
        m.wd_face = inotify_add_watch(m.ino, m.face_dir.c_str(), mask);
        if (m.wd_res < 0 || m.wd_face < 0)
            throw OqsError(ErrorKind::Io, std::string("cannot watch the OQS folders: ") + std::strerror(errno));
        // Face files from before our first run belong to the past (and to other systems): baseline them.
        std::error_code ec;
        std::set<std::string> present;
        for (const auto& e : fs::directory_iterator(m.face_dir, ec)) present.insert(e.path().filename().string());
        if (first_run) m.face_seen = present;
        std::erase_if(m.face_seen, [&](const std::string& n) { return !present.count(n); });
        m.save_state();
        m.rescan(events);   // answers and face files that arrived while we were stopped
        m.running = true;
    }
    m.worker = std::thread([&m] { m.run(); });
    m.emit(events);
}

void OqsFolderTransport::stop() {
    Impl& m = *impl_;
    if (!m.running) return;
    m.stopping = true;
    m.poke();
    m.worker.join();
    m.stopping = false;
    ::close(m.ino);
    ::close(m.wake);
    m.running = false;
}

std::vector<OutstandingRequest> OqsFolderTransport::outstanding() const {
    std::lock_guard lk(impl_->mu);
    std::vector<OutstandingRequest> v;
    for (const auto& [n, r] : impl_->outstanding) v.push_back(r);
    return v;
}

std::string OqsFolderTransport::submit(Message req) {
    Impl& m = *impl_;
    if (!is_request(req.kind)) throw OqsError(ErrorKind::Usage, std::string(kind_name(req.kind)) + " is not a request");
    const std::string mic = req.header.medical_institution_code.value_or("");
    if (mic.size() != 10 || mic.find_first_not_of("0123456789") != std::string::npos)
        throw OqsError(ErrorKind::Usage, "MedicalInstitutionCode must be 10 digits");
    bool bulk_poll = req.kind == MessageKind::Muquc02Req || req.kind == MessageKind::Muhvq02Req;
    if (!bulk_poll && !req.header.arbitrary_file_identifier) req.header.arbitrary_file_identifier = random_afi();
    if (req.header.arbitrary_file_identifier && req.header.arbitrary_file_identifier->size() > 50)
        throw OqsError(ErrorKind::Usage, "ArbitraryFileIdentifier is longer than 50 characters");
    std::string bytes = serialize(req, m.opt.request_encoding);   // throws before anything is written

    std::lock_guard lk(m.mu);
    std::string day = today();
    if (day != m.seq_day) {
        m.seq_day = day;
        m.seq = 0;
    }
    for (;;) {
        if (++m.seq > 9999) throw OqsError(ErrorKind::Io, "more than 9999 requests today");
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, "%04d", m.seq);
        std::string name = std::string(kind_name(req.kind)) + "_" + day + suffix + ".xml";
        // Never reuse a name whose request or answer still exists (S4).
        if (fs::exists(m.req_dir / name) || fs::exists(m.res_dir / counterpart_name(name)) ||
            fs::exists(m.res_dir / name) || m.outstanding.count(name) || m.was_answered(name))
            continue;
        OutstandingRequest r;
        r.name = name;
        r.kind = req.kind;
        r.medical_institution_code = mic;
        r.arbitrary_file_identifier = req.header.arbitrary_file_identifier.value_or("");
        r.reception_number = req.body.reception_number.value_or("");
        r.submitted_ms = now_ms();
        // Remember first: an answer to a request we forgot would be lost.
        m.outstanding[name] = r;
        m.save_state();
        fs::path tmp = m.req_dir / ("." + name + ".part");
        fs::path dst = m.req_dir / name;
        try {
            files::write_atomic(tmp, bytes);
        } catch (const std::exception& e) {
            m.outstanding.erase(name);
            m.save_state();
            throw OqsError(ErrorKind::Io, e.what());
        }
        // RENAME_NOREPLACE fails instead of overwriting and shows up as IN_MOVED_TO to watchers.
        int rc = ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dst.c_str(), RENAME_NOREPLACE);
        int err = errno;
        ::unlink(tmp.c_str());
        if (rc != 0) {
            m.outstanding.erase(name);
            m.save_state();
            if (err == EEXIST) continue;
            throw OqsError(ErrorKind::Io, "cannot place " + dst.string() + ": " + std::strerror(err));
        }
        if (m.running) m.poke();   // its timeout is now the nearest deadline
        return name;
    }
}

}  // namespace onshi::oqs
