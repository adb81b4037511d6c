#pragma once
// A simulated 資格確認端末 (`onshi oqs serve`): watches req/, answers the documented requests
// (docs/oqs-terminal.md) from a JSON file of insured persons after a realistic delay, and produces every
// failure on command. With it, a simulated 顔認証付きカードリーダー: a card put on the reader writes the
// face/ result the real terminal writes. Training mode and the tests use it; the data format is described
// in assets/oqs/README.md.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/oqs/xml_codec.hpp"

namespace onshi::oqs {

struct SimulatorOptions {
    std::filesystem::path root;                         // req/, res/, face/ (created when missing)
    std::filesystem::path data_file;                    // people, see assets/oqs/people.json
    std::optional<std::filesystem::path> control_file;  // {"fault": "...", "latency_ms": "..."}, read per request
    std::chrono::milliseconds latency{1500};            // real terminals answer within seconds
    std::optional<Encoding> encoding;                   // answers' encoding; default from the data file
    // 訪問等 (OQSmuhvq): every person's consent in the data dated the simulator's today instead, so a period
    // of the last days or this month finds them on any day (training); off, the data's fixed dates (tests).
    bool home_visits_today = false;
};

// What the patient chose on the reader's consent screens; nullopt: not asked (the element keeps the data's).
struct ReaderConsents {
    std::optional<bool> pharmacists, diagnosis, specific_health_checkups, operation, limit_application,
        specific_diseases;
};

// One reception at the simulated face-auth reader (its 目視確認モード, or 顔認証 / 暗証番号: the face/
// result looks the same).
struct ReaderReception {
    std::string person_id;  // people[].id of the card's holder; unknown or "": 該当資格なし
    ReaderConsents consents;
    std::string date;   // YYYYMMDD the qualification is checked for; "" today
    std::string fault;  // as below; "" takes the control file's, then the person's
};

// Faults, per person ("fault" in the data) or for every request (control file):
//   no_answer, err, malformed, truncated, segment9, status2, duplicate, afi_mismatch, validity:N (N = 2..6)
// A face/ result takes malformed, truncated, segment9, status2 and validity:N.
class OqsSimulator {
public:
    explicit OqsSimulator(SimulatorOptions opt);  // throws OqsError when the data file is unusable
    ~OqsSimulator();
    OqsSimulator(const OqsSimulator&) = delete;
    OqsSimulator& operator=(const OqsSimulator&) = delete;
    void start();
    void stop();
    size_t answered() const;  // answers and faults produced so far
    // The card on the face-auth reader: writes face/OQSsiquc01res_face_<医療機関コード><20 hex>_<time>.xml
    // (temp file, then rename) and returns its name. Any thread; throws OqsError when it cannot be written.
    std::string face_reception(const ReaderReception& r);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace onshi::oqs
