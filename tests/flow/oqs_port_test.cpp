// OqsPort: face/ files cross to the owner's thread through its Mailbox — first to the intake hook, then, when
// readable, to the visit as in::FaceResult; answers to 単件照会 are no visit's business; nothing thrown while
// translating or delivering reaches the owner's loop.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/flow/oqs_port.hpp"
#include "core/oqs/error.hpp"
#include "core/oqs/simulator.hpp"
#include "tests/support/temp_dir.hpp"

using namespace onshi;
using namespace onshi::oqs;
using onshi::flow::OqsPort;
using namespace std::chrono_literals;

namespace {

const std::string kMic = "1312345678";

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

OqsEvent face_event(const std::string& name) {
    OqsEvent e;
    e.type = OqsEvent::Type::FaceResult;
    e.file = "OQSsiquc01res_face_1312345678aa_20230605093000.xml";
    Message m;
    m.kind = MessageKind::Face;
    m.header.medical_institution_code = kMic;
    m.body.processing_result_status = "1";
    m.body.qualification_validity = "1";
    QualificationRecord rec;
    rec.name = name;
    rec.birthdate = "19900101";
    m.body.results = std::vector<QualificationRecord>{rec};
    e.result = qualification_result(m);
    e.message = m;
    return e;
}

}  // namespace

TEST_CASE("the OQS port hands face results to the visit and nothing else", "[flow][oqs_port]") {
    OqsEvent e = face_event("資格 五郎");
    auto in = OqsPort::to_input(e);
    REQUIRE(in);
    const auto* f = std::get_if<flow::in::FaceResult>(&*in);
    REQUIRE(f);
    CHECK(f->file == e.file);
    CHECK(f->result.records.at(0).birthdate == "19900101");
    CHECK(f->raw_xml.find("<XmlMsg") != std::string::npos);
    CHECK(OqsPort::face_file_of(e) == e.file);

    // XML cannot carry this name: the result cannot be stored, so the visit does not get it (logged). The
    // file is still the intake's.
    OqsEvent bad = face_event(std::string("資格\x01五郎"));
    CHECK_FALSE(OqsPort::to_input(bad));
    CHECK(OqsPort::face_file_of(bad) == bad.file);

    // A 単件照会's answer, failure or time-out is no visit's business.
    OqsEvent a = face_event("資格 五郎");
    a.type = OqsEvent::Type::Answer;
    a.request = "OQSsiquc01req_202306050001.xml";
    a.file = "OQSsiquc01res_202306050001.xml";
    CHECK_FALSE(OqsPort::to_input(a));
    CHECK(OqsPort::face_file_of(a).empty());
    OqsEvent t;
    t.type = OqsEvent::Type::TimedOut;
    t.request = a.request;
    CHECK_FALSE(OqsPort::to_input(t));

    // A face file the transport could not read: no input, but the intake takes it in (as malformed).
    OqsEvent broken;
    broken.type = OqsEvent::Type::Failed;
    broken.file = "OQSsiquc01res_face_1312345678bb_20230605093000.xml";
    CHECK_FALSE(OqsPort::to_input(broken));
    CHECK(OqsPort::face_file_of(broken) == broken.file);
    OqsEvent failed_request = broken;
    failed_request.request = "OQSsiquc01req_202306050001.xml";
    failed_request.file = "OQSsiquc01req_202306050001.err";
    CHECK(OqsPort::face_file_of(failed_request).empty());
}

TEST_CASE("the OQS port never lets the visit's exception escape", "[flow][oqs_port]") {
    std::vector<std::string> got;
    auto deliver = [&](const flow::Input& in) {
        got.push_back(std::get<flow::in::FaceResult>(in).file);
        throw std::runtime_error("ledger is busy");
    };
    flow::in::FaceResult r;
    r.file = "OQSsiquc01res_face_x_20230605093000.xml";
    CHECK_NOTHROW(OqsPort::deliver_safely(deliver, r));
    CHECK(got == std::vector<std::string>{r.file});
}

TEST_CASE("the OQS port posts face files into the owner's mailbox: intake first, then the visit", "[flow][oqs_port]") {
    test::TempDir dir("onshi-oqs-port");
    for (const char* d : {"req", "res", "face"}) std::filesystem::create_directories(dir.path / "oqs" / d);
    SimulatorOptions so;
    so.root = dir.path / "oqs";
    so.data_file = std::string(ONSHI_SOURCE_DIR) + "/assets/oqs/people.json";
    so.control_file = dir.path / "control.json";
    so.latency = 50ms;
    OqsSimulator sim(so);
    sim.start();

    Mailbox ui;
    std::vector<std::string> order;
    std::vector<flow::Input> got;
    TransportOptions o;
    o.root = dir.path / "oqs";
    o.state_file = dir.path / "port-state.json";
    o.settle = 50ms;
    OqsPort port(
        o, kMic, ui,
        [&](const flow::Input& in) {
            got.push_back(in);
            order.push_back("visit");
        },
        [&](const std::string& file) { order.push_back("intake:" + file); });
    CHECK_THROWS_AS(port.submit(goro()), OqsError);  // not started: the folder is "not available yet"
    port.start();
    port.submit(goro());  // a 単件照会: its answer reaches nobody here
    ReaderReception rr;
    rr.person_id = "shikaku-goro";
    rr.consents.pharmacists = true;
    const std::string file = sim.face_reception(rr);
    auto until = std::chrono::steady_clock::now() + 3s;
    while (got.empty() && std::chrono::steady_clock::now() < until) ui.run_for(100ms);  // this thread owns `ui`
    ui.run_for(500ms);  // the 単件照会's answer has time to arrive too
    port.stop();
    sim.stop();
    REQUIRE(got.size() == 1);
    CHECK(order == std::vector<std::string>{"intake:" + file, "visit"});
    const auto* f = std::get_if<flow::in::FaceResult>(&got[0]);
    REQUIRE(f);
    CHECK(f->file == file);
    CHECK(f->result.records.at(0).pharmacists.flag == "1");
}
