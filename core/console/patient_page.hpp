#pragma once
// 患者原簿: one patient's page of the reception console. The current card and the 過1, 過2 … cards with their
// periods, 公費, 介護, phones, 照会番号 and 保険証確認日; 資格確認履歴 with a 詳細 of each answer; the change
// history with 取り消し. A model without ImGui in the console's shape: intents in, the work the host runs
// (PageEffect) out; run_page_effect does that work against the ledger on the host's worker and returns
// the intent that carries its outcome back. Every write is one LedgerStore op (one transaction with its
// audit row); a refusal comes back in the ledger's Japanese. docs/console.md lists what each action writes.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/ledger/ledger_store.hpp"
#include "core/rules/note.hpp"
#include "core/text/messages_ja.hpp"

namespace onshi::console {

// What the page shows of one patient, read in one go.
struct PatientData {
    ledger::PatientRecord record;
    std::vector<ledger::QualificationCheck> checks;  // 資格確認履歴, newest first (no XML)
    std::vector<ledger::AuditEntry> audit;           // the patient's changes, newest first
};

// 詳細 of one 資格確認 (the manual's 資格確認履歴詳細): the answer's consent flags, 照会番号 and card fields.
struct DetailRow {
    ledger::Field field;
    std::string value;  // as the screen shows it (和暦, 男/女 …); "" when the answer did not carry it
};
struct CheckDetail {
    ledger::QualificationCheck check;  // without its XML
    bool has_answer = false;           // the stored XML could be read as an answer with a record
    std::string reference_number;      // 照会番号 of the answer ("" none)
    std::array<std::optional<bool>, 6> consents{};  // in the order of flow::consent_questions(); nullopt: not asked
    std::vector<DetailRow> card;                    // the card and person fields of the answer
    std::vector<ledger::Consent> recorded;          // consents the ledger recorded with this check
};
// Reads the check's stored answer (QualificationCheck::raw_xml); an unreadable one gives has_answer false.
CheckDetail check_detail(const ledger::QualificationCheck& check_with_xml, const std::vector<ledger::Consent>& all);

enum class PatientTab : uint8_t { Ledger, Checks, Changes };  // 原簿 / 資格確認履歴 / 変更履歴
enum class PatientDialog : uint8_t {
    None,
    ConfirmCard,    // 保険証確認 (F4): 保険証確認日 = today?
    Unlink,         // 照会番号の削除?
    RelinkTarget,   // 付け替え: the other カルテ番号 on the pad
    RelinkConfirm,  // 付け替え: both patients named
    Phones,         // 自宅 / 連絡先 / 携帯
    Kouhi,          // 公費負担者番号, 受給者番号, 有効開始日, 有効終了日
    Kaigo,          // 介護保険者番号, 被保険者番号, 要介護度, 有効開始日, 有効終了日
    Detail,         // 資格確認履歴の詳細
    Undo,           // 取り消し?
};

// The text boxes of the Phones / Kouhi / Kaigo dialogs, in order.
const std::vector<text::Msg>& form_labels(PatientDialog d);
// The care levels the 介護 dialog offers (its third box takes one of these).
const std::vector<std::string>& care_levels();

struct PatientPage {
    std::string karte;
    bool loading = false;
    std::optional<PatientData> data;
    PatientTab tab = PatientTab::Ledger;
    PatientDialog dialog = PatientDialog::None;
    std::vector<std::string> form;  // the dialog's boxes (Phones, Kouhi, Kaigo) or the target カルテ番号
    size_t focus = 0;               // the box the pad types into
    std::vector<rules::Note> form_notes;  // warnings on the typed numbers (検証番号 …): shown, never blocking
    std::string relink_number;            // 付け替え: the 照会番号 moved
    std::optional<ledger::Patient> relink_target;
    std::optional<CheckDetail> detail;
    int64_t undo_id = 0;
    std::string undo_summary;
    bool busy = false;      // a write is on the worker
    text::Message message;  // the outcome of the last action (a refusal when `refused`)
    bool refused = false;

