#pragma once
// Face intake: one face/ result (OQSsiquc01res_face_*.xml, written by the 顔認証付きカードリーダー for every
// マイナ保険証 reception) taken into the ledger exactly once. The rules are in docs/oqs-terminal.md,
// "Face results and 単件照会":
//   - parsed with core/oqs (UTF-8 or Shift_JIS, elements in any order);
//   - matched by core/diff match_patient: 照会番号 first, then birth date, sex and the name tiers;
//   - a match records one check (method 顔認証: the face XML does not say how the patient was confirmed)
//     with its raw XML, in one transaction with its audit row; the patient and the card are never changed;
//   - no match (or several candidates) and malformed files are kept too, as intake rows;
//   - the SHA-256 of the bytes makes it exactly once: the same file, or the same bytes under a new name,
//     is never recorded twice, across restarts.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger/ledger_store.hpp"
#include "core/oqs/xml_codec.hpp"

namespace onshi::intake {

struct FaceFile {
    std::string name;   // the file name in face/ (no folder)
    std::string bytes;  // exactly as read
};

struct FaceIntakeOptions {
    std::string staff_id = "intake";  // who the audit names: the intake itself, no staff member chose anything
    oqs::DecodeOptions decode;
};

struct FaceIntakeReport {
    std::string file;
    std::string sha256;
    bool recorded = false;  // false: this content was taken in before (nothing written now)
    bool malformed = false;
    std::string reason;                   // malformed: why, one English line
    std::string status_key;               // core/oqs status_key of the result; "" when malformed
    std::string status;                   // 院内患者 badge word (照会中 … エラー), or "malformed"
    std::string karte;                    // the patient the check was recorded for; "" when none
    std::string match;                    // "reference", "tier:exact", "tier:normalized", "choose", "none"
    std::vector<std::string> candidates;  // "choose": the patients staff pick from (when first taken in)
    std::optional<ledger::QualificationCheck> check;  // the recorded check, while it exists
};

// Never throws for anything in the file; LedgerError when the ledger itself fails (busy, read-only, …).
FaceIntakeReport take_in_face(ledger::LedgerStore& store, const FaceFile& file, const FaceIntakeOptions& opt = {});

std::string sha256_hex(std::string_view bytes);

}  // namespace onshi::intake
