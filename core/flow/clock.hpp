#pragma once
// The flow's name for the one clock (core/util/clock.hpp): the flow, passcode lockouts and timeouts never
// read the system clock themselves.
#include "core/util/clock.hpp"

namespace onshi::flow {

using util::Clock;
using util::format_local;
using util::parse_local;
using util::system_clock;

}  // namespace onshi::flow
