#pragma once
// The narrow interfaces VisualConfirmFlow talks through. Real ones: reader/port (pcscd + the card),
// core/flow/ledger_port (SQLite) and oqs::FolderGateway; tests also use in-memory fakes.
// Card reads are slow (tens of APDUs), so CardReader starts work and the result comes back later as an
// input posted to the flow; the ledger is local and answers at once.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/diff/patient_match.hpp"
#include "core/flow/passcode.hpp"
#include "core/ledger/ledger_store.hpp"

namespace onshi::flow {

struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgba;
    bool empty() const { return rgba.empty(); }
};

// What the chip tells without any PIN or 照合番号B.
struct CardInspection {
    bool ok = false;
    int face_tries_left = -1;     // the 照合番号B counter (-1 unknown)
    std::string certificate_der;  // 利用者証明用電子証明書, for the card query
    std::string message_en;       // why not ok
};

// The card's authenticity from the signature and challenge checks: ForgedSuspect when either failed,
// Genuine when both passed, Unverified when one could not run (no trusted key configured).
enum class Verdict { Genuine, ForgedSuspect, Unverified };
const char* verdict_key(Verdict v);  // "genuine" | "forged_suspect" | "unverified" (logs, JSON)

struct CardFaceView {
    std::string birth;   // ISO
    std::string sex;     // "1" 男 / "2" 女
    std::string expiry;  // ISO
    Image photo, name, address;
    std::optional<bool> signature_ok, challenge_ok;
    Verdict verdict = Verdict::Unverified;
    std::string detail;  // English
};

struct FaceReadOutcome {
    enum class Status { Ok, WrongNumber, Blocked, Refused, BadInput, CardError };
    Status status = Status::CardError;
    int tries_left_before = -1, tries_left_after = -1;
    bool verify_sent = false;
    std::optional<CardFaceView> face;
    std::string message_en;
};

class CardReader {
public:
    virtual ~CardReader() = default;
    virtual void inspect() = 0;                                  // → in::CardInspected
    virtual void read_face(const std::string& collation_b) = 0;  // → in::FaceRead (never retries by itself)
    virtual int safety_floor() const = 0;                        // refuse VERIFY at or below this
};

struct StaffEntry {
    std::string id, name;
};

// 照会番号登録 (OQSsiimm01req, docs/medinfo.md): 特健・薬剤等を取得する for a patient OQS knows no 照会番号 of.
// The kiosk sends it off the flow's thread (the answer takes seconds) and records the answer itself; the flow
// only asks, after the check is recorded.
class ReferenceRegistrar {
public:
    virtual ~ReferenceRegistrar() = default;
    virtual void register_reference(const std::string& karte, const std::string& staff_id) = 0;
};

class Ledger {
public:
    virtual ~Ledger() = default;
    virtual std::vector<StaffEntry> active_staff() = 0;  // active members who have a passcode
    virtual AuthResult verify_staff(const std::string& id, const std::string& digits) = 0;
    virtual int64_t staff_locked_for_ms(const std::string& id) = 0;
    virtual PasscodePolicy passcode_policy() const = 0;  // the pad's digit counts
    virtual diff::MatchResult match(const oqs::QualificationResult& result, size_t record_index) = 0;
    virtual std::optional<ledger::PatientRecord> patient(const std::string& karte) = 0;
    // The patient's version (ledger::LedgerStore::patient_version): a 差分確認 keeps the one it was computed
    // on, and apply refuses the plan (LedgerError Stale) when another counter changed the patient since.
    virtual int64_t patient_version(const std::string& karte) = 0;
    // One transaction with its audit row; throws ledger::LedgerError (message_ja for the screen).
    virtual ledger::ApplyResult apply(const ledger::OverwritePlan& plan, const std::string& staff_id) = 0;
    // The check recorded at intake for the visit's own face result becomes 目視確認 by `staff_id` (one
    // transaction + audit row, undoable). Throws ledger::LedgerError.
    virtual int64_t mark_visual_check(int64_t check_id, const std::string& staff_id, const std::string& reason) = 0;
};

}  // namespace onshi::flow
