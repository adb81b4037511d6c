#pragma once
// OverwritePlan: what one staff decision writes to the ledger. core/diff (make_plan) builds it from an OQS result and
// the staff's choices; LedgerStore::apply writes it in one transaction with its audit row.
#include <optional>
#include <string>
#include <vector>

#include "core/ledger/types.hpp"

namespace onshi::ledger {

enum class PlanKind {
    RegisterPatient,  // 新患登録: a new patient (and card, when card fields are given)
    OverwriteFields,  // 上書き: only the checked fields of the current card and the patient
    SwitchCard,       // 保険証変更: close the current card on 切替日 − 1, insert a new one
    ExtendOnly,       // 有効期限が延長・枝番だけ追加: 保険有効期限 and/or an empty 枝番 only
    RecordCheckOnly,  // キャンセル after a check: record the check, change nothing else
};
const char* to_code(PlanKind k);

// The row order of the 差分確認 screen (the clinic manual's オンライン資格確認 column).
enum class Field {
    KanaName,
    KanjiName,
    Sex,
    Birth,
    Postal,
    Address,
    InsurerNumber,
    Kigo,
    Bango,
    Edaban,
    Relationship,
    InsuredName,
    Detail,
    ValidFrom,
    ValidUntil,
    IssuedOn,
    LimitFrom,
    LimitUntil,
};
constexpr int kFieldCount = 18;
const char* to_japanese(Field f);  // カナ氏名 …
const char* column_of(Field f);    // ledger column name
bool is_patient_field(Field f);    // the first six; the rest belong to the card
bool is_date_field(Field f);
std::optional<Field> field_from_column(const std::string& column);

struct FieldValue {
    Field field;
    std::string value;  // the new value ("" clears it, as the staff checked it)
};

struct PlannedCheck {
    CheckMethod method = CheckMethod::Visual;
    std::string checked_at;  // "" → the store's clock
    std::string validity, processing_status, result_code, message, raw_xml;
};

struct PlannedConsent {
    std::string kind, value, given_at, expires_at;  // given_at "" → the check time
};

struct OverwritePlan {
    PlanKind kind = PlanKind::RecordCheckOnly;
    std::string karte;               // target; for RegisterPatient "" allocates the next カルテ番号
    std::vector<FieldValue> fields;  // only the checked ones
    std::string switch_date;         // 切替日 (SwitchCard only)
    std::optional<PlannedCheck> check;
    // `check` is recorded already as this row (a face result taken in, a 単件照会's answer): no second row;
    // the consents attach to it and a 有効 check still sets the card's 保険証確認日. 0: a new row.
    int64_t existing_check_id = 0;
    std::vector<PlannedConsent> consents;  // need a check
    std::string reference_number;          // 照会番号 to link ("" leaves links as they are)
    // The patient's version the 差分確認 was computed on (LedgerStore::patient_version). When set, apply
    // compares it inside its write transaction and, if another counter changed the patient since, writes
    // nothing and throws LedgerError(Stale) 「別の端末で更新されました。差分を取り直します」.
    std::optional<int64_t> base_version;
};

struct ApplyResult {
    int64_t audit_id = 0;
    std::string karte;
    int64_t card_id = 0;   // current card after the change (0: none)
    int64_t check_id = 0;  // 0: no check recorded
};

}  // namespace onshi::ledger
