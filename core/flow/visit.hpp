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
#include "core/flow/visual_reason.hpp"
#include "core/oqs/result.hpp"
#include "core/text/messages_ja.hpp"

namespace onshi::flow {

using text::Message;

enum class Step {
    Standby,       // 待機 (patient-facing)
    StaffAuth,     // 職員認証
    ChooseReason,  // 目視確認の理由: one tap, the clinic manual's cases
    AwaitCard,     // カード待ち
    CardFace,      // 券面確認
    Guidance,      // 顔認証付きカードリーダーへ: staff instructions, one at a time
    FaceWait,      // 結果待ち: the face/ result of this person
    FaceTimeout,   // 結果が届きません
    FaceConsents,  // 受け取った結果と同意
    Diff,          // 差分確認
    Done,          // 登録完了
    Locked,        // ロック (an overlay over another step)
    Error,         // エラー
    Aborted,       // 中止
};
constexpr size_t kStepCount = size_t(Step::Aborted) + 1;
const char* step_name(Step s);  // "standby", "staff_auth", … (scripts and logs)
text::Msg step_title(Step s);   // 待機, 職員認証, …
bool is_patient_facing(Step s);

// The consents the patient answers on the 顔認証付きカードリーダー, as its face/ result carries them, in the
// order the consent summary shows them.
enum class ConsentKind {
    Pharmacists,
    Diagnosis,
    SpecificHealthCheckups,
    Operation,
    LimitApplication,
    SpecificDiseases
};
constexpr size_t kConsentCount = 6;
struct ConsentQuestion {
    ConsentKind kind;
    const char* key;  // ledger consent kind / logs
    text::Msg title;  // 薬剤情報 …
};
const std::array<ConsentQuestion, kConsentCount>& consent_questions();
// A consent flag of the face result (OQSCD001 / OQSCD016): 1 同意, 0 同意なし; nullopt when the element is
// absent (not asked) or holds another code (2 期限切れ, 3 取得困難).
std::optional<bool> consent_answer(const oqs::Consent& c);
// The six consents of a record, in the order of consent_questions().
std::array<std::optional<bool>, kConsentCount> consents_of(const oqs::QualificationRecord& r);

// The staff instructions of 顔認証付きカードリーダーへ, in order (one on screen at a time).
const std::array<text::Msg, 3>& guidance_steps();

// A face/ result as the visit received it.
struct ReceivedFace {
    std::string file;
    oqs::QualificationResult result;
    std::string raw_xml;
    int64_t received_ms = 0;  // when the kiosk saw it (the visit clock)
    int64_t check_id = 0;     // the check its intake recorded; 0 none
};

// The passcode pad of 職員認証 and ロック.
struct AuthPanel {
    Message message;                        // a refused passcode, a lockout …
    int64_t locked_until_ms = 0;            // passcode lockout of the chosen member (0: none)
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

// 職員用 shows only while at least one active member has a passcode (the clinic manual: the reader shows it
// once a 目視確認用パスコード exists). Checked on entry and again on a frame at most every staff_check_ms.
struct Standby {
    bool staff_button = false;
    int64_t staff_checked_ms = -1;  // -1: not yet
};

struct StaffAuth {
    AuthPanel auth;
};

struct ChooseReason {};  // the choices are visual_reasons(); the one chosen is Visit::visual_reason

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
    int safety_floor = -1;         // the reader refuses VERIFY at or below this
    bool entry_allowed = false;    // the 照合番号B pad takes a number now
    bool tries_low = false;        // within one try of the floor: shown in red
    bool confirm_allowed = false;  // 本人と確認しました: a face was read and it is no forged suspect
    bool inspecting() const { return !inspection; }
};

struct Guidance {
    size_t index = 0;  // the instruction on screen (guidance_steps())
};

// Waits for the face/ result of the person confirmed on 券面確認: its birth date and sex equal the chip's
// and it arrived within [since_ms, until_ms] — since 本人と確認しました (the reader may be used while the
// instructions are still on screen), until face_wait after this screen opened. Nothing is sent anywhere:
// the reader and the terminal act.
struct FaceWait {
    int64_t since_ms = 0, until_ms = 0;
    Message notice;                       // 別の方の結果が届きました …
    std::optional<ReceivedFace> unnamed;  // a result naming nobody (該当資格なし, エラー): staff decide
};

struct FaceTimeout {
    Message notice;  // a result of this person that came after the wait
};

struct FaceConsents {
    ReceivedFace face;
    size_t record_index = 0;  // the record the summary and the diff show
    bool claimed = false;     // a result naming nobody that staff took as this person's
};

struct Diff {
    oqs::QualificationResult result;
    size_t record_index = 0;  // the record the diff shows (the current qualification)
    std::string raw_xml;
    // The check already recorded for this answer (the face intake's, or the 単件照会's): no decision here
    // records another. A paired face result's check is marked 目視確認 by the staff member.
    int64_t check_id = 0;
    bool paired_face = false;   // the visit's own face result (目視確認)
    bool from_console = false;  // opened from 受付一覧: 登録完了 returns there
    diff::MatchResult match;
    bool choosing_patient = false;  // the candidate picker is showing
    std::optional<ledger::PatientRecord> patient;
    // The patient's version `patient` was read at (LedgerPort::patient_version), kept in the plan: a patient
    // changed at another counter since is refused and the diff computed again (docs/ledger-postgres.md).
    std::optional<int64_t> base_version;
    std::optional<diff::DiffResult> diff;
    bool overwrite_mode = false, show_all = false;
    std::set<ledger::Field> checked;
    bool switch_dialog = false;
    // The 切替日 dialog's dates (ISO): prefilled from the answer (切替日 from its 保険有効開始日 row), then as
    // staff confirmed them. limit_from "" : the answer has no 限度額.
    std::string switch_date, valid_from, limit_from;
    Message message;          // a refused plan or a ledger error
    // Published by the flow for the screen:
    Message headline;
    DiffActions actions;
};

struct Done {
    Message summary;
    std::optional<ledger::ApplyResult> applied;
    int64_t clears_at_ms = 0;  // published: when the flow returns to 待機 by itself
    bool to_console = false;   // opened from 受付一覧: back to カード待ち with the console, not 待機
};

struct Error {
    Message title, guidance;
    std::string detail;  // codes for the help desk (処理結果コード …), English
};

struct Aborted {};

}  // namespace state

