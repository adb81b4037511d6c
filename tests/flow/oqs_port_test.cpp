// OqsPort: transport events become flow inputs, handed to the owner's thread through its Mailbox; nothing
// thrown while translating or delivering reaches the owner's loop.
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

}  // namespace

TEST_CASE("the OQS port turns an answer it cannot store into a failure for that visit", "[flow][oqs_port]") {
    OqsEvent e;
    e.type = OqsEvent::Type::Answer;
    e.request = "OQSsiquc01req_202306050001.xml";
    e.file = "OQSsiquc01res_202306050001.xml";
    Message m;
    m.kind = MessageKind::Siquc01Res;
    m.header.medical_institution_code = kMic;
    m.body.processing_result_status = "1";
    m.body.qualification_validity = "1";
    QualificationRecord rec;
    rec.name = std::string("資格\x01五郎");   // XML cannot carry it: serialising for the ledger throws
    m.body.results = std::vector<QualificationRecord>{rec};
    e.result = qualification_result(m);
    e.message = m;
    auto in = OqsPort::to_input(e, 60s);
    REQUIRE(in);
    auto* f = std::get_if<flow::in::OqsFailed>(&*in);
    REQUIRE(f);
    CHECK(f->request == e.request);
    CHECK_FALSE(f->timed_out);

    e.message->body.results->at(0).name = "資格 五郎";
    auto ok = OqsPort::to_input(e, 60s);
    REQUIRE(ok);
    CHECK(std::holds_alternative<flow::in::OqsAnswer>(*ok));

    OqsEvent t;
    t.type = OqsEvent::Type::TimedOut;
    t.request = e.request;
    auto timed = OqsPort::to_input(t, 30s);
    REQUIRE(timed);
    CHECK(std::get<flow::in::OqsFailed>(*timed).timed_out);
    OqsEvent face;
    face.type = OqsEvent::Type::FaceResult;
    CHECK_FALSE(OqsPort::to_input(face, 30s));
}

TEST_CASE("the OQS port never lets the flow's exception escape, and shows the visit an error", "[flow][oqs_port]") {
    std::vector<std::string> got;
    auto deliver = [&](const flow::Input& in) {
        if (std::holds_alternative<flow::in::OqsAnswer>(in)) {
            got.push_back("answer");
            throw std::runtime_error("ledger is busy");
        }
        got.push_back("failed:" + std::get<flow::in::OqsFailed>(in).request);
    };
    flow::in::OqsAnswer a;
    a.request = "OQSsiquc01req_202306050001.xml";
    CHECK_NOTHROW(OqsPort::deliver_safely(deliver, a));
    CHECK(got == std::vector<std::string>{"answer", "failed:OQSsiquc01req_202306050001.xml"});
}

TEST_CASE("the OQS port posts into the owner's mailbox and says when the folder is missing", "[flow][oqs_port]") {
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
    std::vector<flow::Input> got;
    TransportOptions o;
    o.root = dir.path / "oqs";
    o.state_file = dir.path / "port-state.json";
    o.settle = 50ms;
    OqsPort port(o, kMic, ui, [&](const flow::Input& in) { got.push_back(in); });
    CHECK_THROWS_AS(port.submit(goro()), OqsError);   // not started: the folder is "not available yet"
    port.start();
    std::string name = port.submit(goro());
    auto until = std::chrono::steady_clock::now() + 3s;
    while (got.empty() && std::chrono::steady_clock::now() < until) ui.run_for(100ms);   // this thread owns `ui`
    port.stop();
    sim.stop();
    REQUIRE(got.size() == 1);
    auto* a = std::get_if<flow::in::OqsAnswer>(&got[0]);
    REQUIRE(a);
    CHECK(a->request == name);
    CHECK(a->result.label() == "有効");
    CHECK(a->raw_xml.find("<XmlMsg") != std::string::npos);
}
