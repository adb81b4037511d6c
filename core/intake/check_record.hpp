#pragma once
// An OQS answer (a face/ result, a siquc01res) as the check the ledger records: status, validity, codes,
// message and the time OQS processed it. Shared by the face intake and the 単件照会.
#include <string>

#include "core/ledger/types.hpp"
#include "core/oqs/result.hpp"

namespace onshi::intake {

// Fills status … message and checked_at (from ProcessExecutionTime; "" when absent or not a real time, so
// the store's clock is used). karte, card_id, method, raw_xml and request are left to the caller.
ledger::NewCheck check_from_result(const oqs::QualificationResult& result);

// "YYYY-MM-DDTHH:MM:SS" from OQS "YYYYMMDDHHmmss"; "" when it is not a real date and time.
std::string iso_time_from_oqs(const std::string& yyyymmddhhmmss);

}  // namespace onshi::intake
