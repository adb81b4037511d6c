#pragma once
// JSON for the CLI, card profiles and simulator data: Debian's nlohmann-json3-dev.
#include <nlohmann/json.hpp>

namespace onshi {
using Json = nlohmann::ordered_json;  // keeps keys in the order the CLI documents them
}
