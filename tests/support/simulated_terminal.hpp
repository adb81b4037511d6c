#pragma once
// The simulated 資格確認端末 in-process on real folders, the transport that talks to it, and the 新患 plans
// of the simulator's people (assets/oqs/people.json), for the tests that query it end to end.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/ledger/overwrite_plan.hpp"
#include "core/oqs/gateway.hpp"
#include "core/oqs/simulator.hpp"
#include "core/rules/date.hpp"
#include "core/util/clock.hpp"

namespace onshi::test {

inline const std::string kMic = "1312345678";  // the test clinic's 医療機関コード

// The real local day. The simulator judges validity on the request's day and stamps its answers with the
// time it processed them, so tests that look at 確認日 or the day's list ask on the real day.
inline rules::Date local_today() { return *rules::Date::from_iso(util::format_local_date(util::system_now_ms())); }

// The simulator on `root` (req/, res/, face/) with assets/oqs/people.json and 50 ms latency, started;
// `control_file` lets a test switch faults per request; `home_visits_today` as in training.
inline std::unique_ptr<oqs::OqsSimulator> start_simulator(const std::filesystem::path& root,
                                                          std::optional<std::filesystem::path> control_file = {},
                                                          bool home_visits_today = false) {
    oqs::SimulatorOptions so;
    so.home_visits_today = home_visits_today;
    so.root = root;
    so.data_file = std::string(ONSHI_SOURCE_DIR) + "/assets/oqs/people.json";
    so.control_file = std::move(control_file);
    so.latency = std::chrono::milliseconds(50);
    auto sim = std::make_unique<oqs::OqsSimulator>(so);
    sim->start();
    return sim;
}

// A gateway on `root` keeping its state in `state_file` (short settle and give-up times), its transport
// started; events go to `sink`.
inline std::unique_ptr<oqs::FolderGateway> start_gateway(const std::filesystem::path& root,
                                                         const std::filesystem::path& state_file,
                                                         std::chrono::milliseconds timeout, oqs::EventSink sink) {
    oqs::TransportOptions o;
    o.root = root;
    o.state_file = state_file;
    o.timeout = timeout;
    o.settle = std::chrono::milliseconds(50);
    o.give_up = std::chrono::milliseconds(400);
    auto gw = std::make_unique<oqs::FolderGateway>(o, kMic, std::move(sink));
    gw->transport().start();
    return gw;
}

// 新患登録 of one of the simulator's people (男); empty card fields and an empty kanji name are left out.
inline ledger::OverwritePlan registration(const std::string& karte, const std::string& kana, const std::string& birth,
                                          const std::string& insurer, const std::string& kigo, const std::string& bango,
                                          const std::string& edaban, const std::string& kanji = "") {
    using ledger::Field;
    ledger::OverwritePlan p;
    p.kind = ledger::PlanKind::RegisterPatient;
    p.karte = karte;
    p.fields = {{Field::KanaName, kana}};
    if (!kanji.empty()) p.fields.push_back({Field::KanjiName, kanji});
    p.fields.push_back({Field::Sex, "1"});
    p.fields.push_back({Field::Birth, birth});
    if (!insurer.empty()) p.fields.push_back({Field::InsurerNumber, insurer});
    if (!kigo.empty()) p.fields.push_back({Field::Kigo, kigo});
    if (!bango.empty()) p.fields.push_back({Field::Bango, bango});
    if (!edaban.empty()) p.fields.push_back({Field::Edaban, edaban});
    return p;
}

}  // namespace onshi::test
