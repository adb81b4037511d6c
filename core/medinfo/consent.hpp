#pragma once
// Whether 薬剤情報 / 特定健診情報 may be fetched for a patient now: the 閲覧同意 the patient gave on the face-auth
// reader, as the latest OQS answer recorded for them carries it (PharmacistsInfoConsFlg / …AvailableTime,
// SpecificHealthCheckupsInfo…). The rule is in docs/medinfo.md, "Consent".
#include <cstdint>
#include <string>

#include "core/ledger/ledger_store.hpp"
#include "core/oqs/medinfo.hpp"

namespace onshi::medinfo {

enum class ConsentVerdict {
    Valid,     // flag 1 and AvailableTime still ahead
    Expired,   // flag 1 (or 2 同意有効期限切れ) and AvailableTime passed, or no AvailableTime to check
    NotGiven,  // flag 0, or no recorded answer carries the consent at all
};

struct ConsentStatus {
    ConsentVerdict verdict = ConsentVerdict::NotGiven;
    std::string element;          // "PharmacistsInfo", "DiagnosisInfo" or "SpecificHealthCheckupsInfo"
    std::string flag, given_at;   // as sent (ConsFlg, ConsTime)
    std::string available_until;  // AvailableTime as sent, YYYYMMDDHHmmss ("" when absent)
    int64_t check_id = 0;         // the check whose answer it was read from (0: none)
    std::string checked_at;
    std::string reason_en, message_ja;  // set unless Valid
    bool valid() const { return verdict == ConsentVerdict::Valid; }
};

// `now_ms`: epoch milliseconds (the one clock); AvailableTime is local clinic time. With `with_diagnosis` the
// 診療情報 consent (DiagnosisInfo) must be valid as well as the 薬剤 one.
ConsentStatus consent_status(const ledger::LedgerStore& store, const std::string& karte, oqs::medinfo::InfoKind kind,
                             int64_t now_ms, bool with_diagnosis = false);

}  // namespace onshi::medinfo
