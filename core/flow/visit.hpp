#pragma once
// One visit as data: everything the screens draw. The flow owns it; screens only read it.
// Each step is its own state type holding only that step's data (Visit::state); ロック is an overlay that
// covers a step and keeps it as it was (Visit::lock); what every step shares sits in Visit itself.
// Texts are message ids (core/text/messages_ja.hpp): screens turn them into Japanese.
#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "core/diff/qualification_diff.hpp"
#include "core/flow/ports.hpp"
#include "core/text/messages_ja.hpp"

namespace onshi::flow {

using text::Message;

enum class Step {
    Standby,    // 待機 (patient-facing)
    StaffAuth,  // 職員認証
    AwaitCard,  // カード待ち
    CardFace,   // 券面確認
    Consent,    // 同意 (patient-facing)
    Handback,   // 同意の後、職員へ
    Querying,   // 照会中
    Diff,       // 差分確認
    Done,       // 登録完了
    Locked,     // ロック (an overlay over another step)
    Error,      // エラー
    Aborted,    // 中止
};
constexpr size_t kStepCount = size_t(Step::Aborted) + 1;
const char* step_name(Step s);     // "standby", "staff_auth", … (scripts and logs)
text::Msg step_title(Step s);      // 待機, 職員認証, …
bool is_patient_facing(Step s);

// The consents of the 同意 screens, in order (one decision each).
enum class ConsentKind { Pharmacists, Diagnosis, SpecificHealthCheckups, Operation, LimitApplication, SpecificDiseases };
constexpr size_t kConsentCount = 6;
struct ConsentQuestion {
    ConsentKind kind;
    const char* key;  // ledger consent kind / logs
    text::Msg title;     // 薬剤情報 …
    text::Msg question;
};
const std::array<ConsentQuestion, kConsentCount>& consent_questions();

// The passcode pad of 職員認証 and ロック.
struct AuthPanel {
    Message message;               // a refused passcode, a lockout …
    int64_t locked_until_ms = 0;   // passcode lockout of the chosen member (0: none)
    size_t min_digits = 6, max_digits = 8;  // from the passcode policy
};

// What 差分確認 offers, decided by the flow (the same rules its guards use).
struct DiffActions {
    bool overwrite_toggle = false;    // 上書き
    bool update = false;              // 更新する
    bool register_patient = false;    // 新患登録する
    bool fetch_medical_info = false;  // 特健・薬剤等を取得する
    bool record_only = false;         // nothing can be written: キャンセル reads 確認しました
};

namespace state {

struct Standby {};

struct StaffAuth {
    AuthPanel auth;
};

struct AwaitCard {
    Message message;  // why the card is asked for again (pulled, unreadable …)
};

struct CardFace {
    std::optional<CardInspection> inspection;  // empty while the chip is being inspected
    bool reading = false;                      // 照合番号B sent, the face is being read
    int tries_left = -1;                       // the 照合番号B counter (-1 unknown)
    std::optional<CardFaceView> face;
    Message message;
    // Published by the flow for the screen:
    int safety_floor = -1;        // the reader refuses VERIFY at or below this
    bool entry_allowed = false;   // the 照合番号B pad takes a number now
    bool tries_low = false;       // within one try of the floor: shown in red
    bool confirm_allowed = false; // 本人と確認しました: a face was read and it is no forged suspect
    bool inspecting() const { return !inspection; }
};

struct Consent {
    size_t index = 0;  // the question on screen
};

struct Handback {
    bool timed_out = false;  // the patient walked off: unanswered consents count as 同意しない
};

struct Querying {
    std::string request;  // the OQS request file name
    int64_t started_ms = 0;
};

struct Diff {
    oqs::QualificationResult result;
    size_t record_index = 0;  // the record the diff shows (the current qualification)
    std::string raw_xml;
    diff::MatchResult match;
    bool choosing_patient = false;  // the candidate picker is showing
    std::optional<ledger::PatientRecord> patient;
    std::optional<diff::DiffResult> diff;
    bool overwrite_mode = false, show_all = false;
    std::set<ledger::Field> checked;
    bool switch_dialog = false;
    std::string switch_date;  // ISO, prefilled
    Message message;          // a refused plan or a ledger error
    // Published by the flow for the screen:
    Message headline;
    DiffActions actions;
};

struct Done {
    Message summary;
    std::optional<ledger::ApplyResult> applied;
    int64_t clears_at_ms = 0;  // published: when the flow returns to 待機 by itself
};

struct Error {
    Message title, guidance;
    std::string detail;  // codes for the help desk (処理結果コード …), English
};

struct Aborted {};

}  // namespace state

// The steps in the order of Step, without Locked (an overlay, not a step state).
using StepState = std::variant<state::Standby, state::StaffAuth, state::AwaitCard, state::CardFace, state::Consent,
                               state::Handback, state::Querying, state::Diff, state::Done, state::Error,
                               state::Aborted>;
Step step_of(const StepState& s);

// ロック over the step it covers: Visit::state stays as it was underneath.
struct Locked {
    AuthPanel auth;
};

struct Visit {
    StepState state;
    std::optional<Locked> lock;
    int64_t step_since_ms = 0;
    int64_t last_activity_ms = 0;

    // Shared by the steps of one visit.
    std::vector<StaffEntry> staff;
    std::string staff_id, staff_name;  // chosen / authenticated
    bool authenticated = false;
    bool card_present = false;         // the reader's state: survives the end of a visit
    std::string certificate_der;       // 利用者証明用電子証明書 from the inspection, for the card query
    std::array<std::optional<bool>, kConsentCount> consents{};

    // The step on screen (Locked while the overlay is on).
    Step step() const { return lock ? Step::Locked : step_of(state); }
    // The step under the lock (or on screen when there is no lock).
    Step covered() const { return step_of(state); }
    // The state of the step on screen; null when another step (or the lock) is showing.
    template <class S> const S* as() const { return lock ? nullptr : std::get_if<S>(&state); }
    // The state of step S whether or not the lock covers it.
    template <class S> const S* underneath() const { return std::get_if<S>(&state); }
};

}  // namespace onshi::flow
