#include "core/config/config_json.hpp"

namespace onshi::config {

Json to_json(const KioskConfig& c) {
    Json j;
    j["clinic"]["medical_institution_code"] = c.medical_institution_code;
    j["oqs"]["root"] = c.oqs_root.string();
    j["oqs"]["encoding"] = c.oqs_encoding;
    j["oqs"]["timeout_seconds"] = c.oqs_timeout_seconds;
    j["oqs"]["face_wait_seconds"] = c.face_wait_seconds;
    j["oqs"]["auto_query"] = c.auto_query;
    j["oqs"]["bulk_poll_seconds"] = c.bulk_poll_seconds;
    j["reader"]["pattern"] = c.reader_pattern;
    j["reader"]["face_tries_floor"] = c.face_tries_floor;
    j["reader"]["trust_store"] = Json::array();
    for (const auto& p : c.trust_store) j["reader"]["trust_store"].push_back(p.string());
    j["ledger"]["path"] = c.ledger_path.string();
    j["ledger"]["backup_dir"] = c.backup_dir.string();
    j["ledger"]["backup_keep_days"] = c.backup_keep_days;
    j["ledger"]["url"] = c.ledger_url;
    j["ledger"]["password_file"] = c.ledger_password_file.string();
    j["ledger"]["retry_max_seconds"] = c.ledger_retry_max_seconds;
    j["ledger"]["answer_timeout_seconds"] = c.ledger_answer_timeout_seconds;
    j["timeouts"]["staff_idle_seconds"] = c.staff_idle_seconds;
    j["timeouts"]["done_seconds"] = c.done_seconds;
    j["passcode"]["min_digits"] = c.passcode_min_digits;
    j["passcode"]["max_digits"] = c.passcode_max_digits;
    j["passcode"]["max_failures"] = c.passcode_max_failures;
    j["passcode"]["lockout_minutes"] = c.passcode_lockout_minutes;
    j["passcode"]["iterations"] = c.passcode_iterations;
    j["screen"]["width"] = c.width;
    j["screen"]["height"] = c.height;
    j["screen"]["rotation"] = c.rotation;
    j["screen"]["fullscreen"] = c.fullscreen;
    return j;
}

Json to_json(const std::vector<ConfigProblem>& problems) {
    Json a = Json::array();
    for (const auto& p : problems)
        a.push_back({{"where", p.where}, {"message", p.message}, {"message_ja", p.message_ja}});
    return a;
}

}  // namespace onshi::config
