#pragma once
// The one clock of the kiosk: milliseconds since the Unix epoch, injected wherever time matters (the flow,
// passcode lockouts, the ledger's audit time), and the one place that turns it into local clinic time.
#include <cstdint>
#include <functional>
#include <string>

namespace onshi::util {

// Milliseconds since the Unix epoch. Tests inject a clock moved by hand.
using Clock = std::function<int64_t()>;
Clock system_clock();
int64_t system_now_ms();

// Local clinic time as the ledger stores it: "YYYY-MM-DDTHH:MM:SS".
std::string format_local(int64_t epoch_ms);
// "YYYY-MM-DD" (local).
std::string format_local_date(int64_t epoch_ms);
// "YYYYMMDDHHMMSS" (local), the OQS messages' time stamps and file names.
std::string format_local_compact(int64_t epoch_ms);
// "YYYY-MM-DDTHH:MM:SS" local time back to epoch ms; -1 on bad input.
int64_t parse_local(const std::string& iso);

}  // namespace onshi::util