    // The 照会番号 the 付け替え moves: the active one, else the one removed last.
    std::string movable_reference() const;
};

// What the host runs for the page (on its worker).
struct PageOp {
    enum class Kind : uint8_t { ConfirmCard, Unlink, Relink, Phones, Kouhi, Kaigo, Undo } kind = Kind::ConfirmCard;
    std::string karte;             // the page's patient
    std::string reference_number;  // Relink
    std::string target;            // Relink: the カルテ the number moves to
    ledger::Phones phones;
    ledger::KouhiEntry kouhi;
    ledger::KaigoEntry kaigo;
    int64_t audit_id = 0;  // Undo
    bool operator==(const PageOp&) const = default;
};
const char* op_name(PageOp::Kind k);  // "confirm_card" … (logs)

namespace page_effect {
struct Load {
    std::string karte;
};
struct Lookup {  // 付け替え先 (the patient named in the confirmation)
    std::string karte;
};
struct Detail {
    int64_t check_id = 0;
};
struct Write {
    PageOp op;
};
struct Query {  // 単件照会: the console's own query path (限度額 consent, 照会中, 差分確認)
    std::string karte;
};
}  // namespace page_effect
using PageEffect =
    std::variant<page_effect::Load, page_effect::Lookup, page_effect::Detail, page_effect::Write, page_effect::Query>;

namespace page_in {
// ---- from the screen
struct Open {
    std::string karte;
};
struct ShowTab {
    PatientTab tab;
};
struct Query {};        // 単件照会
struct AskConfirmCard {};  // 保険証確認 (F4)
struct AskUnlink {};       // 照会番号の削除
struct AskRelink {};       // 付け替え
struct EditPhones {};
struct EditKouhi {};
struct EditKaigo {};
struct ShowDetail {
    int64_t check_id = 0;
};
struct AskUndo {
    int64_t audit_id = 0;
};
struct Focus {
    size_t index = 0;
};
struct Key {  // a pad key into the focused box (digits, "-", a care level …)
    std::string key;
};
struct Erase {};
struct Confirm {};  // OK / 次へ of the dialog
struct Dismiss {};  // キャンセル / 閉じる
// ---- from the host (the worker's outcome)
struct Loaded {
    std::string karte;
    std::optional<PatientData> data;  // nullopt: not in the ledger
    text::Message message;
};
struct LookedUp {
    std::string karte;
    std::optional<ledger::Patient> patient;
};
struct DetailReady {
    std::optional<CheckDetail> detail;
};
struct Written {
    PageOp op;
    bool ok = false;
    int64_t audit_id = 0;
    text::Message message;            // done, or the ledger's refusal
    std::optional<PatientData> data;  // read again after the write
};
}  // namespace page_in
using PageIntent = std::variant<page_in::Open, page_in::ShowTab, page_in::Query, page_in::AskConfirmCard,
                                page_in::AskUnlink, page_in::AskRelink, page_in::EditPhones, page_in::EditKouhi,
                                page_in::EditKaigo, page_in::ShowDetail, page_in::AskUndo, page_in::Focus, page_in::Key,
                                page_in::Erase, page_in::Confirm, page_in::Dismiss, page_in::Loaded, page_in::LookedUp,
                                page_in::DetailReady, page_in::Written>;
const char* page_intent_name(const PageIntent& i);

// One intent: the page changes, the work for the host comes back. Writes are refused while one is running.
std::vector<PageEffect> handle(PatientPage& page, const PageIntent& intent);

// The host's side: runs one effect against the ledger and returns the intent with its outcome. Never throws
// for a ledger refusal (it comes back as Written{ok = false} with the ledger's message). Query is not the
// page's to run (the console sends it) and returns nullopt.
std::optional<PageIntent> run_page_effect(ledger::LedgerStore& store, const PageEffect& effect,
                                          const std::string& staff_id);
PatientData load_patient(const ledger::LedgerStore& store, const std::string& karte);  // LedgerError NotFound

}  // namespace onshi::console
