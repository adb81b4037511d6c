#pragma once
// 保険証・資格確認書で資格確認 (typed) and the typed 新患登録 / 保険証変更 of the reception console: the
// numbers staff key from a 保険証 or 資格確認書, checked as they type (core/rules: 検証番号, 法別番号, 和暦),
// the OQSsiquc01req they make (through intake::card_query, the request 単件照会 builds for a registered
// card) and the ledger plans of a patient without a usable マイナ保険証. No ImGui: the kiosk draws it in
// app/kiosk/screens/typed_card.cpp; docs/console.md says what each action writes.
#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/intake/single_query.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/ledger/overwrite_plan.hpp"
#include "core/oqs/gateway.hpp"
#include "core/rules/date.hpp"
#include "core/rules/note.hpp"
#include "core/text/messages_ja.hpp"

namespace onshi::console {

// The inputs in the order the form shows them (the manual's 保険証で資格確認 dialog), then the patient's own
// fields for a typed 新患登録 and the dates of a typed 保険証変更.
enum class TypedField {
    Insurer,     // 保険者番号 (医療扶助: 公費負担者番号)
    Kigo,        // 被保険者記号
    Bango,       // 被保険者番号 (医療扶助: 受給者番号)
    Edaban,      // 被保険者枝番
    Birth,       // 生年月日: 和暦 GYYMMDD (昭和35年6月2日 → 3350602), 西暦 YYYYMMDD, or any form rules::parse_date_text reads
    KanaName,    // カナ氏名 (新患登録)
    KanjiName,   // 漢字氏名 (新患登録, may stay empty)
    SwitchDate,  // 切替日 (保険証変更)
    ValidFrom,   // 保険有効開始日 (保険証変更; "" → the 切替日)
    LimitFrom,   // 限度額開始日 (保険証変更, may stay empty)
};
constexpr size_t kTypedFieldCount = 10;
const char* typed_field_id(TypedField f);  // "insurer", "kigo" … (scripts, logs)

// What the typed form is for.
enum class TypedPurpose {
    Query,     // 保険証で資格確認: the siquc01req goes out, the answer opens 差分確認
    Register,  // 新患登録 without the card's chip: patient + card, no check
    Switch,    // 保険証変更 of a registered patient: the current card closes on 切替日 − 1
};

struct FieldCheck {
    std::optional<rules::Note> error;   // blocks the action
    std::vector<rules::Note> warnings;  // shown; never blocks (issuers print wrong 検証番号 too)
    bool operator==(const FieldCheck&) const = default;
};

struct TypedForm {
    TypedPurpose purpose = TypedPurpose::Query;
    std::string karte;  // the patient the form was opened for ("" on a new patient)
    std::array<std::string, kTypedFieldCount> values;  // as typed
    std::string sex = "3";                             // 新患登録: "1" 男, "2" 女, "3" 未設定
    intake::LimitConsent consent = intake::LimitConsent::Unasked;

