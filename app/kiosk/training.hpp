#pragma once
// 研修モード: everything a trainee needs on one PC — pcscd with vpcd, the card emulator, the simulated
// OQS terminal and a sample 患者原簿 — in one folder, with scenarios that make each case happen.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/kiosk/app_state.hpp"
#include "core/config/kiosk_config.hpp"

namespace onshi::oqs {
class OqsSimulator;
}

namespace onshi::kiosk {

struct TrainingStaff {
    const char* id;
    const char* name;
    const char* passcode;  // printed in the README: this is a training ledger
};
const std::vector<TrainingStaff>& training_staff();

class TrainingEnvironment {
public:
    // Lays out `dir` (created when missing), imports the sample ledger once, starts pcscd + vpcd and the
    // simulated terminal. Throws std::runtime_error with the reason when a part cannot start.
    explicit TrainingEnvironment(std::filesystem::path dir);
    ~TrainingEnvironment();
    TrainingEnvironment(const TrainingEnvironment&) = delete;
    TrainingEnvironment& operator=(const TrainingEnvironment&) = delete;

    config::KioskConfig config() const;
    static const std::vector<Scenario>& scenarios();  // the same for every environment (screen tests read it)
    // Puts the scenario's card on the reader and tells the terminal how to answer. Blocks up to about a
    // second (the old emulator's exit): the kiosk calls it on its action worker, never in a frame. Throws
    // std::runtime_error when the emulator cannot start, std::invalid_argument for an unknown id.
    void pick(const std::string& scenario_id);
    text::Msg picked_label() const { return label_; }
    // The picked card on the simulated 顔認証付きカードリーダー (目視確認モード): the patient answers the consents
    // on it and the simulated terminal writes the face/ result (another person's first, when the scenario
    // has one). Returns the file written; throws oqs::OqsError. Same thread as pick() (the action worker).
    std::string put_on_face_reader();
    const std::filesystem::path& dir() const { return dir_; }

private:
    void start_emulator(const std::string& profile, const std::vector<std::string>& flags);
    void stop_emulator();

    std::filesystem::path dir_;
    std::string mic_;
    std::string ledger_url_;  // ONSHI_TRAINING_LEDGER_URL: the 原簿 on PostgreSQL; "" = ledger/ledger.sqlite
    std::unique_ptr<oqs::OqsSimulator> simulator_;
    int emulator_pid_ = -1;
    int emulator_stdin_ = -1;
    text::Msg label_ = text::Msg::None;
    std::string person_ = "shikaku-nanao";  // the emulator's first card
    std::vector<std::string> others_;
};

}  // namespace onshi::kiosk
