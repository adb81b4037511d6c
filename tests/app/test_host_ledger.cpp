// The kiosk host on a PostgreSQL 原簿 (docs/ledger-postgres.md, "Live lists", "When the server is down"): a
// KioskHost without a window against a server of the test's own, driven frame by frame only when the host's
// wake callback fires (no polling), on a clock the test moves.
#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "app/kiosk/host.hpp"
#include "core/ledger/sample.hpp"
#include "core/util/clock.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace onshi;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

namespace {

std::string temp_pg_dir() {
    char d[] = "/tmp/onshi-pg-host-XXXXXX";
    if (!::mkdtemp(d)) throw std::runtime_error("mkdtemp failed");
    return d;
}

struct HostRig {
    test::TempDir dir{"onshi-host-pg"};
    std::string pg_dir = temp_pg_dir();  // its own server: stopping the shared one would cut others
    std::unique_ptr<test::PgServer> server = test::PgServer::start(pg_dir);
    std::string url = server->database("host");
    std::atomic<int64_t> now_ms{util::system_now_ms()};
    std::mutex mu;
    std::condition_variable cv;
    uint64_t wakes = 0;
    std::unique_ptr<kiosk::KioskHost> host;
    kiosk::View view;
    kiosk::FrameOutput out;

    // `role`: the kiosk connects as a role of its own, which the test can shut out (PgServer::url_as).
    explicit HostRig(const std::string& role = "") {
        for (const char* d : {"oqs/req", "oqs/res", "oqs/face", "state", "backup"}) fs::create_directories(dir.path / d);
        {
            auto store = ledger::LedgerStore::open(url);
            auto text = files::read(std::string(ONSHI_SOURCE_DIR) + "/assets/ledger/sample.json");
            REQUIRE(text);
            ledger::import_sample(store, Json::parse(*text), "training");
        }
        config::KioskConfig c;
        c.medical_institution_code = "1312345678";
        c.oqs_root = dir.path / "oqs";
        c.ledger_path = dir.path / "state/ledger.sqlite";  // its folder holds the face-pending spool
        c.ledger_url = role.empty() ? url : server->url_as("host", role);
        c.ledger_retry_max_seconds = 3;
        c.backup_dir = dir.path / "backup";
        host = std::make_unique<kiosk::KioskHost>(
            c,
            [this] {
                std::lock_guard lock(mu);
                ++wakes;
                cv.notify_all();
            },
            [this] { return now_ms.load(); });
    }
    ~HostRig() { host.reset(); }

    void frame() {
        out = {};
        host->before_frame(view, out);
    }
    // Frames as the kiosk's loop runs them: one now, then one after each wake of the host, until `done` or
    // the deadline.
    template <class Pred>
    bool frames_until(Pred done, std::chrono::milliseconds within) {
        const auto deadline = Steady::now() + within;
        for (;;) {
            uint64_t seen;
            {
                std::lock_guard lock(mu);
                seen = wakes;
            }
            frame();
            if (done()) return true;
            std::unique_lock lock(mu);
            if (!cv.wait_until(lock, deadline, [&] { return wakes != seen; })) return false;
        }
    }
    bool listed(const std::string& karte) const {
        for (const auto& r : host->console().state().rows)
            if (r.karte == karte) return true;
        return false;
    }
    std::string today() const { return util::format_local(now_ms.load()).substr(0, 10); }
};

}  // namespace

TEST_CASE("host: a change made at another counter reaches 受付一覧 within 1 s, without a poll") {
    HostRig r;
    r.frame();
    REQUIRE_FALSE(r.listed("20"));
    auto other = ledger::LedgerStore::open(r.url);  // the other counter
    const auto t0 = Steady::now();
    other.receive("20", r.today(), "S01");
    // Frames run only when the host's mailbox wakes the loop: the watcher's NOTIFY is what brings it.
    REQUIRE(r.frames_until([&] { return r.listed("20"); }, std::chrono::milliseconds(1000)));
    CHECK(Steady::now() - t0 < std::chrono::milliseconds(1000));
}

TEST_CASE("host: a change made while the kiosk's watcher was disconnected reaches 受付一覧 once it listens again") {
    HostRig r("kiosk");
    r.frame();
    REQUIRE_FALSE(r.listed("20"));
    r.server->shut_out_listener("host", "kiosk");  // the watcher's connection only: the kiosk's own stays
    r.frame();
    auto other = ledger::LedgerStore::open(r.url);
    other.receive("20", r.today(), "S01");  // unheard: the watcher cannot connect
    r.frame();
    REQUIRE_FALSE(r.listed("20"));
    r.server->let_in("kiosk");
    // No further change: the watcher's report after it listens again is what brings the row.
    CHECK(r.frames_until([&] { return r.listed("20"); }, std::chrono::seconds(3)));
}

