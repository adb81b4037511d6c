#include "core/oqs/transport.hpp"

#include <fcntl.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>

#include "core/oqs/inbox.hpp"
#include "core/oqs/matcher.hpp"
#include "core/util/clock.hpp"
#include "core/util/files.hpp"
#include "core/util/inotify_loop.hpp"
#include "core/util/log.hpp"

namespace onshi::oqs {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string today() { return util::format_local_compact(util::system_now_ms()).substr(0, 8); }

std::string random_afi() {
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::random_device rd;
    std::string s;
    for (int i = 0; i < 20; ++i) s += digits[rd() % 62];
    return s;
}

}  // namespace

std::string counterpart_name(const std::string& n) {
    // OQS (or YZK/TKK, the medical-information answers) + 5 letters + 2 digits, then req|res at offset 10.
    if (n.size() < 14 || (n.compare(0, 3, "OQS") != 0 && n.compare(0, 3, "YZK") != 0 && n.compare(0, 3, "TKK") != 0))
        return {};
    std::string part = n.substr(10, 3);
    if (part != "req" && part != "res") return {};
    std::string c = n;
    c.replace(10, 3, part == "req" ? "res" : "req");
    return c;
}

// Threads: the caller's (submit, outstanding) and the worker's (everything the inbox finds, timers).
// `mu` guards `state` and `version` only; no file is read or written while it is held.
struct OqsFolderTransport::Impl {
    TransportOptions opt;
    EventSink sink;
    fs::path req_dir, res_dir, face_dir;
    StateFile state_file;

    mutable std::mutex mu;
    TransportState state;
    uint64_t version = 0;

    // Worker only.
    Inbox inbox;
    std::map<std::string, Clock::time_point> bounced;  // request → when its copy came back without .err
    InotifyLoop loop{"oqs"};

    explicit Impl(TransportOptions o)
        : opt(std::move(o)),
          req_dir(opt.root / "req"),
          res_dir(opt.root / "res"),
          face_dir(opt.root / "face"),
          state_file(opt.state_file),
          inbox(res_dir, face_dir, InboxOptions{opt.settle, opt.give_up, opt.decode}) {}

    // Takes a snapshot under the lock (the caller holds it) to be written after unlocking.
    std::pair<TransportState, uint64_t> snapshot() const { return {state, version}; }
    void save(const std::pair<TransportState, uint64_t>& snap) {
        try {
            state_file.save(snap.first, snap.second);
        } catch (const std::exception& e) {
            log::error("oqs", std::string("cannot write the state file: ") + e.what());
        }
    }

    // Hands the event on, then records what it means. Not delivered (the sink threw) → nothing recorded:
    // the request stays outstanding and its file is taken in again after a restart.
    void deliver(Outcome o) {
        if (o.event) {
            try {
                sink(*o.event);
            } catch (const std::exception& ex) {
                log::error("oqs",
                           std::string("event sink threw; ") + o.event->file + " stays unanswered: " + ex.what());
                return;
            }
        }
        if (!o.finish.empty()) bounced.erase(o.finish);
        if (!o.bounced.empty() && !bounced.count(o.bounced)) bounced[o.bounced] = Clock::now();
        if (o.finish.empty() && o.face_seen.empty() && o.timed_out.empty()) return;
        std::pair<TransportState, uint64_t> snap;
        {
            std::lock_guard lk(mu);
            if (!o.finish.empty() && state.outstanding.count(o.finish)) state.finish(o.finish);
            if (!o.face_seen.empty()) state.face_seen.insert(o.face_seen);
            if (!o.timed_out.empty()) {
                auto it = state.outstanding.find(o.timed_out);
                if (it != state.outstanding.end()) it->second.timed_out = true;
            }
            ++version;
            snap = snapshot();
        }
        save(snap);
    }

