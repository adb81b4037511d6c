#pragma once
// QualificationDiff: the clinic's 患者原簿 (current patient + card) against one OQS record, row by row in
// the order of the clinic's 差分確認 screen (ledger::Field), with the comparison tier, whether the row differs (green
// on screen) and the default 上書き choice; and the classification of the whole result that decides what 更新 may
// write.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/ledger/ledger_store.hpp"
#include "core/ledger/overwrite_plan.hpp"
#include "core/oqs/result.hpp"
#include "core/rules/compare.hpp"
#include "core/text/messages_ja.hpp"

namespace onshi::diff {

using ledger::Field;

struct DiffRow {
    Field field;
    std::string label;         // カナ氏名 … (ledger::to_japanese)
    std::string current;       // as the ledger holds it ("" when absent), display form (dates in 和暦)
    std::string online;        // the OQS value in the ledger's form (kana full-width, dates in 和暦 …)
    std::string online_value;  // what 上書き would store (ISO dates, codes, digits-only postal …)
    rules::Tier tier = rules::Tier::Exact;
    std::string reason;          // why the tier (English; the screen only shows green or not)
    bool differs = false;        // green on screen: OQS sent a value and its tier is Probable or Different
                                 // (a value OQS did not send is never a difference: nothing can be written)
    bool overwrite = false;      // default 上書き choice
    bool online_carried = true;  // false when OQS sent nothing (usable) for it: never blank the ledger's value
    bool extends = false;        // 保険有効期限 later than the ledger's, or 枝番 where the ledger has none
};

enum class Classification {
    Unchanged,    // the same card, nothing to write (offer 特健・薬剤等を取得する when no 照会番号)
    ExtendOnly,   // the same card with a longer validity and/or an added 枝番: 上書き of those fields
    Overwrite,    // the same card with other differing fields: staff choose what to 上書き
    SwitchCard,   // a different card: 更新 with a 切替日
    NewPatient,   // nobody in the ledger: 新患 registration
    NoValidCard,  // 無効 / 無効（新しい資格あり） / 該当資格なし: record the check only
    Error,        // エラー / 複数該当: record the check only
};
const char* classification_key(Classification c);  // "unchanged", "extend_only", … (CLI JSON)

struct DiffResult {
    Classification classification = Classification::Unchanged;
    std::vector<DiffRow> rows;        // all 18, in ledger::Field order (全表示); differing() filters
    std::string switch_date;          // ISO, prefilled for SwitchCard from 保険有効開始日 (else 資格取得日)
    bool offer_medical_info = false;  // 特健・薬剤等を取得する: unchanged and no 照会番号 registered
    std::string reference_number;     // 照会番号 carried by the OQS record ("" none)
    text::Message guidance;           // what staff do next for NoValidCard / Error (e.g. 10割請求)
    std::vector<const DiffRow*> differing() const;
};

// `current` null → NewPatient (or NoValidCard/Error by the result's status). `record_index` picks one of
// the result's records (複数 ResultOfQualificationConfirmation).
DiffResult build_diff(const ledger::PatientRecord* current, const oqs::QualificationResult& result,
                      size_t record_index = 0);

// A decision or record index the diff cannot take: the message id for the screen; what() is its Japanese text.
struct Refused : std::invalid_argument {
    text::Message message;
    explicit Refused(text::Message m) : std::invalid_argument(text::ja(m)), message(std::move(m)) {}
};

// What staff decided on the 差分確認 screen.
struct Decision {
    enum class Kind { RecordOnly, Overwrite, SwitchCard, Register, FetchMedicalInfo } kind = Kind::RecordOnly;
    // Overwrite: the checked rows (a plan of kind ExtendOnly when every one `extends`, else OverwriteFields).
    // SwitchCard: the patient rows to 上書き as well; the new card always takes every card row OQS sent.
    std::vector<Field> fields;
    std::string switch_date;  // SwitchCard: ISO 切替日 ("" → the prefilled DiffResult::switch_date)
    // SwitchCard: true when `fields` is exactly what staff left ticked in 上書き mode (even none); false when
    // the caller passes no choice, so the patient rows pre-ticked on the screen (DiffRow::overwrite: a new
    // address, a changed name) go with the switch instead of being dropped.
    bool fields_as_ticked = false;
    // SwitchCard: the new card's 保険有効開始日 and 限度額開始日 as the 切替日 dialog shows them, ISO ("" → the
    // answer's own row; no 限度額 row and "" leaves the new card without one).
    std::string valid_from = {}, limit_from = {};
};

// The dates of the 切替日 dialog (ISO, "" none): 切替日, the new card's 保険有効開始日 and 限度額開始日.
struct SwitchDates {
    std::string switch_date, valid_from, limit_from;
};
// What the dialog opens with: DiffResult::switch_date and the answer's 保険有効開始日 and 限度額開始日 rows.
SwitchDates switch_dates_of(const DiffResult& diff);
// Why the dialog's dates cannot be written (nullopt: they can): 切替日 missing or not a date, a 保険有効開始日
// or 限度額開始日 that is not a date, or a 切替日 before the 保険有効開始日 (the clinic manual: the 切替日 of a
// new card is the day it becomes valid, so the old card covers every day before).
std::optional<text::Message> switch_dates_problem(const SwitchDates& dates);

// What an OQS answer says about the check itself, recorded with every check (a plan's, a face result's, a
// 単件照会's): 有効性, ProcessingResultStatus ("1" for an answer that is not an error, "" while 照会中), the
// result or error code, and the message (the status label, then the error's own message).
struct CheckOutcome {
    std::string validity, processing_status, result_code, message;
};
CheckOutcome check_outcome(const oqs::QualificationResult& result);

struct CheckContext {
    ledger::CheckMethod method = ledger::CheckMethod::Visual;
    std::string checked_at;  // ISO time; "" → the store's clock
    std::string raw_xml;     // the answer as received
    std::vector<ledger::PlannedConsent> consents;
};

// Turns a diff + decision into the OverwritePlan the ledger applies. Never includes fields OQS does not
// carry (電話番号, 介護保険, 公費) and never blanks a ledger value OQS sent nothing for.
// Any write (not RecordOnly) also links the record's 照会番号 when the patient has none yet.
// Throws Refused (a std::invalid_argument whose what() is the Japanese text) when the decision does not fit
// the classification.
ledger::OverwritePlan make_plan(const DiffResult& diff, const ledger::PatientRecord* current,
                                const oqs::QualificationResult& result, const Decision& decision,
                                const CheckContext& check, size_t record_index = 0);

}  // namespace onshi::diff
