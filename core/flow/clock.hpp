#pragma once
// Injected time: the flow, passcode lockouts and timeouts never read the system clock themselves.
#include <cstdint>
#include <functional>
#include <string>

namespace onshi::flow {

// Milliseconds since the Unix epoch.
using Clock = std::function<int64_t()>;
Clock system_clock();

// Local clinic time as the ledger stores it: "YYYY-MM-DDTHH:MM:SS". parse_local returns -1 on bad input.
std::string format_local(int64_t epoch_ms);
int64_t parse_local(const std::string& iso);

}  // namespace onshi::flow