    void take(const Inbox::Due& d) {
        try {
            if (!inbox.settled(d)) return;
            Outcome o;
            matcher::Claim c;
            {
                std::lock_guard lk(mu);
                c = matcher::claim(state, d.face, d.name, d.quiet, o);
            }
            if (c == matcher::Claim::Ignore) {
                inbox.drop(d.key);
                return;
            }
            if (c == matcher::Claim::Read) {
                auto a = inbox.read(d);  // outside the lock: bounded, never blocks
                if (!a) return;          // not complete yet; looked at again later
                std::lock_guard lk(mu);
                o = matcher::resolve(state, std::move(*a));
            }
            inbox.drop(d.key);
            deliver(std::move(o));
        } catch (const std::exception& ex) {
            // Whatever went wrong with this one file: its request hears of it, the worker goes on.
            inbox.drop(d.key);
            Outcome o;
            {
                std::lock_guard lk(mu);
                o = matcher::failed(state, d.face, d.name, d.name + " could not be handled: " + ex.what());
            }
            deliver(std::move(o));
        }
    }

    void check_timers() {
        auto now = Clock::now();
        std::vector<Outcome> due;
        {
            std::lock_guard lk(mu);
            for (const auto& [request, since] : bounced) {
                if (now - since < opt.give_up || !state.outstanding.count(request)) continue;
                Outcome o;
                OqsEvent e;
                e.type = OqsEvent::Type::Failed;
                e.request = e.file = request;
                e.error_kind = ErrorKind::Rejected;
                e.error = "the terminal returned " + request + " into res/ without an answer";
                o.event = e;
                o.finish = request;
                due.push_back(std::move(o));
            }
            long long ms = now_ms();
            for (const auto& [n, r] : state.outstanding) {
                if (r.timed_out || ms - r.submitted_ms < opt.timeout.count()) continue;
                Outcome o;
                OqsEvent e;
                e.type = OqsEvent::Type::TimedOut;
                e.request = n;
                e.error = "no answer to " + n + " after " + std::to_string(opt.timeout.count()) +
                          " ms; it stays registered and a late answer is still recorded (never re-sent)";
                o.event = e;
                o.timed_out = n;
                due.push_back(std::move(o));
            }
        }
        std::erase_if(bounced, [&](const auto& b) { return now - b.second >= opt.give_up; });
        for (auto& o : due) deliver(std::move(o));
    }

    int next_timeout_ms() {
        long long best = 60000;
        if (long long in = inbox.ms_to_next(); in >= 0) best = std::min(best, in);
        auto now = Clock::now();
        for (const auto& [n, t] : bounced)
            best = std::min<long long>(
                best, std::chrono::duration_cast<std::chrono::milliseconds>(t + opt.give_up - now).count());
        {
            std::lock_guard lk(mu);
            long long ms = now_ms();
            for (const auto& [n, r] : state.outstanding)
                if (!r.timed_out) best = std::min(best, r.submitted_ms + opt.timeout.count() - ms);
        }
        return int(std::max<long long>(best, 0) + (best > 0 ? 1 : 0));
    }

    int step(const std::vector<InotifyLoop::Change>& changes) {
        for (const auto& c : changes) {
            if (c.overflow)
                inbox.rescan();
            else
                inbox.note(c.folder == 1, c.name, c.complete());
        }
        for (const auto& d : inbox.due()) {
            if (loop.stopping()) return 0;
            take(d);
        }
        check_timers();
        return next_timeout_ms();
    }
};

OqsFolderTransport::OqsFolderTransport(TransportOptions opt, EventSink sink) {
    if (opt.state_file.empty()) throw OqsError(ErrorKind::Usage, "the transport needs a state file");
    impl_ = std::make_unique<Impl>(std::move(opt));
    impl_->sink = std::move(sink);
}

OqsFolderTransport::~OqsFolderTransport() { stop(); }

