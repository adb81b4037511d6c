#pragma once
// The effective configuration and its problems as JSON, for `onshi config show/check` and the log.
#include "core/config/kiosk_config.hpp"
#include "core/util/json.hpp"

namespace onshi::config {

Json to_json(const KioskConfig& c);                 // same sections and key names as the TOML file
Json to_json(const std::vector<ConfigProblem>& p);  // [{"where","message","message_ja"}]

}  // namespace onshi::config
