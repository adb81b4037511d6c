#pragma once
// Ledger-side value types (患者原簿). Independent of core/oqs: core/diff maps OQS results onto these.
// Every number (カルテ番号, 保険者番号, 記号, 番号, 枝番 …) is a string; dates are ISO "YYYY-MM-DD",
// times ISO "YYYY-MM-DDTHH:MM:SS" (local clinic time). "" means "not recorded".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/util/json.hpp"

namespace onshi::ledger {

struct Phones {
    std::string home, contact, mobile;  // 自宅 / 連絡先 / 携帯: typed by staff, never blanked by a plan
    bool operator==(const Phones&) const = default;
};

struct Patient {
    std::string karte;       // カルテ番号
    std::string kanji_name;  // 漢字氏名
    std::string kana_name;   // カナ氏名
    std::string sex;         // "1" 男, "2" 女, "3" 未設定 (OQS Sex1 codes)
    std::string birth;       // 生年月日
    std::string postal;      // 郵便番号
    std::string address;     // 住所
    Phones phones;
};

struct InsuranceCard {
    int64_t id = 0;
    std::string insurer_number;   // 保険者番号
    std::string kigo;             // 被保険者記号
    std::string bango;            // 被保険者番号
    std::string edaban;           // 被保険者枝番
    std::string relationship;     // 被保険者との続柄: "1" 本人, "2" 家族
    std::string insured_name;     // 被保険者氏名
    std::string detail;           // 詳細情報 (as shown, e.g. "1割上限18,000円[後期]")
    std::string burden_ratio;     // 負担割合 code ("010" … "030")
    std::string limit_class;      // 限度額適用区分 (A01 … B10)
    std::string valid_from;       // 保険有効開始日
    std::string valid_until;      // 保険有効期限
    std::string issued_on;        // 交付日
    std::string acquired_on;      // 資格取得日
    std::string limit_from;       // 限度額開始日
    std::string limit_until;      // 限度額終了日
    std::string card_checked_on;  // 保険証確認日
    std::string closed_on;        // last day of use (切替日 − 1); "" for the current card
};

// 公費 and 介護保険: typed by staff from the 受給者証 / 介護保険証; OQS never carries them, no plan overwrites them.
struct KouhiEntry {
    int64_t id = 0;
    std::string futansha_number;  // 公費負担者番号
    std::string jukyusha_number;  // 公費受給者番号
    std::string valid_from, valid_until, note;
    bool operator==(const KouhiEntry&) const = default;
};

struct KaigoEntry {
    int64_t id = 0;
    std::string insurer_number;  // 介護保険者番号
    std::string insured_number;  // 介護被保険者番号
    std::string care_level;      // 要介護度 as written (要支援1 … 要介護5)
    std::string valid_from, valid_until;
    bool operator==(const KaigoEntry&) const = default;
};

// 目視確認 / 顔認証 / 暗証番号 / 保険証 (numbers typed from a card) / 単件照会 (the card registered in the 原簿) /
// 一括照会 (the registered card, one record of an OQSmuquc01req)
enum class CheckMethod { Visual, Face, Pin, InsuranceCard, Query, Bulk };
const char* to_code(CheckMethod m);  // "visual", "face", "pin", "card", "query", "bulk"
const char* to_japanese(CheckMethod m);
std::optional<CheckMethod> check_method_from_code(const std::string& code);

struct QualificationCheck {
    int64_t id = 0;
    std::string karte;
    int64_t card_id = 0;  // the card current after the change (0: none)
    std::string checked_at;
    CheckMethod method = CheckMethod::Visual;
    std::string validity;           // 資格有効性 1..6
    std::string processing_status;  // 処理結果状況
    std::string result_code;        // 処理結果コード
    std::string message;
    std::string raw_xml;  // the OQS result as received (never holds a 個人番号)
    std::string staff_id;
    // The answer's status as core/oqs names it (status_key: "processing" for 照会中, "valid", "invalid",
    // "invalid_new_qualification", "not_found", "multiple", "valid_unregistered", "error").
    std::string status;
    std::string request;  // the request file a 単件照会 was sent as ("" for other checks)
    // 目視確認 of a face result: why staff used it (face_and_pin_failed, pin_locked, cannot_operate,
    // device_trouble, other; flow::visual_reason_ja has the Japanese). "" for every other check.
    std::string visual_reason;
};

// The status of a check recorded without one (older ledgers, plans): from its validity and codes.
std::string derive_check_status(const std::string& validity, const std::string& processing_status,
                                const std::string& result_code, const std::string& message);
bool is_check_status(const std::string& status);

// A check to record on its own (a face/ result taken in, a 単件照会 sent or answered): never changes the
// patient or the card. `status` is required (see QualificationCheck::status).
struct NewCheck {
    std::string karte;
    int64_t card_id = 0;  // the ledger card it checked (0: none, e.g. a face result)
    CheckMethod method = CheckMethod::Face;
    std::string checked_at;  // "" → the store's clock
    std::string status, validity, processing_status, result_code, message, raw_xml, request;
};

// One OQS result file taken in (face/), exactly once per content (SHA-256 of its bytes).
struct IntakeRecord {
    int64_t id = 0;
    std::string sha256;  // 64 lower-case hex digits of the raw bytes
    std::string file;    // the name it arrived under (the first one, when the content came again)
    std::string received_at;
    std::string outcome;   // "matched" (a check was recorded), "unmatched", "malformed"
    std::string karte;     // matched: the patient; "" otherwise
    int64_t check_id = 0;  // matched: the check recorded (it may have been undone since)
    std::string match;     // how: "reference", "tier:exact", "tier:normalized", "choose", "none"
    std::string status;    // status key of the result ("" when malformed)
    std::string reason;    // malformed: why, one English line
    std::string raw;       // the file's bytes exactly as read (any encoding)
};

// One patient on the day's reception list (受付一覧); docs/oqs-terminal.md, "Reception list and 一括照会".
struct ReceptionEntry {
    int64_t id = 0;
    std::string day;  // YYYY-MM-DD
    std::string karte;
    std::string received_at;  // 受付時刻, ISO time
    std::string staff_id;
};

// A row of the reception list as one query reads it: the patient, the current card's 保険証確認日 and the
// latest check of that day (raw XML left empty).
struct ReceptionRow {
    ReceptionEntry entry;
    Patient patient;
    bool has_card = false;
    std::string card_checked_on;
    std::optional<QualificationCheck> latest_check;
};

// 一括照会 (OQSmuquc01req → ReceptionNumber → OQSmuquc02req polls). States: "sending" (the batch is written,
// its 01req may or may not be), "sent" (01req written, no ReceptionNumber yet), "polling", "done", "failed"
// (the terminal refused the batch: every item's check records the error), "uncertain" (stopped between
// writing the batch and learning the 01req's name: never sent again, staff look at it).
struct BulkItem {
    int64_t id = 0;
    std::string arbitrary_id;  // QualificationConfirmSearchInfo/ArbitraryIdentifier: "<batch id>_<seq>"
    std::string karte;
    int64_t card_id = 0;
    int64_t check_id = 0;  // the 照会中 check recorded when the 01req was written (0 before)
};

struct BulkBatch {
    int64_t id = 0;
    std::string created_at, selection, state, request, reception_number, poll_request, message, staff_id;
    int64_t polls = 0;
    std::vector<BulkItem> items;
};

struct Consent {
    int64_t id = 0;
    std::string karte;
    int64_t check_id = 0;
    std::string kind;   // e.g. "薬剤情報", "特定健診情報", "限度額適用"
    std::string value;  // "1" 同意, "0" 不同意
    std::string given_at, expires_at;
};

struct LinkRecord {  // 照会番号 ↔ patient, with its link/unlink history
    int64_t id = 0;
    std::string karte, reference_number, linked_at, unlinked_at;
};

struct StaffMember {  // passcode hashing (PBKDF2) lives in core/flow/passcode; this is storage only
    std::string id, name, role;
    std::string salt, hash;  // hex, as core/flow/passcode writes them
    int64_t iterations = 0;
    int64_t failed_count = 0;
    std::string locked_until;  // ISO time, "" when not locked
    bool active = true;
};

struct AuditEntry {
    int64_t id = 0;
    std::string at, staff_id, action, karte, summary;
    Json changes;                    // row journal: before/after of every row touched
    std::optional<int64_t> undo_of;  // set on an undo row
    std::optional<int64_t> undone_by;
};

}  // namespace onshi::ledger