    std::string& at(TypedField f) { return values[size_t(f)]; }
    const std::string& at(TypedField f) const { return values[size_t(f)]; }
};

// The fields the purpose shows, in order.
std::vector<TypedField> fields_of(TypedPurpose p);

struct TypedCheck {
    std::array<FieldCheck, kTypedFieldCount> fields;
    std::optional<rules::Date> birth, switch_date, valid_from, limit_from;
    std::string insurer_kind;  // "協会けんぽ", "国保" … ("" when unknown)
    bool ready = false;        // no error in a field the purpose shows
};

// Checks every field the purpose shows, against `today` (a birth date or 切替日 in the future …).
TypedCheck check_typed(const TypedForm& form, rules::Date today);

// A refused action: Japanese for the screen, English for the log.
struct TypedRefused : std::runtime_error {
    TypedRefused(const std::string& en, std::string ja) : std::runtime_error(en), message_ja(std::move(ja)) {}
    std::string message_ja;
};

// The OQSsiquc01req of the typed card (intake::card_query), confirmed on `today`. Throws TypedRefused when
// check_typed has an error.
oqs::QualificationQuery typed_query(const TypedForm& form, rules::Date today);

// 新患登録 (RegisterPatient, next カルテ番号) with カナ氏名, 漢字氏名, 性別, 生年月日 and the card's numbers.
ledger::OverwritePlan register_plan(const TypedForm& form, rules::Date today);
// 保険証変更 (SwitchCard) of form.karte: the new card's numbers, 保険有効開始日 and 限度額開始日, on the 切替日.
ledger::OverwritePlan switch_plan(const TypedForm& form, rules::Date today);

// The touch pad's keys on the focused field: one more character (digits, and for 記号 / カナ氏名 the pad's
// characters), erase the last one.
void type_key(TypedForm& form, TypedField f, std::string_view key);
void erase_key(TypedForm& form, TypedField f);

// ---- the page (the console holds one TypedView; intents in, effects out, like the other pages) ----

struct TypedView {
    TypedForm form;
    TypedCheck check;  // recomputed after every key
    TypedField focus = TypedField::Insurer;
    std::string name;  // the patient's name when opened from the 原簿 ("" otherwise)
    bool busy = false;  // the query or the plan is on the worker
    text::Message message;
    bool refused = false;
};

namespace typed_in {
struct Open {  // a fresh form; from the 原簿 with the patient's card and birth date filled in
    TypedPurpose purpose = TypedPurpose::Query;
    std::string karte, name;
    TypedForm prefill;  // values (and karte) to start from
};
struct Focus {
    TypedField field;
};
struct Key {
    std::string key;
};
struct Erase {};
struct Consent {
    intake::LimitConsent consent;
};
struct Sex {
    std::string code;  // "1", "2", "3"
};
struct Submit {};  // 資格確認 / 登録する / 変更する
struct Written {   // the host applied the plan (or could not)
    bool ok = false;
    std::string karte;  // the patient registered / switched
    text::Message message;
};
}  // namespace typed_in
using TypedIntent = std::variant<typed_in::Open, typed_in::Focus, typed_in::Key, typed_in::Erase, typed_in::Consent,
                                 typed_in::Sex, typed_in::Submit, typed_in::Written>;

namespace typed_effect {
struct Query {  // the console's query path: sent, 照会中, the answer opens 差分確認
    std::string karte;  // "" : a patient not in the 原簿 yet (差分確認 matches or registers)
    std::string name;
    oqs::QualificationQuery query;
    intake::LimitConsent consent = intake::LimitConsent::Unasked;
};
struct Apply {  // 新患登録 / 保険証変更: LedgerStore::apply (one transaction + audit row)
    ledger::OverwritePlan plan;
};
}  // namespace typed_effect
using TypedEffect = std::variant<typed_effect::Query, typed_effect::Apply>;

// The host's side of typed_effect::Query, on its worker: sends the query through `gateway` (OqsError: nothing
// sent, nothing recorded) and, for a registered patient, records the check 照会中 at once (method 保険証, the
// request's name), so the answer finds its way back as a 単件照会's does (LedgerStore::pending_check). A patient
// not in the 原簿 yet has nothing to record it on: the check is written by the 差分確認 decision.
struct TypedSent {
    std::string request;
    int64_t check_id = 0;  // 0: none recorded (no patient yet)
};
TypedSent send_typed_query(ledger::LedgerStore& store, oqs::OqsGateway& gateway, const typed_effect::Query& query,
                           const std::string& staff_id);

// One intent against `today` (the console's day): the form changes, the work for the host comes back. A
// refusal (a field in error) stays on the page with the first error's Japanese.
std::vector<TypedEffect> handle(TypedView& view, const TypedIntent& intent, rules::Date today);
// A TypedForm filled from a registered patient's current card and birth date (the manual's dialog opens so).
TypedForm form_from_record(const ledger::PatientRecord& record, TypedPurpose purpose);

}  // namespace onshi::console