void OqsFolderTransport::start() {
    Impl& m = *impl_;
    if (m.loop.running()) return;
    for (const auto& d : {m.req_dir, m.res_dir, m.face_dir})
        if (!fs::is_directory(d)) throw OqsError(ErrorKind::Io, "no folder " + d.string());
    std::optional<TransportState> loaded = m.state_file.load();
    // Face files from before our first run belong to the past (and to other systems): baseline them.
    std::error_code ec;
    std::set<std::string> present;
    for (const auto& e : fs::directory_iterator(m.face_dir, ec)) present.insert(e.path().filename().string());
    std::pair<TransportState, uint64_t> snap;
    {
        std::lock_guard lk(m.mu);
        // Requests submitted before start() (none in the kiosk) are kept.
        auto submitted = std::move(m.state.outstanding);
        if (loaded) m.state = std::move(*loaded);
        m.state.outstanding.merge(submitted);
        if (!loaded) m.state.face_seen = present;
        std::erase_if(m.state.face_seen, [&](const std::string& n) { return !present.count(n); });
        ++m.version;
        snap = m.snapshot();
    }
    m.state_file.save(snap.first, snap.second);  // a state file we cannot write is a start-up error
    m.inbox.rescan();                            // answers and face files that arrived while we were stopped
    try {
        m.loop.start({m.res_dir, m.face_dir}, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY,
                     [&m](const std::vector<InotifyLoop::Change>& c) { return m.step(c); });
    } catch (const std::exception& e) {
        throw OqsError(ErrorKind::Io, std::string("cannot watch the OQS folders: ") + e.what());
    }
}

void OqsFolderTransport::stop() { impl_->loop.stop(); }

std::vector<OutstandingRequest> OqsFolderTransport::outstanding() const {
    std::lock_guard lk(impl_->mu);
    std::vector<OutstandingRequest> v;
    for (const auto& [n, r] : impl_->state.outstanding) v.push_back(r);
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
    std::string bytes = serialize(req, m.opt.request_encoding);  // throws before anything is written

    auto forget = [&](const std::string& name) {
        std::pair<TransportState, uint64_t> snap;
        {
            std::lock_guard lk(m.mu);
            m.state.outstanding.erase(name);
            ++m.version;
            snap = m.snapshot();
        }
        m.save(snap);
    };
    for (;;) {
        std::string name;
        {
            std::lock_guard lk(m.mu);
            std::string day = today();
            if (day != m.state.seq_day) {
                m.state.seq_day = day;
                m.state.seq = 0;
            }
            if (++m.state.seq > 9999) throw OqsError(ErrorKind::Io, "more than 9999 requests today");
            char suffix[16];
            std::snprintf(suffix, sizeof suffix, "%04d", m.state.seq);
            name = std::string(kind_name(req.kind)) + "_" + day + suffix + ".xml";
            if (m.state.outstanding.count(name) || m.state.was_answered(name)) continue;
            OutstandingRequest r;  // reserved now, remembered on disk before the file exists
            r.name = name;
            r.kind = req.kind;
            r.medical_institution_code = mic;
            r.arbitrary_file_identifier = req.header.arbitrary_file_identifier.value_or("");
            r.reception_number = req.body.reception_number.value_or("");
            r.submitted_ms = now_ms();
            m.state.outstanding[name] = r;
        }
        // Never reuse a name whose request or answer still exists.
        std::error_code ec;
        if (fs::exists(m.req_dir / name, ec) || fs::exists(m.res_dir / counterpart_name(name), ec) ||
            fs::exists(m.res_dir / name, ec)) {
            forget(name);
            continue;
        }
        std::pair<TransportState, uint64_t> snap;
        {
            std::lock_guard lk(m.mu);
            ++m.version;
            snap = m.snapshot();
        }
        try {
            m.state_file.save(snap.first, snap.second);  // an answer to a request we forgot would be lost
        } catch (const std::exception& e) {
            forget(name);
            throw OqsError(ErrorKind::Io, std::string("cannot write the state file: ") + e.what());
        }
        fs::path tmp = m.req_dir / ("." + name + ".part");
        fs::path dst = m.req_dir / name;
        try {
            files::write_atomic(tmp, bytes, 0600);
        } catch (const std::exception& e) {
            forget(name);
            throw OqsError(ErrorKind::Io, e.what());
        }
        // RENAME_NOREPLACE fails instead of overwriting and shows up as IN_MOVED_TO to watchers.
        int rc = ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dst.c_str(), RENAME_NOREPLACE);
        int err = errno;
        ::unlink(tmp.c_str());
        if (rc != 0) {
            forget(name);
            if (err == EEXIST) continue;
            throw OqsError(ErrorKind::Io, "cannot place " + dst.string() + ": " + std::strerror(err));
        }
        m.loop.poke();  // its timeout is now the nearest deadline
        return name;
    }
}

}  // namespace onshi::oqs
