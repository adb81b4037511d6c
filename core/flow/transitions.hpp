#pragma once
// The 目視確認 visit's transition table, boost-ext/sml style: one row per transition,
//   {from step, event, guard, to, action}
// read top to bottom; the first row whose step, event and guard match fires. VisualConfirmFlow decides
// with this table and nothing else; docs/flow.md shows it with a Mermaid diagram generated from it.
// Rules the rows rely on:
//   - Stay is an internal transition (the step keeps its state); a step named in `to` is entered anew.
//   - ロック covers a step: when no Locked row takes a device event (card, face/ result, tick), the covered step's rows
//   do,
//     underneath the lock. Unlock returns to the covered step as it now is.
//   - Internal events (passcode_accepted …) are raised by an action with the outcome of a port call and go
//     through the table like any input.
//   - On entry (kOnEntry) runs after the action of the row that enters a step.
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "core/flow/inputs.hpp"
#include "core/flow/visit.hpp"

namespace onshi::flow {

// Every input (in the order of flow::Input), then the flow's internal events.
enum class Event : uint8_t {
    Activity,
    StaffButton,
    SelectStaff,
    Passcode,
    ChooseReason,
    FaceNumber,
    ConfirmPerson,
    GuidanceNext,
    GuidanceBack,
    WaitAgain,
    ClaimResult,
    ShowDiff,
    ChooseCandidate,
    ChooseNewPatient,
    SetOverwriteMode,
    SetShowAll,
    ToggleField,
    Update,
    ConfirmSwitch,
    CancelSwitch,
    Register,
    FetchMedicalInfo,
    Cancel,
    Acknowledge,
    Abort,
    Lock,
    Tick,
    CardInserted,
    CardRemoved,
    CardInspected,
    FaceRead,
    FaceResult,
    ReviewAnswer,
    // internal
    PasscodeAccepted,
    PasscodeRejected,
    Applied,
    PlanRefused,
    Count_
};
static_assert(size_t(Event::ReviewAnswer) + 1 == std::variant_size_v<Input>, "one Event per Input, in order");
inline Event event_of(const Input& in) { return Event(in.index()); }
const char* event_name(Event e);
bool is_device_event(Event e);  // from the reader or the OQS terminal (no touch)

enum class Guard : uint8_t {
    Always,
    NoActiveStaff,
    KnownStaff,
    StaffChosen,
    CardPresent,
    ReasonCardPresent,
    KnownReason,
    LockoutOver,
    StaffCheckDue,
    StaffIdle,
    DoneElapsed,
    AbortedElapsed,
    InspectionFailed,
    Inspecting,
    NumberMalformed,
    EntryAllowed,
    ReadOk,
    WrongNumber,
    CardBlocked,
    ReadRefused,
    ReadBadInput,
    ReadFailedCardPresent,
    ReadFailed,
    ForgedFace,
    FaceShown,
    LastInstruction,
    NotFirstInstruction,
    ThisPersonsResult,
    OfThisPerson,
    AnotherPersonsResult,
    NamesNobody,
    FaceWaitOver,
    HoldingUnnamed,
    ChoosingPatient,
    OfferedCandidate,
    HasDiff,
    FieldToggleable,
    SwitchWithoutOverwrite,
    NewPatient,
    NotWritable,
    NothingChanged,
    NothingChecked,
    CanOverwrite,
    SwitchDialogOpen,
    SwitchDateInvalid,
    MedicalInfoOffered,
    NoPatient,
    StaffSignedIn,
    ToConsole,
    ToConsoleDoneElapsed,
    Count_
};
const char* guard_name(Guard g);  // "" for Always

enum class Action : uint8_t {
    None,
    LoadStaff,
    FailNoStaff,
    SelectStaff,
    VerifyPasscode,
    SignIn,
    SetReason,
    ShowAuthRefusal,
    ClearLockout,
    Lock,
    CardPulled,
    TakeInspection,
    InspectionFailed,
    SayNumberFormat,
    ReadFace,
    ShowFace,
    SayWrongNumber,
    FailBlocked,
    SayFloor,
    SayBadFormat,
    RereadCard,
    SayReadFailed,
    SayForged,
    RememberPerson,
    NextInstruction,
    PreviousInstruction,
    TakeFaceResult,
    SayAnotherPerson,
    HoldUnnamed,
    ClaimUnnamed,
    DropUnnamed,
    SayLateResult,
    OpenFaceResult,
    OpenCandidate,
    OpenNewPatient,
    SetOverwriteMode,
    SetShowAll,
    ToggleField,
    OpenSwitchDialog,
    SayNotWritable,
    SayNothingChanged,
    SayCheckFields,
    ApplyOverwrite,
    SaySwitchDateBad,
    ApplySwitch,
    CloseSwitchDialog,
    ApplyRegister,
    ApplyFetchMedicalInfo,
    RecordNothing,
    RecordCheck,
    ShowDone,
    ShowRefusal,
    OpenReview,
    // on entry
    ForgetVisit,
    CheckStaff,
    InspectCard,
    StartFaceWait,
    Count_
};
const char* action_name(Action a);  // "" for None

// Where a row goes: a step (entered anew), Stay (internal) or Unlock (back to the step under the lock).
enum class Target : uint8_t {
    Standby,
    StaffAuth,
    ChooseReason,
    AwaitCard,
    CardFace,
    Guidance,
    FaceWait,
    FaceTimeout,
    FaceConsents,
    Diff,
    Done,
    Locked,
    Error,
    Aborted,
    Stay,
    Unlock
};
constexpr Target to(Step s) { return Target(uint8_t(s)); }
static_assert(uint8_t(Target::Aborted) == uint8_t(Step::Aborted));
const char* target_name(Target t);

struct Transition {
    Step from;
    Event event;
    Guard guard;
    Target to;
    Action action;
};

struct OnEntry {
    Step step;
    Action action;
};

namespace table {
using S = Step;
using E = Event;
using G = Guard;
using T = Target;
using A = Action;

inline constexpr Transition kTransitions[] = {
    // ---- 待機 → 職員認証
    {S::Standby, E::Tick, G::StaffCheckDue, T::Stay, A::CheckStaff},
    {S::Standby, E::StaffButton, G::NoActiveStaff, T::Error, A::FailNoStaff},
    {S::Standby, E::StaffButton, G::Always, T::StaffAuth, A::LoadStaff},
    {S::StaffAuth, E::SelectStaff, G::KnownStaff, T::Stay, A::SelectStaff},
    {S::StaffAuth, E::Passcode, G::StaffChosen, T::Stay, A::VerifyPasscode},
    {S::StaffAuth, E::PasscodeAccepted, G::Always, T::ChooseReason, A::SignIn},
    {S::StaffAuth, E::PasscodeRejected, G::Always, T::Stay, A::ShowAuthRefusal},
    {S::StaffAuth, E::Tick, G::StaffIdle, T::Standby, A::None},
    {S::StaffAuth, E::Tick, G::LockoutOver, T::Stay, A::ClearLockout},
    // ---- 目視確認の理由 (one tap) → カード待ち, or 券面確認 when the card is already on the reader
    {S::ChooseReason, E::ChooseReason, G::ReasonCardPresent, T::CardFace, A::SetReason},
    {S::ChooseReason, E::ChooseReason, G::KnownReason, T::AwaitCard, A::SetReason},
    // ---- カード待ち → 券面確認
    {S::AwaitCard, E::CardInserted, G::Always, T::CardFace, A::None},
    {S::CardFace, E::CardRemoved, G::Always, T::AwaitCard, A::CardPulled},
    {S::CardFace, E::CardInspected, G::InspectionFailed, T::AwaitCard, A::InspectionFailed},
    {S::CardFace, E::CardInspected, G::Inspecting, T::Stay, A::TakeInspection},
    {S::CardFace, E::FaceNumber, G::NumberMalformed, T::Stay, A::SayNumberFormat},
    {S::CardFace, E::FaceNumber, G::EntryAllowed, T::Stay, A::ReadFace},
    {S::CardFace, E::FaceRead, G::ReadOk, T::Stay, A::ShowFace},
    {S::CardFace, E::FaceRead, G::WrongNumber, T::Stay, A::SayWrongNumber},
    {S::CardFace, E::FaceRead, G::CardBlocked, T::Error, A::FailBlocked},
    {S::CardFace, E::FaceRead, G::ReadRefused, T::Stay, A::SayFloor},
    {S::CardFace, E::FaceRead, G::ReadBadInput, T::Stay, A::SayBadFormat},
    {S::CardFace, E::FaceRead, G::ReadFailedCardPresent, T::CardFace, A::RereadCard},
    {S::CardFace, E::FaceRead, G::ReadFailed, T::AwaitCard, A::SayReadFailed},
    {S::CardFace, E::ConfirmPerson, G::ForgedFace, T::Stay, A::SayForged},
    {S::CardFace, E::ConfirmPerson, G::FaceShown, T::Guidance, A::RememberPerson},
    // ---- 顔認証付きカードリーダーへ → 結果待ち → 受け取った結果と同意 (docs/oqs-terminal.md)
    // The patient may finish on the reader while staff still read the instructions: that result is theirs.
    {S::Guidance, E::FaceResult, G::ThisPersonsResult, T::FaceConsents, A::TakeFaceResult},
    {S::Guidance, E::GuidanceNext, G::LastInstruction, T::FaceWait, A::None},
    {S::Guidance, E::GuidanceNext, G::Always, T::Stay, A::NextInstruction},
    {S::Guidance, E::GuidanceBack, G::NotFirstInstruction, T::Stay, A::PreviousInstruction},
    {S::FaceWait, E::FaceResult, G::ThisPersonsResult, T::FaceConsents, A::TakeFaceResult},
    {S::FaceWait, E::FaceResult, G::AnotherPersonsResult, T::Stay, A::SayAnotherPerson},
    {S::FaceWait, E::FaceResult, G::NamesNobody, T::Stay, A::HoldUnnamed},
    {S::FaceWait, E::ClaimResult, G::HoldingUnnamed, T::FaceConsents, A::ClaimUnnamed},
    {S::FaceWait, E::ClaimResult, G::Always, T::Stay, A::DropUnnamed},
    {S::FaceWait, E::Tick, G::FaceWaitOver, T::FaceTimeout, A::None},
    {S::FaceTimeout, E::WaitAgain, G::Always, T::FaceWait, A::None},
    {S::FaceTimeout, E::FaceResult, G::OfThisPerson, T::Stay, A::SayLateResult},
    {S::FaceConsents, E::ShowDiff, G::Always, T::Diff, A::OpenFaceResult},
    // ---- 受付一覧 (the reception console over カード待ち): an answer staff open goes to the same 差分確認
    {S::AwaitCard, E::ReviewAnswer, G::StaffSignedIn, T::Diff, A::OpenReview},
    // ---- 差分確認 → 登録完了
    {S::Diff, E::ChooseCandidate, G::OfferedCandidate, T::Stay, A::OpenCandidate},
    {S::Diff, E::ChooseNewPatient, G::ChoosingPatient, T::Stay, A::OpenNewPatient},
    {S::Diff, E::SetOverwriteMode, G::HasDiff, T::Stay, A::SetOverwriteMode},
    {S::Diff, E::SetShowAll, G::Always, T::Stay, A::SetShowAll},
    {S::Diff, E::ToggleField, G::FieldToggleable, T::Stay, A::ToggleField},
    {S::Diff, E::Update, G::SwitchWithoutOverwrite, T::Stay, A::OpenSwitchDialog},
    {S::Diff, E::Update, G::NewPatient, T::Stay, A::ApplyRegister},
    {S::Diff, E::Update, G::NotWritable, T::Stay, A::SayNotWritable},
    {S::Diff, E::Update, G::NothingChanged, T::Stay, A::SayNothingChanged},
    {S::Diff, E::Update, G::NothingChecked, T::Stay, A::SayCheckFields},
    {S::Diff, E::Update, G::CanOverwrite, T::Stay, A::ApplyOverwrite},
    {S::Diff, E::ConfirmSwitch, G::SwitchDateInvalid, T::Stay, A::SaySwitchDateBad},
    {S::Diff, E::ConfirmSwitch, G::SwitchDialogOpen, T::Stay, A::ApplySwitch},
    {S::Diff, E::CancelSwitch, G::Always, T::Stay, A::CloseSwitchDialog},
    {S::Diff, E::Register, G::NewPatient, T::Stay, A::ApplyRegister},
    {S::Diff, E::FetchMedicalInfo, G::MedicalInfoOffered, T::Stay, A::ApplyFetchMedicalInfo},
    {S::Diff, E::Cancel, G::SwitchDialogOpen, T::Stay, A::CloseSwitchDialog},
    {S::Diff, E::Cancel, G::NoPatient, T::Done, A::RecordNothing},
    {S::Diff, E::Cancel, G::Always, T::Stay, A::RecordCheck},
    {S::Diff, E::Applied, G::Always, T::Done, A::ShowDone},
    {S::Diff, E::PlanRefused, G::Always, T::Stay, A::ShowRefusal},
    {S::Done, E::Tick, G::ToConsoleDoneElapsed, T::AwaitCard, A::None},  // back to 受付一覧, still signed in
    {S::Done, E::Tick, G::DoneElapsed, T::Standby, A::None},
    {S::Done, E::Acknowledge, G::ToConsole, T::AwaitCard, A::None},
    {S::Done, E::Acknowledge, G::Always, T::Standby, A::None},
    // ---- エラー / 中止
    {S::Error, E::Acknowledge, G::Always, T::Standby, A::None},
    {S::Aborted, E::Acknowledge, G::Always, T::Standby, A::None},
    {S::Aborted, E::Tick, G::AbortedElapsed, T::Standby, A::None},
    {S::StaffAuth, E::Abort, G::Always, T::Aborted, A::None},
    {S::ChooseReason, E::Abort, G::Always, T::Aborted, A::None},
    {S::AwaitCard, E::Abort, G::Always, T::Aborted, A::None},
    {S::CardFace, E::Abort, G::Always, T::Aborted, A::None},
    {S::Guidance, E::Abort, G::Always, T::Aborted, A::None},
    {S::FaceWait, E::Abort, G::Always, T::Aborted, A::None},
    {S::FaceTimeout, E::Abort, G::Always, T::Aborted, A::None},
    {S::FaceConsents, E::Abort, G::Always, T::Aborted, A::None},
    {S::Diff, E::Abort, G::Always, T::Aborted, A::None},
    {S::Done, E::Abort, G::Always, T::Aborted, A::None},
    {S::Error, E::Abort, G::Always, T::Aborted, A::None},
    {S::Locked, E::Abort, G::Always, T::Aborted, A::None},
    // ---- ロック: staff steps lock by hand or after the staff idle time
    {S::ChooseReason, E::Lock, G::Always, T::Locked, A::Lock},
    {S::AwaitCard, E::Lock, G::Always, T::Locked, A::Lock},
    {S::CardFace, E::Lock, G::Always, T::Locked, A::Lock},
    {S::Guidance, E::Lock, G::Always, T::Locked, A::Lock},
    {S::FaceWait, E::Lock, G::Always, T::Locked, A::Lock},
    {S::FaceTimeout, E::Lock, G::Always, T::Locked, A::Lock},
    {S::FaceConsents, E::Lock, G::Always, T::Locked, A::Lock},
    {S::Diff, E::Lock, G::Always, T::Locked, A::Lock},
    {S::Error, E::Lock, G::Always, T::Locked, A::Lock},
    {S::ChooseReason, E::Tick, G::StaffIdle, T::Locked, A::Lock},
    {S::AwaitCard, E::Tick, G::StaffIdle, T::Locked, A::Lock},
    {S::CardFace, E::Tick, G::StaffIdle, T::Locked, A::Lock},
    {S::Guidance, E::Tick, G::StaffIdle, T::Locked, A::Lock},
    {S::FaceWait, E::Tick, G::StaffIdle, T::Locked, A::Lock},
    {S::FaceTimeout, E::Tick, G::StaffIdle, T::Locked, A::Lock},
    {S::FaceConsents, E::Tick, G::StaffIdle, T::Locked, A::Lock},
    {S::Diff, E::Tick, G::StaffIdle, T::Locked, A::Lock},
    {S::Error, E::Tick, G::StaffIdle, T::Locked, A::Lock},
    {S::Locked, E::SelectStaff, G::KnownStaff, T::Stay, A::SelectStaff},
    {S::Locked, E::Passcode, G::StaffChosen, T::Stay, A::VerifyPasscode},
    {S::Locked, E::PasscodeAccepted, G::Always, T::Unlock, A::SignIn},
    {S::Locked, E::PasscodeRejected, G::Always, T::Stay, A::ShowAuthRefusal},
    {S::Locked, E::Tick, G::LockoutOver, T::Stay, A::ClearLockout},
};

inline constexpr OnEntry kOnEntry[] = {
    {S::Standby, A::ForgetVisit},     // nothing personal survives a return to 待機
    {S::Standby, A::CheckStaff},      // 職員用 only while somebody has a passcode
    {S::Aborted, A::ForgetVisit},     // a late answer or card read for the visit is ignored; nothing written
    {S::CardFace, A::InspectCard},    // the chip is inspected each time 券面確認 starts
    {S::FaceWait, A::StartFaceWait},  // the timeout runs from now; the window opened on 本人と確認しました
};

}  // namespace table

inline std::span<const Transition> transitions() { return table::kTransitions; }
inline std::span<const OnEntry> on_entry() { return table::kOnEntry; }

// docs/flow.md's generated part: the table in Markdown and a Mermaid stateDiagram built from the same rows.
std::string transition_table_markdown();
std::string mermaid_state_diagram();
std::string flow_doc_generated();  // both, between the markers docs/flow.md keeps them in
constexpr const char* kFlowDocBegin = "<!-- BEGIN GENERATED: flow table (do not edit; see below) -->";
constexpr const char* kFlowDocEnd = "<!-- END GENERATED: flow table -->";

}  // namespace onshi::flow
