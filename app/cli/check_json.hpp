#pragma once
// A recorded check as every `onshi` command prints it (ledger show/history/today, oqs ingest, query single),
// with its status and the 院内患者 column text (core/intake/column_text).
#include "core/ledger/types.hpp"
#include "core/util/json.hpp"

namespace onshi::cli {

Json check_json(const ledger::QualificationCheck& c);

}  // namespace onshi::cli
