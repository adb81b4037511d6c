#pragma once
// The Japanese message catalogue of the 目視確認 visit: every UI string of the flow, core/diff and the kiosk
// screens, keyed by id. The model publishes ids (+ a count, a second count and a name where the wording
// needs them); screens turn them into text here. The wording follows the clinic manual — change it here only.
#include <cstdint>
#include <string>
#include <string_view>

namespace onshi::text {

enum class Msg : uint16_t {
    None,      // ""
    Verbatim,  // {s}: text that another module already wrote in Japanese (ledger, passcodes)

    // ---- step titles
    TitleStandby,
    TitleStaffAuth,
    TitleAwaitCard,
    TitleCardFace,
    TitleGuidance,
    TitleFaceWait,
    TitleFaceTimeout,
    TitleFaceConsents,
    TitleDiff,
    TitleDone,
    TitleLocked,
    TitleError,
    TitleAborted,
    TitleLockedHeader,

    // ---- shared pieces of the screens
    Abort,
    StaffInCharge,
    Close,
    Acknowledged,
    Cancel,
    Admin,

    // ---- 待機
    PlaceCard,
    PlaceInsuranceCard,
    TrainingScenario,
    ScenarioNone,
    StaffButton,

    // ---- 職員認証 / ロック
    ChooseYourName,
    PasscodePrompt,
    LockedOut,
    LockoutCountdown,
    LockedIdle,

    // ---- カード待ち / 券面確認 (messages of the flow)
    PlaceMyNumberCard,
    NoPinInVisualMode,
    CardPulled,
    CardUnreadable,
    NumberFormatGuide,
    WrongNumber,
    NumberLocked,
    NumberLockedGuidance,
    FaceFloor,
    NumberBadFormat,
    CardLostMidRead,
    CardReadFailedNoTry,
    ForgedCannotContinue,
    // (券面確認 screen)
    SexMale,
    SexFemale,
    SexUnknown,
    NumberEntryTitle,
    NumberBirthPart,
    NumberExpiryPart,
    NumberCodePart,
    NoPhoto,
    ChipInfo,
    ChipBirth,
    ChipSex,
    ChipExpiry,
    NoNameImage,
    NoAddressImage,
    AuthenticityGenuine,
    AuthenticityForged,
    AuthenticityUnverified,
    ForgedBanner,
    TriesLeft,
    TriesChecking,
    InspectingCard,
    ReadingFace,
    ComparePhoto,
    ConfirmPerson,

    // ---- 顔認証付きカードリーダーへ / 結果待ち / 結果が届きません (the reader in its 目視確認モード)
    GuideReaderMode,
    GuideCardOnReader,
    GuideTurnReader,
    GuideProgress,
    GuideNext,
    GuideBack,
    GuideStartWaiting,
    FaceWaiting,
    FaceWaitHint,
    FaceWaitPerson,
    SecondsLeft,
    AnotherPersonsResult,
    UnnamedResult,
    ClaimMine,
    ClaimNotMine,
    FaceTimeoutHeadline,
    FaceTimeoutCheckMode,
    FaceTimeoutCheckPatient,
    FaceTimeoutCheckTerminal,
    FaceTimeoutNoResend,
    WaitAgain,
    LateResult,

    // ---- 受け取った結果と同意
    ConsentPharmacistsTitle,
    ConsentDiagnosisTitle,
    ConsentCheckupsTitle,
    ConsentOperationTitle,
    ConsentLimitTitle,
    ConsentDiseasesTitle,
    ConsentsReceived,
    ConsentGiven,
    ConsentRefused,
    ConsentNotAnswered,
    ClaimedNote,
    ResultName,
    ToDiff,
    ReaderModeBack,

    // ---- 受付結果 (face/ results taken in)
    ReceptionResults,
    ReceptionUnregistered,
    ReceptionMalformed,
    ReceptionEmpty,

    // ---- 研修モード
    TrainingPutOnReader,
    ScenarioAnotherPerson,

    // ---- エラー
    NoStaffRegistered,
    NoStaffGuidance,
    ErrorDetail,

    // ---- 差分確認 (screen)
    QualificationStatus,
    LedgerKarte,
    LedgerNoPatient,
    ReferenceNumber,
    NotRegistered,
    HeadlineUnchanged,
    HeadlineExtendOnly,
    HeadlineOverwrite,
    HeadlineSwitchCard,
    HeadlineNewPatient,
    HeadlineNoValidCard,
    HeadlineError,
    ChooseCandidatePrompt,
    CandidateLabel,
    CandidateNames,
    NoneOfThem,
    SwitchDatePrompt,
    SwitchDateHint,
    SwitchDateShown,
    SwitchDateInvalidShown,
    PartYear,
    PartMonth,
    PartDay,
    StepDown,
    StepUp,
    SwitchOk,
    ColumnField,
    ColumnCurrent,
    ColumnOnline,
    NoDifferingRows,
    ShowAll,
    ShowDiffOnly,
    OverwriteMode,
    RegisterNewPatient,
    Update,
    FetchMedicalInfo,
    // (messages of the flow)
    NotWritable,
    NothingChanged,
    CheckFieldsToOverwrite,
    SwitchDateNotADate,