TEST_CASE("host: an open 原簿 is read again within 1 s of a change made at another counter") {
    HostRig r;
    r.host->console_intent(console::in::OpenPatient{"20"});
    const auto& page = r.host->console().state().patient;
    REQUIRE(r.frames_until([&] { return page.data && !page.loading; }, std::chrono::seconds(10)));
    const size_t changes = page.data->audit.size();
    REQUIRE(page.data->record.current_card());
    CHECK(page.data->record.current_card()->card_checked_on != r.today());
    auto other = ledger::LedgerStore::open(r.url);
    const auto t0 = Steady::now();
    other.confirm_card("20", "", "S01");  // 保険証確認日 at the other counter: one more change of his
    REQUIRE(r.frames_until([&] { return page.data && page.data->audit.size() == changes + 1; },
                           std::chrono::milliseconds(1000)));
    CHECK(Steady::now() - t0 < std::chrono::milliseconds(1000));
    REQUIRE(page.data->record.current_card());
    CHECK(page.data->record.current_card()->card_checked_on == r.today());
}

TEST_CASE("host: while the server is down it says so, backs off up to retry_max_seconds, and takes the kept face "
          "result in exactly once when it is back") {
    HostRig r;
    r.frame();
    r.server->halt();
    const std::string name = "OQSsiquc01res_face_utf8_20230605093000.xml";
    auto bytes = files::read(std::string(ONSHI_SOURCE_DIR) + "/assets/oqs/fixtures/" + name);
    REQUIRE(bytes);
    files::write_atomic(r.dir.path / "oqs/face" / name, *bytes);
    // The face result cannot be taken in: kept in the spool, the server marked unreachable.
    REQUIRE(r.frames_until([&] { return files::read(r.dir.path / "state/face-pending") == name + "\n"; },
                           std::chrono::seconds(10)));
    CHECK(r.out.wake_at == Approx(1.0));  // the first try after 1 s

    // Each try is a probe off the UI thread; when it fails the wait doubles, capped at 3 s here.
    std::vector<double> waits;
    for (int i = 0; i < 4; ++i) {
        // The first try meets a server that does not answer at all: a socket that takes the connection and
        // never replies (libpq then waits up to its connect_timeout). The frame must not wait with it.
        const fs::path sock = fs::path(r.pg_dir) / ".s.PGSQL.5432";
        int silent = -1;
        if (i == 0) {
            silent = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_un a{};
            a.sun_family = AF_UNIX;
            std::snprintf(a.sun_path, sizeof a.sun_path, "%s", sock.c_str());
            REQUIRE(::bind(silent, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0);
            REQUIRE(::listen(silent, 8) == 0);
        }
        r.now_ms += int64_t(r.out.wake_at * 1000);
        const auto t = Steady::now();
        r.frame();  // the try is due: the probe goes to its worker, the frame does not wait for it
        CHECK(Steady::now() - t < std::chrono::milliseconds(200));
        CHECK(r.view.devices.problem == text::Msg::LedgerServerUnreachable);
        if (silent >= 0) {  // gone: the waiting probe's connection is reset, and it fails
            ::close(silent);
            fs::remove(sock);
        }
        REQUIRE(r.frames_until([&] { return r.out.wake_at > 0; }, std::chrono::seconds(10)));
        waits.push_back(r.out.wake_at);
    }
    CHECK(waits == std::vector<double>{2.0, 3.0, 3.0, 3.0});
    CHECK(files::read(r.dir.path / "state/face-pending") == name + "\n");
    r.server->resume();
    // Back: the next try's probe answers, then the kept file goes in (a first statement on the kiosk's own
    // dropped connection may fail once more: the clock moves on to the try after).
    bool back = false;
    for (int round = 0; round < 10 && !back; ++round) {
        if (r.out.wake_at > 0) r.now_ms += int64_t(r.out.wake_at * 1000);
        REQUIRE(r.frames_until(
            [&] {
                back = files::read(r.dir.path / "state/face-pending") == std::string();
                return back || r.out.wake_at > 0;
            },
            std::chrono::seconds(10)));
    }
    REQUIRE(back);
    r.now_ms += 1000;
    r.frame();
    CHECK(r.view.devices.problem != text::Msg::LedgerServerUnreachable);
    auto store = ledger::LedgerStore::open(r.url);
    const auto intake = store.intake_list();
    REQUIRE(intake.size() == 1);
    CHECK(intake[0].file == name);
    // Exactly once: more tries find nothing kept.
    r.now_ms += 5000;
    r.frame();
    CHECK(store.intake_list().size() == 1);
}