// The steps in the order of Step, without Locked (an overlay, not a step state).
using StepState =
    std::variant<state::Standby, state::StaffAuth, state::ChooseReason, state::AwaitCard, state::CardFace, state::Guidance, state::FaceWait,
                 state::FaceTimeout, state::FaceConsents, state::Diff, state::Done, state::Error, state::Aborted>;
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
    VisualReason visual_reason = VisualReason::None;  // 目視確認の理由, chosen after 職員認証
    bool card_present = false;         // the reader's state: survives the end of a visit
    std::string chip_birth, chip_sex;  // from the chip on 本人と確認しました: whose face/ result to take
    int64_t face_window_from_ms = 0;   // 本人と確認しました: a face/ result from before is not this visit's
    std::array<std::optional<bool>, kConsentCount> consents{};  // from the face/ result taken

    // The step on screen (Locked while the overlay is on).
    Step step() const { return lock ? Step::Locked : step_of(state); }
    // The step under the lock (or on screen when there is no lock).
    Step covered() const { return step_of(state); }
    // The state of the step on screen; null when another step (or the lock) is showing.
    template <class S>
    const S* as() const {
        return lock ? nullptr : std::get_if<S>(&state);
    }
    // The state of step S whether or not the lock covers it.
    template <class S>
    const S* underneath() const {
        return std::get_if<S>(&state);
    }
};

}  // namespace onshi::flow