    // ---- core/diff: guidance and refused plans
    GuidanceInvalid,
    GuidanceInvalidNewQualification,
    GuidanceNotFound,
    GuidanceMultiple,
    GuidanceQuerying,
    GuidanceError,
    GuidanceNoRecord,
    PlanFieldNotInDiff,
    PlanNothingOnline,
    PlanNotInLedger,
    PlanOnlyRecord,
    PlanNoReferenceNumber,
    PlanReferenceNumberKnown,
    PlanDuplicateField,
    PlanNoCardToOverwrite,
    PlanSameCard,
    PlanSwitchDateMissing,
    PlanSwitchDateBad,
    PlanAlreadyRegistered,
    PlanNotNewPatient,
    RecordOutOfRange,

    // ---- 登録完了 / 中止
    DoneRegistered,
    DoneSwitched,
    DoneOverwritten,
    DoneReferenceLinked,
    DoneCheckRecorded,
    DoneNothingWritten,
    KarteNumber,
    BackToStandbyIn,
    Aborted,
    NothingRegistered,
    ToStandby,

    // ---- 患者原簿 and 保険証で資格確認 (core/console/patient_page, typed_card)
    TitlePatientPage,
    PatientLoading,
    PatientNotFound,
    PatientNamed,
    PatientCardConfirmed,
    PatientUnlinked,
    PatientRelinked,
    PatientPhonesSaved,
    PatientKouhiAdded,
    PatientKaigoAdded,
    PatientUndone,
    PatientNoReference,
    PatientNoCard,
    PatientRelinkSame,
    PatientRelinkNoTarget,
    PatientBusy,
    PatientNothingTyped,
    PatientNoDetail,
    PatientWriteFailed,
    ConfirmCardQuestion,
    UnlinkQuestion,
    RelinkTargetPrompt,
    RelinkQuestion,
    RelinkFrom,
    RelinkTo,
    RelinkFromNobody,
    UndoQuestion,
    PatientTabLedger,
    PatientTabHistory,
    PatientCurrentCard,
    PatientPastCard,
    PatientPeriod,
    PatientCheckedOn,
    PatientReference,
    PatientNone,
    PatientPhones,
    PhoneHome,
    PhoneContact,
    PhoneMobile,
    PatientKouhi,
    PatientKaigo,
    KouhiPayer,
    KouhiRecipient,
    EntryValidFrom,
    EntryValidUntil,
    KaigoInsurer,
    KaigoInsured,
    KaigoLevel,
    DateEntryHint,
    BtnConfirmCard,
    BtnUnlink,
    BtnRelink,
    BtnEditPhones,
    BtnAddKouhi,
    BtnAddKaigo,
    BtnDetail,
    BtnUndo,
    BtnOk,
    BtnNext,
    BtnTypedCard,
    BtnSwitchCard,
    HistoryChecks,
    HistoryChanges,
    HistoryUndone,
    HistoryEmpty,
    DetailTitle,
    DetailConsents,
    DetailCard,
    DetailMethod,
    DetailRecorded,
    TitleTypedQuery,
    TitleTypedRegister,
    TitleTypedSwitch,
    TypedHint,
    TypedAidHint,
    TypedLimitConsent,
    TypedLimitHint,
    TypedSwitchDate,
    TypedSwitchHint,
    TypedSex,
    TypedDateRead,
    TypedInsurerKind,
    BtnQualify,
    BtnRegisterTyped,
    BtnSwitchTyped,
    TypedRegistered,
    TypedSwitched,
    TypedSent,

    // ---- 管理 / start-up failure
    DevicesTitle,
    Running,
    NotStarted,
    CardReader,
    NotFound,
    OqsFolder,
    Ledger,
    Backup,
    StaffTitle,
    StaffHowTo,
    BackupNow,
    CannotStart,
    CallAdmin,
    StaffLine,
    StaffInactive,
    StaffLocked,
    StaffNoPasscode,
    BackupDone,
    BackupFailed,
    TrainingSetupFailed,
    ConfigProblem,
    LedgerProblem,
    CannotStartReason,

    // ---- the kiosk shell: window, 研修モード, device problems
    WindowTitle,
    TrainingBanner,
    PcscdNotRunning,
    ReaderNotFound,
    OqsFolderMissing,
    ScenarioValid,
    ScenarioInsurerChanged,
    ScenarioInvalid,
    ScenarioNotFound,
    ScenarioError,
    ScenarioForged,
    ScenarioCardPulled,
    ScenarioFailed,

    // ---- the number pad
    PadClear,
    PadOk,

    Count_
};

// A message to show: an id and its parameters. {n} and {m} are counts, {s} and {t} names or texts;
// {tries} is 「（残り{n}回）」 when n ≥ 0 and nothing otherwise.
struct Message {
    Msg id = Msg::None;
    int n = -1;
    int m = -1;
    std::string s;
    std::string t;

    bool empty() const { return id == Msg::None; }
    bool operator==(const Message&) const = default;
};

inline Message msg(Msg id, int n = -1, int m = -1, std::string s = {}, std::string t = {}) {
    return {id, n, m, std::move(s), std::move(t)};
}
inline Message verbatim(std::string ja) { return {Msg::Verbatim, -1, -1, std::move(ja), {}}; }

// The catalogue entry with its placeholders ("" for None).
std::string_view pattern(Msg id);
// The text to show.
std::string ja(const Message& m);
inline std::string ja(Msg id, int n = -1, int m = -1, std::string s = {}, std::string t = {}) {
    return ja(msg(id, n, m, std::move(s), std::move(t)));
}

}  // namespace onshi::text
