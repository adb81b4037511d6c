#pragma once
// A simulated 資格確認端末 (`onshi oqs serve`): watches req/, answers from a JSON file of insured
// persons after a realistic delay, and produces every failure on command. Training mode and the
// tests use it; the data format is described in assets/oqs/README.md.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/oqs/xml_codec.hpp"

namespace onshi::oqs {

struct SimulatorOptions {
    std::filesystem::path root;                          // req/, res/, face/ (created when missing)
    std::filesystem::path data_file;                     // people, see assets/oqs/people.json
    std::optional<std::filesystem::path> control_file;   // {"fault": "...", "latency_ms": "..."}, read per request
    std::chrono::milliseconds latency{1500};             // real terminals answer within seconds
    std::optional<Encoding> encoding;                    // answers' encoding; default from the data file
};

// Faults, per person ("fault" in the data) or for every request (control file):
//   no_answer, err, malformed, truncated, segment9, status2, duplicate, afi_mismatch, validity:N (N = 2..6)
class OqsSimulator {
public:
    explicit OqsSimulator(SimulatorOptions opt);   // throws OqsError when the data file is unusable
    ~OqsSimulator();
    OqsSimulator(const OqsSimulator&) = delete;
    OqsSimulator& operator=(const OqsSimulator&) = delete;
    void start();
    void stop();
    size_t answered() const;                       // answers and faults produced so far
private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace onshi::oqs
