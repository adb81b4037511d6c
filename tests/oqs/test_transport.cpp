// The folder transport against real folders in a temp dir, with the simulator on the other side.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <set>
#include <thread>

#include "core/oqs/gateway.hpp"
#include "core/oqs/simulator.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"

using namespace onshi::oqs;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string kMic = "1312345678";

struct Rig {
    fs::path dir;
    EventWaiter queue;
    std::unique_ptr<FolderGateway> gw;
    std::unique_ptr<OqsSimulator> sim;

    explicit Rig(bool with_simulator = true, std::chrono::milliseconds timeout = 3000ms) {
        std::random_device rd;
        dir = fs::temp_directory_path() / ("onshi-oqs-test-" + std::to_string(rd()));
        for (const char* d : {"req", "res", "face"}) fs::create_directories(dir / "oqs" / d);
        onshi::Json data =
            onshi::Json::parse(*onshi::files::read(std::string(ONSHI_SOURCE_DIR) + "/assets/oqs/people.json"));
        onshi::files::write_atomic(dir / "people.json", data.dump());
        if (with_simulator) {
            SimulatorOptions so;
            so.root = dir / "oqs";
            so.data_file = dir / "people.json";
            so.control_file = dir / "control.json";
            so.latency = 50ms;
            sim = std::make_unique<OqsSimulator>(so);
            sim->start();
        }
        open(timeout);
    }
    void open(std::chrono::milliseconds timeout = 3000ms) {
        TransportOptions o;
        o.root = dir / "oqs";
        o.state_file = dir / "state.json";
        o.timeout = timeout;
        o.settle = 50ms;
        o.give_up = 400ms;
        gw = std::make_unique<FolderGateway>(o, kMic, queue.sink());
        gw->transport().start();
    }
    ~Rig() {
        gw.reset();
        sim.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    void fault(const std::string& f, const std::string& latency_ms = "50") {
        onshi::files::write_atomic(dir / "control.json", onshi::Json{{"fault", f}, {"latency_ms", latency_ms}}.dump());
    }
    OqsEvent next(std::chrono::milliseconds t = 3000ms) {
        auto e = queue.wait(t);
        REQUIRE(e);
        return *e;
    }
    bool quiet(std::chrono::milliseconds t = 300ms) { return !queue.wait(t); }
    size_t count(const char* sub) {
        size_t n = 0;
        for (const auto& e : fs::directory_iterator(dir / "oqs" / sub)) (void)e, ++n;
        return n;
    }
};

template <class F>
bool eventually(F f, std::chrono::milliseconds t = 2000ms) {
    auto until = std::chrono::steady_clock::now() + t;
    while (!f()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

QualificationQuery goro() {
    QualificationQuery q;
    q.insurer_number = "133033";
    q.symbol = "葛う10";
    q.number = "1639960291x005";
    q.branch = "01";
    q.birthdate = {1990, 1, 1};
    q.confirmation_date = {2023, 6, 5};
    return q;
}

QualificationQuery ichiro_old_card() {
    QualificationQuery q;
    q.insurer_number = "139980";
    q.symbol = "萩う10";
    q.number = "1639960291x001";
    q.branch = "01";
    q.birthdate = {1960, 6, 2};
    q.confirmation_date = {2021, 8, 17};
    return q;
}

}  // namespace

TEST_CASE("a 資格確認 goes through req/ and res/ and comes back 有効", "[oqs][transport]") {
    Rig r;
    std::string name = r.gw->submit(goro());
    CHECK(name.rfind("OQSsiquc01req_", 0) == 0);
    CHECK(name.size() == std::string("OQSsiquc01req_").size() + 12 + 4);
    OqsEvent e = r.next();
    CHECK(e.type == OqsEvent::Type::Answer);
    CHECK(e.request == name);
    REQUIRE(e.result);
    CHECK(e.result->label() == "有効");
    CHECK(e.result->records.at(0).name == "資格 五郎");
    // Marked answered right after the event was handed on (never before).
    CHECK(eventually([&] { return r.gw->transport().outstanding().empty(); }));
    CHECK(r.count("req") == 0);  // no temp file left behind

    // 資格 一郎 shows his old card after the 切替日: 無効（新しい資格あり） with the new insurer.
    r.gw->submit(ichiro_old_card());
    OqsEvent e2 = r.next();
    REQUIRE(e2.result);
    CHECK(e2.result->label() == "無効（新しい資格あり）");
    CHECK(e2.result->records.at(0).insurer_number == "  133033");
}

TEST_CASE("the simulated face-auth reader writes the face result with the patient's consents", "[oqs][transport]") {
    Rig r;
    ReaderReception rr;
    rr.person_id = "shikaku-goro";
    rr.consents.pharmacists = true;
    rr.consents.diagnosis = false;
    rr.consents.limit_application = true;
    rr.date = "20230605";
    const std::string file = r.sim->face_reception(rr);
    CHECK(file.rfind("OQSsiquc01res_face_" + kMic, 0) == 0);
    OqsEvent e = r.next();
    CHECK(e.type == OqsEvent::Type::FaceResult);  // no request asked for it
    CHECK(e.request.empty());
    CHECK(e.file == file);
    REQUIRE(e.result);
    CHECK(e.result->status == Status::Valid);
    REQUIRE(e.message);
    CHECK(e.message->header.reference_classification == "1");
    CHECK_FALSE(e.message->header.arbitrary_file_identifier.value_or("").empty());
    const auto& rec = e.result->records.at(0);
    CHECK(rec.name == "資格 五郎");
    CHECK(rec.birthdate == "19900101");
    CHECK(rec.pharmacists.flag == "1");
    CHECK(rec.pharmacists.available_until.has_value());
    CHECK(rec.diagnosis.flag == "0");
    CHECK_FALSE(rec.diagnosis.available_until.has_value());
    CHECK(rec.limit_application_consent.flag == "1");
    CHECK_FALSE(rec.operation.flag.has_value());  // not asked
    CHECK(r.count("face") == 1);                  // face files are never deleted
    CHECK(r.count("req") == 0);                   // nothing was asked through req/

    ReaderReception unknown;  // a card OQS does not know
    r.sim->face_reception(unknown);
    OqsEvent u = r.next();
    REQUIRE(u.result);
    CHECK(u.result->label() == "該当資格なし");
    CHECK(u.result->records.empty());

    r.fault("status2");  // the control file's fault applies to the reader too
    rr.fault.clear();
    r.sim->face_reception(rr);
    OqsEvent f = r.next();
    REQUIRE(f.result);
    CHECK(f.result->status == Status::Error);
}

TEST_CASE("the simulated terminal answers only documented requests", "[oqs][transport]") {
    Rig r(true);
    // A request of a shape no real terminal knows (as a card query of the kiosk's own would be): no real
    // terminal answers it, and neither does this one.
    const std::string name = "OQSsizzz01req_202306050001.xml";
    onshi::files::write_atomic(
        r.dir / "request.tmp",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader><MedicalInstitutionCode>" + kMic +
            "</MedicalInstitutionCode></MessageHeader><MessageBody/></XmlMsg>");
    fs::rename(r.dir / "request.tmp", r.dir / "oqs/req" / name);  // as a request is written: renamed in
    CHECK(eventually([&] { return fs::exists(r.dir / "oqs/res/OQSsizzz01req_202306050001.err"); }, 3000ms));
    CHECK(r.count("face") == 0);
    CHECK_FALSE(kind_from_file_name(name).has_value());
}

TEST_CASE("simulated terminal faults end in clear results or errors", "[oqs][transport][faults]") {
    Rig r;
    SECTION(".err") {
        r.fault("err");
        std::string name = r.gw->submit(goro());
        OqsEvent e = r.next();
        CHECK(e.type == OqsEvent::Type::Failed);
        CHECK(e.request == name);
        CHECK(e.error_kind == ErrorKind::Rejected);
        CHECK(e.error.find("E0001") != std::string::npos);
        CHECK(r.quiet());  // the bounced copy does not produce a second event
    }
    SECTION("malformed and truncated answers") {
        for (const char* f : {"malformed", "truncated"}) {
            r.fault(f);
            r.gw->submit(goro());
            OqsEvent e = r.next();
            CHECK(e.type == OqsEvent::Type::Failed);
            CHECK(e.error_kind == ErrorKind::Malformed);
            CHECK_FALSE(e.result);
        }
    }
    SECTION("SegmentOfResult 9 and ProcessingResultStatus 2") {
        r.fault("segment9");
        r.gw->submit(goro());
        OqsEvent e = r.next();
        REQUIRE(e.result);
        CHECK(e.result->label() == "エラー【ErrorCode:EQS9999E】");
        r.fault("status2");
        r.gw->submit(goro());
        OqsEvent e2 = r.next();
        REQUIRE(e2.result);
        CHECK(e2.result->label() == "エラー【処理結果状況:2】【処理結果コード:EQS1002E】");
    }
    SECTION("validities 2 to 6") {
        const char* labels[] = {"無効", "無効（新しい資格あり）", "該当資格なし", "複数該当", "有効（未登録）"};
        for (int v = 2; v <= 6; ++v) {
            r.fault("validity:" + std::to_string(v));
            r.gw->submit(goro());
            OqsEvent e = r.next();
            REQUIRE(e.result);
            CHECK(e.result->label() == labels[v - 2]);
        }
    }
    SECTION("AFI mismatch") {
        r.fault("afi_mismatch");
        r.gw->submit(goro());
        OqsEvent e = r.next();
        CHECK(e.type == OqsEvent::Type::Failed);
        CHECK(e.error_kind == ErrorKind::Mismatch);
        CHECK(e.error.find("ArbitraryFileIdentifier") != std::string::npos);
    }
    SECTION("duplicate answer") {
        // The same answer lands a second time after the first was taken in (written here, once the first
        // event is out: two writes in quick succession may be read as one, which is harmless).
        r.gw->submit(goro());
        OqsEvent a = r.next();
        REQUIRE(a.type == OqsEvent::Type::Answer);
        const auto bytes = onshi::files::read(r.dir / "oqs/res" / a.file);
        REQUIRE(bytes);
        onshi::files::write_atomic(r.dir / "oqs/res" / ("." + a.file + ".dup"), *bytes);
        fs::rename(r.dir / "oqs/res" / ("." + a.file + ".dup"), r.dir / "oqs/res" / a.file);
        OqsEvent d = r.next();
        CHECK(d.type == OqsEvent::Type::Failed);
        CHECK(d.error.find("duplicate") != std::string::npos);
    }
}

TEST_CASE("a late answer is recorded and the request never re-sent", "[oqs][transport][faults]") {
    Rig r(true, 150ms);
    r.fault("", "600");
    std::string name = r.gw->submit(goro());
    OqsEvent t = r.next();
    INFO(t.error << " " << t.file);
    CHECK(t.type == OqsEvent::Type::TimedOut);
    CHECK(r.gw->transport().outstanding().size() == 1);
    CHECK(r.count("req") == 0);  // not re-sent
    OqsEvent late = r.next();
    CHECK(late.type == OqsEvent::Type::Answer);
    CHECK(late.late);
    CHECK(late.request == name);
}

TEST_CASE("restarts keep outstanding requests and never reprocess face files", "[oqs][transport]") {
    Rig r(false);
    std::string name = r.gw->submit(goro());
    r.gw.reset();  // the kiosk stops; the answer arrives while it is down
    Message answer;
    answer.kind = MessageKind::Siquc01Res;
    answer.header.medical_institution_code = kMic;
    auto state = onshi::Json::parse(*onshi::files::read(r.dir / "state.json"));
    answer.header.arbitrary_file_identifier = state["outstanding"][0]["arbitrary_file_identifier"].get<std::string>();
    answer.body.processing_result_status = "1";
    answer.body.qualification_validity = "1";
    onshi::files::write_atomic(r.dir / "oqs/res" / counterpart_name(name), serialize(answer, Encoding::ShiftJis));
    Message face = answer;
    face.kind = MessageKind::Face;
    face.header.arbitrary_file_identifier = "someone-else";
    onshi::files::write_atomic(r.dir / "oqs/face/OQSsiquc01res_face_x_20230605093000.xml",
                               serialize(face, Encoding::Utf8));
    r.open();
    std::set<OqsEvent::Type> got;
    for (int i = 0; i < 2; ++i) got.insert(r.next().type);
    CHECK(got == std::set<OqsEvent::Type>{OqsEvent::Type::Answer, OqsEvent::Type::FaceResult});
    r.gw.reset();
    r.open();
    CHECK(r.quiet());
    CHECK(fs::exists(r.dir / "oqs/face/OQSsiquc01res_face_x_20230605093000.xml"));
}

TEST_CASE("files written in place, a 100 MB answer and a broken face file", "[oqs][transport][faults]") {
    Rig r(false);
    Message answer;
    answer.kind = MessageKind::Siquc01Res;
    answer.header.medical_institution_code = kMic;
    answer.body.processing_result_status = "1";
    answer.body.qualification_validity = "1";
    auto afi_of = [&](const std::string&) {
        auto state = onshi::Json::parse(*onshi::files::read(r.dir / "state.json"));
        return state["outstanding"][0]["arbitrary_file_identifier"].get<std::string>();
    };
    SECTION("seen before the writer is done") {
        std::string name = r.gw->submit(goro());
        answer.header.arbitrary_file_identifier = afi_of(name);
        std::string bytes = serialize(answer, Encoding::Utf8);
        {
            std::ofstream out(r.dir / "oqs/res" / counterpart_name(name), std::ios::binary);
            out << bytes.substr(0, bytes.size() / 2) << std::flush;
            std::this_thread::sleep_for(200ms);  // the transport sees half a file
            out << bytes.substr(bytes.size() / 2);
        }
        OqsEvent e = r.next();
        CHECK(e.type == OqsEvent::Type::Answer);
        REQUIRE(e.result);
        CHECK(e.result->status == Status::Valid);
        CHECK(r.count("req") == 1);
    }
    SECTION("a 100 MB file is refused without reading it") {
        std::string name = r.gw->submit(goro());
        fs::path big = r.dir / "oqs/res" / counterpart_name(name);
        {
            std::ofstream out(big, std::ios::binary);
            std::string chunk(1 << 20, 'x');
            for (int i = 0; i < 100; ++i) out << chunk;
        }
        OqsEvent e = r.next();
        CHECK(e.type == OqsEvent::Type::Failed);
        CHECK(e.error_kind == ErrorKind::TooLarge);
        CHECK(r.count("req") == 1);  // only the request itself: nothing else was written
    }
    SECTION("a face file that never becomes XML") {
        onshi::files::write_atomic(r.dir / "oqs/face/OQSsiquc01res_face_y_20230605093000.xml", "<XmlMsg><Mess");
        OqsEvent e = r.next();
        CHECK(e.type == OqsEvent::Type::Failed);
        CHECK(e.error_kind == ErrorKind::Malformed);
        r.gw.reset();
        r.open();
        CHECK(r.quiet());  // reported once, not on every start
        CHECK(r.count("req") == 0);
    }
}

TEST_CASE("bulk query, 照会番号 registration and the 訪問診療 consent list", "[oqs][transport]") {
    Rig r;
    auto submit = [&](Message m) {
        m.header.medical_institution_code = kMic;
        m.header.qualification_confirmation_date = "20230605";
        std::string n = r.gw->transport().submit(m);
        OqsEvent e = r.next();
        REQUIRE(e.type == OqsEvent::Type::Answer);
        CHECK(e.request == n);
        return *e.message;
    };
    Message bulk;
    bulk.kind = MessageKind::Muquc01Req;
    bulk.body.search.push_back(make_request(goro(), kMic).body.search[0]);
    bulk.body.search.push_back(make_request(ichiro_old_card(), kMic).body.search[0]);
    Message accepted = submit(bulk);
    REQUIRE(accepted.body.reception_number);
    Message poll;
    poll.kind = MessageKind::Muquc02Req;
    poll.body.reception_number = accepted.body.reception_number;
    Message first = submit(poll);
    CHECK(first.header.segment_of_result == "2");  // still processing: poll again
    Message done = submit(poll);
    REQUIRE(done.body.units.size() == 2);
    CHECK(qualification_result(done, done.body.units[0]).label() == "有効");
    CHECK(qualification_result(done, done.body.units[1]).label() == "無効（新しい資格あり）");

    Message reg;
    reg.kind = MessageKind::Siimm01Req;
    reg.body.registration = ReferenceRegistration{"14", "  133033", "葛う10", "1639960291x005", "01", {}};
    CHECK(submit(reg).body.processing_result_status == "1");
    r.gw->submit(goro());
    OqsEvent e = r.next();
    REQUIRE(e.result);
    CHECK(e.result->records.at(0).reference_number == "14");

    Message hv;
    hv.kind = MessageKind::Muhvq01Req;
    SearchInfo s;
    s.consent_date_from = "20230601";
    s.consent_date_to = "20230630";
    s.medical_treatment_flag = "2";
    hv.body.search = {s};
    Message hv1 = submit(hv);
    Message hvpoll;
    hvpoll.kind = MessageKind::Muhvq02Req;
    hvpoll.body.reception_number = hv1.body.reception_number;
    submit(hvpoll);
    Message list = submit(hvpoll);
    REQUIRE(list.body.units.size() == 2);  // 資格 七夫 and 扶助 四郎
    CHECK(qualification_result(list, list.body.units[1]).label() == "有効（未登録）");
}

TEST_CASE("a request with text Shift_JIS cannot carry writes nothing", "[oqs][transport]") {
    Rig r(false);
    TransportOptions o;
    o.root = r.dir / "oqs";
    o.state_file = r.dir / "state2.json";
    o.request_encoding = Encoding::ShiftJis;
    OqsFolderTransport t(o, [](const OqsEvent&) {});
    t.start();
    Message m = make_request(goro(), kMic);
    m.body.search[0].insured_card_symbol = "𠮷10";
    CHECK_THROWS_AS(t.submit(m), OqsError);
    CHECK(r.count("req") == 0);
    CHECK(t.outstanding().empty());
}

// ---- files the kiosk reads from the terminal: hostile shapes ------------------------------------------

namespace {

// A well-formed answer to the one outstanding request (its AFI read from the state file).
std::string answer_bytes(Rig& r) {
    Message answer;
    answer.kind = MessageKind::Siquc01Res;
    answer.header.medical_institution_code = kMic;
    auto state = onshi::Json::parse(*onshi::files::read(r.dir / "state.json"));
    answer.header.arbitrary_file_identifier = state["outstanding"][0]["arbitrary_file_identifier"].get<std::string>();
    answer.body.processing_result_status = "1";
    answer.body.qualification_validity = "1";
    return serialize(answer, Encoding::Utf8);
}

unsigned mode_of(const fs::path& p) { return unsigned(fs::status(p).permissions() & fs::perms::mask); }

}  // namespace

TEST_CASE("a .err symlink is refused without reading its target", "[oqs][transport][hostile]") {
    Rig r(false);
    std::string name = r.gw->submit(goro());
    onshi::files::write_atomic(r.dir / "secret.txt", "TOPSECRET patient list: 資格 五郎 1990-01-01\n");
    fs::create_symlink(r.dir / "secret.txt", r.dir / "oqs/res" / (name.substr(0, name.size() - 4) + ".err"));
    OqsEvent e = r.next();
    CHECK(e.type == OqsEvent::Type::Failed);
    CHECK(e.request == name);
    CHECK(e.error.find("symbolic link") != std::string::npos);
    CHECK(e.error.find("TOPSECRET") == std::string::npos);
    CHECK(e.error.find("資格") == std::string::npos);
    CHECK(eventually([&] { return r.gw->transport().outstanding().empty(); }));
}

TEST_CASE("an answer that is a symlink is refused and not followed", "[oqs][transport][hostile]") {
    Rig r(false);
    std::string name = r.gw->submit(goro());
    onshi::files::write_atomic(r.dir / "elsewhere.xml", answer_bytes(r));
    fs::create_symlink(r.dir / "elsewhere.xml", r.dir / "oqs/res" / counterpart_name(name));
    OqsEvent e = r.next();
    CHECK(e.type == OqsEvent::Type::Failed);
    CHECK(e.request == name);
    CHECK_FALSE(e.result);
    CHECK(e.error.find("symbolic link") != std::string::npos);
}

TEST_CASE("an answer flipping between a file or a FIFO or /dev/zero never blocks the worker",
          "[oqs][transport][hostile]") {
    Rig r(false);
    std::string name = r.gw->submit(goro());
    // Half an answer: it never parses, so the request stays open and every flip makes the transport look again.
    std::string half = answer_bytes(r);
    onshi::files::write_atomic(r.dir / "real.xml", half.substr(0, half.size() / 2));
    fs::path fifo = r.dir / "fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    fs::path link = r.dir / "oqs/res" / counterpart_name(name);
    // Swap the symlink's target as fast as possible: whoever stats and then opens by path loses the race.
    std::atomic<bool> flipping{true};
    std::thread flipper([&] {
        const fs::path targets[] = {r.dir / "real.xml", fifo, "/dev/zero"};
        for (int i = 0; flipping; ++i) {
            fs::path tmp = r.dir / "oqs/res" / ".flip";
            std::error_code ec;
            fs::remove(tmp, ec);
            fs::create_symlink(targets[i % 3], tmp, ec);
            fs::rename(tmp, link, ec);
        }
    });
    std::this_thread::sleep_for(2000ms);
    flipping = false;
    flipper.join();
    auto stopped = std::async(std::launch::async, [&] { r.gw->transport().stop(); });
    bool prompt = stopped.wait_for(2s) == std::future_status::ready;
    if (!prompt) {  // the worker is stuck in open() on the FIFO: release it so the test can end
        int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0) ::close(fd);
    }
    stopped.wait();
    CHECK(prompt);
    // Every look at the answer was refused as a symlink; none of it was taken in as an answer.
    while (auto e = r.queue.wait(0ms)) CHECK(e->type != OqsEvent::Type::Answer);
}

TEST_CASE("request files and the state file are private (0600)", "[oqs][transport][hostile]") {
    Rig r(false);
    ::umask(022);  // the usual umask: 0644 unless the writer asks for less
    std::string name = r.gw->submit(goro());
    CHECK(mode_of(r.dir / "oqs/req" / name) == 0600);  // insurer number, card number, birth date
    CHECK(mode_of(r.dir / "state.json") == 0600);
}

TEST_CASE("an answer is delivered even when the state file cannot be written", "[oqs][transport][hostile]") {
    Rig r(false);
    std::string name = r.gw->submit(goro());
    std::string bytes = answer_bytes(r);
    // The state file turns into a folder: every save now fails.
    fs::remove(r.dir / "state.json");
    fs::create_directory(r.dir / "state.json");
    onshi::files::write_atomic(r.dir / "oqs/res" / counterpart_name(name), bytes);
    OqsEvent e = r.next();
    CHECK(e.type == OqsEvent::Type::Answer);
    CHECK(e.request == name);
    REQUIRE(e.result);
    CHECK(e.result->status == Status::Valid);
}

TEST_CASE("a face file with a non-ASCII name is ignored and later answers still arrive", "[oqs][transport][hostile]") {
    Rig r(false);
    Message face;
    face.kind = MessageKind::Face;
    face.header.medical_institution_code = kMic;
    face.body.processing_result_status = "1";
    face.body.qualification_validity = "1";
    onshi::files::write_atomic(r.dir / "oqs/face/OQSsiquc01res_face_\xff\xfe_20230605093000.xml",
                               serialize(face, Encoding::Utf8));
    std::this_thread::sleep_for(200ms);
    std::string name = r.gw->submit(goro());
    onshi::files::write_atomic(r.dir / "oqs/res" / counterpart_name(name), answer_bytes(r));
    OqsEvent e = r.next();
    CHECK(e.type == OqsEvent::Type::Answer);
    CHECK(e.request == name);
    CHECK(r.quiet());
}
