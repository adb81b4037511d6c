#include "core/text/messages_ja.hpp"

#include <array>
#include <utility>

namespace onshi::text {
namespace {

struct Entry {
    Msg id;
    std::string_view ja;
};

// One entry per id, in the order of the enum (checked below).
constexpr Entry kCatalogue[] = {
    {Msg::None, ""},
    {Msg::Verbatim, "{s}"},

    {Msg::TitleStandby, "待機"},
    {Msg::TitleStaffAuth, "職員認証"},
    {Msg::TitleAwaitCard, "カード待ち"},
    {Msg::TitleCardFace, "券面確認"},
    {Msg::TitleGuidance, "顔認証付きカードリーダーへ"},
    {Msg::TitleFaceWait, "結果待ち"},
    {Msg::TitleFaceTimeout, "結果が届きません"},
    {Msg::TitleFaceConsents, "受け取った結果"},
    {Msg::TitleDiff, "差分確認"},
    {Msg::TitleDone, "登録完了"},
    {Msg::TitleLocked, "ロック"},
    {Msg::TitleError, "エラー"},
    {Msg::TitleAborted, "中止"},
    {Msg::TitleLockedHeader, "ロック中"},

    {Msg::Abort, "中止"},
    {Msg::StaffInCharge, "担当: {s}"},
    {Msg::Close, "閉じる"},
    {Msg::Acknowledged, "確認しました"},
    {Msg::Cancel, "キャンセル"},
    {Msg::Admin, "管理"},

    {Msg::PlaceCard, "カードを置いてください"},
    {Msg::PlaceInsuranceCard, "マイナ保険証をカードリーダーに置いてください"},
    {Msg::TrainingScenario, "研修シナリオ: {s}"},
    {Msg::ScenarioNone, "（未選択）"},
    {Msg::StaffButton, "職員用"},

    {Msg::ChooseYourName, "お名前を選んでください"},
    {Msg::PasscodePrompt, "{s} さんのパスコード（{n}〜{m}桁）"},
    {Msg::LockedOut, "ロック中です"},
    {Msg::LockoutCountdown, "あと{n}分{m}秒"},
    {Msg::LockedIdle, "しばらく操作がなかったため画面をロックしました。パスコードで再開します。"},

    {Msg::PlaceMyNumberCard, "患者さんのマイナンバーカードをカードリーダーに置いてください"},
    {Msg::NoPinInVisualMode, "目視確認モードでは暗証番号は使いません"},
    {Msg::CardPulled, "カードが取り外されました。もう一度カードリーダーに置いてください。"},
    {Msg::CardUnreadable, "カードを読み取れませんでした。カードを置き直してください。"},
    {Msg::NumberFormatGuide,
     "照合番号Bは、生年月日（和暦6桁）・有効期限の年（西暦4桁）・セキュリティコード（4桁）です。"},
    {Msg::WrongNumber,
     "照合番号Bが違います{tries}。券面の生年月日・有効期限の年・セキュリティコードを確かめてください。"},
    {Msg::NumberLocked, "照合番号Bがロックされています"},
    {Msg::NumberLockedGuidance,
     "このカードの券面は、市区町村の窓口で照合番号Bの再設定をするまで読み取れません。"
     "保険証など別の方法で資格を確認してください。"},
    {Msg::FaceFloor,
     "照合番号Bの残り回数が少ないため{tries}、ここでは入力できません。市区町村の窓口での再設定をご案内ください。"},
    {Msg::NumberBadFormat, "照合番号Bの形式が違います。"},
    {Msg::CardLostMidRead, "読み取り中にカードが外れました。照合番号Bの回数を1回使った可能性があります。"},
    {Msg::CardReadFailedNoTry, "カードを読み取れませんでした。照合番号Bの回数は使っていません。"},
    {Msg::ForgedCannotContinue, "偽造の疑いがあるカードでは続けられません。中止してください。"},
    {Msg::SexMale, "男"},
    {Msg::SexFemale, "女"},
    {Msg::SexUnknown, "—"},
    {Msg::NumberEntryTitle, "照合番号B（券面から入力）"},
    {Msg::NumberBirthPart, "生年月日（和暦 YYMMDD）"},
    {Msg::NumberExpiryPart, "有効期限の年（西暦4桁）"},
    {Msg::NumberCodePart, "セキュリティコード（4桁）"},
    {Msg::NoPhoto, "写真なし"},
    {Msg::ChipInfo, "ICチップの情報"},
    {Msg::ChipBirth, "生年月日  {s}"},
    {Msg::ChipSex, "性別  {s}"},
    {Msg::ChipExpiry, "有効期限  {s}"},
    {Msg::NoNameImage, "氏名の画像なし"},
    {Msg::NoAddressImage, "住所の画像なし"},
    {Msg::AuthenticityGenuine, "真正性: 署名・チャレンジとも確認済み"},
    {Msg::AuthenticityForged, "真正性: 確認できませんでした"},
    {Msg::AuthenticityUnverified, "真正性: 未確認（信頼する鍵が設定されていません）"},
    {Msg::ForgedBanner, "偽造の疑い — このカードでは続けられません"},
    {Msg::TriesLeft, "照合番号B 残り {n} 回"},
    {Msg::TriesChecking, "照合番号B 残り回数を確認中"},
    {Msg::InspectingCard, "カードを読み取っています…"},
    {Msg::ReadingFace, "券面の情報を読み取っています…"},
    {Msg::ComparePhoto, "写真と患者さんのお顔を見比べてください"},
    {Msg::ConfirmPerson, "本人と確認しました"},

    {Msg::GuideReaderMode,
     "オン資PCで顔認証付きカードリーダーを目視確認モードにしてください"
     "（管理者アカウントでログインし「顔認証付きカードリーダー操作」→［目視確認］）。"},
    {Msg::GuideCardOnReader,
     "患者さんのマイナンバーカードを、このカードリーダーから顔認証付きカードリーダーに置き換えてください。"},
    {Msg::GuideTurnReader,
     "顔認証付きカードリーダーの画面を患者さんに向け、同意の項目（薬剤情報・診療情報・特定健診情報・手術情報・限度額な"
     "ど）を"
     "選んでいただいてください。"},
    {Msg::GuideProgress, "手順 {n} / {m}"},
    {Msg::GuideNext, "次へ"},
    {Msg::GuideBack, "戻る"},
    {Msg::GuideStartWaiting, "結果を待つ"},
    {Msg::FaceWaiting, "顔認証付きカードリーダーからの結果を待っています"},
    {Msg::FaceWaitHint, "患者さんが顔認証付きカードリーダーで同意を選び終えると、結果が自動で届きます。"},
    {Msg::FaceWaitPerson, "生年月日 {s} の方の結果を待っています"},
    {Msg::SecondsLeft, "あと{n}秒"},
    {Msg::AnotherPersonsResult, "別の方の結果が届きました: {s} さん（この受付には使いません。受付結果に記録しました）"},
    {Msg::UnnamedResult, "氏名・生年月日のない結果が届きました（{s}）。この方の結果ですか？"},
    {Msg::ClaimMine, "この方の結果です"},
    {Msg::ClaimNotMine, "違います"},
    {Msg::FaceTimeoutHeadline, "待ち時間内に顔認証付きカードリーダーからの結果が届きませんでした"},
    {Msg::FaceTimeoutCheckMode, "・顔認証付きカードリーダーが目視確認モードになっているか"},
    {Msg::FaceTimeoutCheckPatient, "・患者さんが顔認証付きカードリーダーで同意を選び終えたか"},
    {Msg::FaceTimeoutCheckTerminal, "・オン資PC（資格確認端末）の電源が入っていて、結果の画面にエラーが出ていないか"},
    {Msg::FaceTimeoutNoResend, "自動では何も再送しません。確かめてから「もう一度待つ」を押してください。"},
    {Msg::WaitAgain, "もう一度待つ"},
    {Msg::LateResult, "待ち時間を過ぎてからこの方の結果が届きました。受付結果に記録しています。"},

    {Msg::ConsentPharmacistsTitle, "薬剤情報"},
    {Msg::ConsentDiagnosisTitle, "診療情報"},
    {Msg::ConsentCheckupsTitle, "特定健診情報"},
    {Msg::ConsentOperationTitle, "手術情報"},
    {Msg::ConsentLimitTitle, "限度額適用認定証"},
    {Msg::ConsentDiseasesTitle, "特定疾病"},
    {Msg::ConsentsReceived, "顔認証付きカードリーダーで選ばれた同意"},
    {Msg::ConsentGiven, "同意する"},
    {Msg::ConsentRefused, "同意しない"},
    {Msg::ConsentNotAnswered, "—"},
    {Msg::ClaimedNote, "氏名・生年月日のない結果を、この方の結果として受け取りました。"},
    {Msg::ResultName, "氏名: {s}"},
    {Msg::ToDiff, "差分確認へ"},
    {Msg::ReaderModeBack, "終わったら顔認証付きカードリーダーを元のモードに戻してください。"},

    {Msg::ReceptionResults, "受付結果"},
    {Msg::ReceptionUnregistered, "原簿未登録"},
    {Msg::ReceptionMalformed, "読み取れないファイル"},
    {Msg::ReceptionEmpty, "まだ結果は届いていません"},

    {Msg::TrainingPutOnReader, "顔認証リーダーに置く"},
    {Msg::ScenarioAnotherPerson, "別の方の結果"},

    {Msg::NoStaffRegistered, "職員が登録されていません"},
    {Msg::NoStaffGuidance, "管理者が onshi staff add で職員とパスコードを登録してください。"},
    {Msg::ErrorDetail, "詳細: {s}"},

    {Msg::QualificationStatus, "資格: {s}"},
    {Msg::LedgerKarte, "カルテ {s}"},
    {Msg::LedgerNoPatient, "原簿の患者: なし"},
    {Msg::ReferenceNumber, "照会番号: {s}"},
    {Msg::NotRegistered, "未登録"},
    {Msg::HeadlineUnchanged, "原簿の内容はオンライン資格確認と同じです"},
    {Msg::HeadlineExtendOnly, "有効期限の延長・枝番の追加です（上書き）"},
    {Msg::HeadlineOverwrite, "緑色の項目が異なります。上書きする項目を選んでください"},
    {Msg::HeadlineSwitchCard, "保険証が変わっています。更新すると切替日で切り替えます"},
    {Msg::HeadlineNewPatient, "原簿にいない患者さんです。新患として登録できます"},
    {Msg::HeadlineNoValidCard, "有効な資格がありません"},
    {Msg::HeadlineError, "資格確認でエラーになりました"},
    {Msg::ChooseCandidatePrompt, "該当する可能性のある患者さんが複数います。正しい患者さんを選んでください"},
    {Msg::CandidateLabel, "カルテ {s}"},
    {Msg::CandidateNames, "{s}（{t}）"},
    {Msg::NoneOfThem, "どれでもない（新患として登録）"},
    {Msg::SwitchDatePrompt, "[保険] を切り替える日付（切替日）を指定してください"},
    {Msg::SwitchDateHint, "新しい保険証が有効になる開始日です。一般的に「資格取得日」「交付日」です。"},
    {Msg::SwitchDateShown, "切替日: {s}"},
    {Msg::SwitchDateInvalidShown, "（日付が正しくありません）"},
    {Msg::PartYear, "年"},
    {Msg::PartMonth, "月"},
    {Msg::PartDay, "日"},
    {Msg::StepDown, "－{s}"},
    {Msg::StepUp, "＋{s}"},
    {Msg::SwitchOk, "OK（切り替える）"},
    {Msg::ColumnField, "項目"},
    {Msg::ColumnCurrent, "現在の情報"},
    {Msg::ColumnOnline, "オンライン資格確認"},
    {Msg::NoDifferingRows, "異なる項目はありません（全表示ですべての項目を見られます）"},
    {Msg::ShowAll, "全表示"},
    {Msg::ShowDiffOnly, "差分のみ"},
    {Msg::OverwriteMode, "上書き"},
    {Msg::RegisterNewPatient, "新患登録する"},
    {Msg::Update, "更新する"},
    {Msg::FetchMedicalInfo, "特健・薬剤等を取得する"},
    {Msg::NotWritable, "有効な資格がないため更新できません。キャンセルで確認結果だけを記録します。"},
    {Msg::NothingChanged, "変更はありません。キャンセルしてください。"},
    {Msg::CheckFieldsToOverwrite, "上書きする項目にチェックを入れてください。"},
    {Msg::SwitchDateNotADate, "切替日が正しい日付ではありません。"},

    {Msg::GuidanceInvalid, "新しい保険証が無いか確認してください。保険証が無い場合は10割請求を行ってください。"},
    {Msg::GuidanceInvalidNewQualification, "新しい保険証を確認してください。"},
    {Msg::GuidanceNotFound, "原簿の情報に登録ミスがないか確認し、登録ミスがない場合は保険者に確認してください。"},
    {Msg::GuidanceMultiple, "複数の資格が該当しました。保険証の記号・番号・枝番を確認して、もう一度照会してください。"},
    {Msg::GuidanceQuerying, "原簿に登録している資格情報を照会中です。結果が届いてから確認してください。"},
    {Msg::GuidanceError, "手動で単件照会を実施し、エラーが改善するかご確認ください。"},
    {Msg::GuidanceNoRecord, "照会結果に資格情報が含まれていません。手動で単件照会を実施してください。"},
    {Msg::PlanFieldNotInDiff, "差分に項目がありません: {s}"},
    {Msg::PlanNothingOnline, "オンライン資格確認に値がないため上書きできません: {s}"},
    {Msg::PlanNotInLedger, "患者様が原簿に登録されていません。新患登録を行ってください。"},
    {Msg::PlanOnlyRecord, "資格が有効ではないため、資格確認の記録のみ行えます。"},
    {Msg::PlanNoReferenceNumber, "照会結果に照会番号がないため、特健・薬剤等を取得できません。"},
    {Msg::PlanReferenceNumberKnown, "照会番号は既に登録されています。"},
    {Msg::PlanDuplicateField, "項目が重複しています: {s}"},
    {Msg::PlanNoCardToOverwrite, "上書きする保険証がありません。保険証変更（切替日）で登録してください。"},
    {Msg::PlanSameCard, "同じ保険証のため保険証変更はできません。上書きしてください。"},
    {Msg::PlanSwitchDateMissing, "切替日を入力してください。"},
    {Msg::PlanSwitchDateBad, "切替日が正しくありません: {s}"},
    {Msg::PlanAlreadyRegistered, "この患者様は既に原簿に登録されています（カルテ番号 {s}）。"},
    {Msg::PlanNotNewPatient, "新患登録できない照会結果です。"},
    {Msg::RecordOutOfRange, "照会結果に {n} 件目の資格情報はありません（{m} 件）。"},

    {Msg::DoneRegistered, "新患として登録しました"},
    {Msg::DoneSwitched, "保険証を切り替えました"},
    {Msg::DoneOverwritten, "チェックした項目を上書きしました"},
    {Msg::DoneReferenceLinked, "照会番号を登録しました"},
    {Msg::DoneCheckRecorded, "資格確認の結果を記録しました"},
    {Msg::DoneNothingWritten, "原簿には何も登録していません"},
    {Msg::KarteNumber, "カルテ番号 {s}"},
    {Msg::BackToStandbyIn, "{n}秒後に待機画面に戻ります"},
    {Msg::Aborted, "中止しました"},
    {Msg::NothingRegistered, "何も登録していません"},
    {Msg::ToStandby, "待機画面へ"},

    {Msg::TitlePatientPage, "患者原簿"},
    {Msg::PatientLoading, "読み込み中…"},
    {Msg::PatientNotFound, "カルテ番号 {s} の患者様は原簿に登録されていません。"},
    {Msg::PatientNamed, "{s}（カルテ番号 {t}）"},
    {Msg::PatientCardConfirmed, "保険証確認日を本日の日付に更新しました。"},
    {Msg::PatientUnlinked, "照会番号を削除しました（未登録）。"},
    {Msg::PatientRelinked, "照会番号 {s} をカルテ番号 {t} の患者様に付け替えました。"},
    {Msg::PatientPhonesSaved, "電話番号を保存しました。"},
    {Msg::PatientKouhiAdded, "公費を登録しました。"},
    {Msg::PatientKaigoAdded, "介護保険を登録しました。"},
    {Msg::PatientUndone, "取り消しました。"},
    {Msg::PatientNoReference, "照会番号は未登録です。"},
    {Msg::PatientNoCard, "現在の保険証が登録されていません。"},
    {Msg::PatientRelinkSame, "付け替え先がこの患者様です。別のカルテ番号を入力してください。"},
    {Msg::PatientRelinkNoTarget, "付け替え先のカルテ番号を入力してください。"},
    {Msg::PatientBusy, "処理中です。しばらくお待ちください。"},
    {Msg::PatientNothingTyped, "電話番号を入力してください（空欄の番号は変わりません）。"},
    {Msg::PatientNoDetail, "この資格確認の詳細は記録されていません。"},
    {Msg::PatientWriteFailed, "原簿に書き込めませんでした: {s}"},
    {Msg::ConfirmCardQuestion, "{s} 様の保険証確認日を本日の日付で更新します。よろしいですか？"},
    {Msg::UnlinkQuestion, "{s} 様の照会番号 {t} を削除して「未登録」にします。よろしいですか？"},
    {Msg::RelinkTargetPrompt, "照会番号 {s} の付け替え先の患者様のカルテ番号を入力してください。"},
    {Msg::RelinkQuestion, "照会番号 {s} を付け替えます。よろしいですか？"},
    {Msg::RelinkFrom, "付け替え元: {s}"},
    {Msg::RelinkTo, "付け替え先: {s}"},
    {Msg::RelinkFromNobody, "付け替え元: なし（未登録）"},
    {Msg::UndoQuestion, "次の変更を取り消します。よろしいですか？"},
    {Msg::PatientTabLedger, "原簿"},
    {Msg::PatientTabHistory, "履歴"},
    {Msg::PatientCurrentCard, "保険"},
    {Msg::PatientPastCard, "過{n}"},
    {Msg::PatientPeriod, "{s} 〜 {t}"},
    {Msg::PatientCheckedOn, "保険証確認日: {s}"},
    {Msg::PatientReference, "照会番号: {s}"},
    {Msg::PatientNone, "（なし）"},
    {Msg::PatientPhones, "電話番号"},
    {Msg::PhoneHome, "自宅電話番号"},
    {Msg::PhoneContact, "連絡先電話番号"},
    {Msg::PhoneMobile, "携帯電話番号"},
    {Msg::PatientKouhi, "公費"},
    {Msg::PatientKaigo, "介護保険"},
    {Msg::KouhiPayer, "公費負担者番号"},
    {Msg::KouhiRecipient, "公費受給者番号"},
    {Msg::EntryValidFrom, "有効開始日"},
    {Msg::EntryValidUntil, "有効終了日"},
    {Msg::KaigoInsurer, "介護保険者番号"},
    {Msg::KaigoInsured, "介護被保険者番号"},
    {Msg::KaigoLevel, "要介護度"},
    {Msg::DateEntryHint, "和暦は元号の数字と年月日（令和3年8月1日 → 5030801）、西暦は8桁（20210801）"},
    {Msg::BtnConfirmCard, "F4 保険証確認"},
    {Msg::BtnUnlink, "照会番号の削除"},
    {Msg::BtnRelink, "照会番号の付け替え"},
    {Msg::BtnEditPhones, "電話番号"},
    {Msg::BtnAddKouhi, "公費を追加"},
    {Msg::BtnAddKaigo, "介護保険を追加"},
    {Msg::BtnDetail, "詳細"},
    {Msg::BtnUndo, "取り消し"},
    {Msg::BtnOk, "OK"},
    {Msg::BtnNext, "次へ"},
    {Msg::BtnTypedCard, "保険証で資格確認"},
    {Msg::BtnSwitchCard, "保険証変更"},
    {Msg::HistoryChecks, "資格確認履歴"},
    {Msg::HistoryChanges, "変更履歴"},
    {Msg::HistoryUndone, "取り消し済み"},
    {Msg::HistoryEmpty, "履歴はありません"},
    {Msg::DetailTitle, "資格確認履歴詳細"},
    {Msg::DetailConsents, "同意の有無"},
    {Msg::DetailCard, "資格情報"},
    {Msg::DetailMethod, "確認方法: {s}"},
    {Msg::DetailRecorded, "原簿に記録した同意: {s}"},
    {Msg::TitleTypedQuery, "保険証で資格確認"},
    {Msg::TitleTypedRegister, "新患登録（マイナンバーカードなし）"},
    {Msg::TitleTypedSwitch, "保険証変更（マイナンバーカードなし）"},
    {Msg::TypedHint, "※保険証・資格確認書を参照して入力し、「資格確認」を押してください。"},
    {Msg::TypedAidHint, "※医療扶助の場合、保険者番号欄が「公費負担者番号」、被保険者番号欄が「受給者番号」となります。"},
    {Msg::TypedLimitConsent, "限度額適用認定証の同意"},
    {Msg::TypedLimitHint, "※前期高齢者・後期高齢者の場合、負担割合を確認するには「同意」が必要です。"},
    {Msg::TypedSwitchDate, "切替日"},
    {Msg::TypedSwitchHint, "新しい保険証を持参した場合は、その保険証が有効になる開始日を指定します。"},
    {Msg::TypedSex, "性別"},
    {Msg::TypedDateRead, "→ {s}"},
    {Msg::TypedInsurerKind, "種別: {s}"},
    {Msg::BtnQualify, "資格確認"},
    {Msg::BtnRegisterTyped, "登録する"},
    {Msg::BtnSwitchTyped, "変更する"},
    {Msg::TypedRegistered, "新患登録しました（カルテ番号 {s}）。"},
    {Msg::TypedSwitched, "保険証を変更しました（切替日 {s}）。"},
    {Msg::TypedSent, "資格確認を送信しました。回答をお待ちください。"},

    {Msg::DevicesTitle, "機器の状態"},
    {Msg::Running, "動作中"},
    {Msg::NotStarted, "起動していません"},
    {Msg::CardReader, "カードリーダー"},
    {Msg::NotFound, "見つかりません"},
    {Msg::OqsFolder, "オン資フォルダ"},
    {Msg::Ledger, "患者原簿"},
    {Msg::Backup, "バックアップ"},
    {Msg::StaffTitle, "職員"},
    {Msg::StaffHowTo, "職員の追加・パスコード変更は onshi staff add / onshi staff passcode で行います"},
    {Msg::BackupNow, "今すぐバックアップ"},
    {Msg::CannotStart, "受付端末を開始できません"},
    {Msg::CallAdmin, "管理者に連絡してください。直したあと、端末は自動で再起動します。"},
    {Msg::StaffLine, "{s}（{t}）"},
    {Msg::StaffInactive, "利用停止"},
    {Msg::StaffLocked, "ロック中"},
    {Msg::StaffNoPasscode, "パスコード未設定"},
    {Msg::BackupDone, "バックアップしました: {s}"},
    {Msg::BackupFailed, "バックアップできませんでした: {s}"},
    {Msg::TrainingSetupFailed, "研修モードを準備できませんでした: {s}"},
    {Msg::ConfigProblem, "設定ファイル {s}（{t}）"},
    {Msg::LedgerProblem, "患者原簿: {s}"},
    {Msg::CannotStartReason, "起動できませんでした: {s}"},

    {Msg::WindowTitle, "onshi-kiosk 目視確認"},
    {Msg::TrainingBanner, "研修モード（実際の患者情報は使われません）"},
    {Msg::PcscdNotRunning, "カードリーダーのサービス（pcscd）が起動していません"},
    {Msg::ReaderNotFound, "カードリーダーが見つかりません。接続を確認してください"},
    {Msg::OqsFolderMissing, "オン資PCのフォルダが見つかりません。オン資PCの電源を確認してください"},
    {Msg::ScenarioValid, "有効"},
    {Msg::ScenarioInsurerChanged, "保険者変更"},
    {Msg::ScenarioInvalid, "無効"},
    {Msg::ScenarioNotFound, "該当資格なし"},
    {Msg::ScenarioError, "エラー"},
    {Msg::ScenarioForged, "偽造チップ"},
    {Msg::ScenarioCardPulled, "カード抜去"},
    {Msg::ScenarioFailed, "研修シナリオを切り替えられませんでした: {s}"},

    {Msg::PadClear, "訂正"},
    {Msg::PadOk, "確定"},
};

constexpr bool in_enum_order() {
    if (std::size(kCatalogue) != size_t(Msg::Count_)) return false;
    for (size_t i = 0; i < std::size(kCatalogue); ++i)
        if (size_t(kCatalogue[i].id) != i) return false;
    return true;
}
static_assert(in_enum_order(), "kCatalogue needs one entry per text::Msg, in the enum's order");

}  // namespace

std::string_view pattern(Msg id) {
    size_t i = size_t(id);
    return i < std::size(kCatalogue) ? kCatalogue[i].ja : std::string_view{};
}

std::string ja(const Message& m) {
    const std::string_view p = pattern(m.id);
    if (p.find('{') == std::string_view::npos) return std::string(p);
    // One pass over the pattern: a parameter's own text (a name with "{s}" in it) is never expanded again.
    std::string out;
    for (size_t i = 0; i < p.size();) {
        auto at = [&](std::string_view ph) { return p.compare(i, ph.size(), ph) == 0; };
        if (at("{tries}")) {
            if (m.n >= 0) out += "（残り" + std::to_string(m.n) + "回）";
            i += 7;
        } else if (at("{n}")) {
            out += std::to_string(m.n);
            i += 3;
        } else if (at("{m}")) {
            out += std::to_string(m.m);
            i += 3;
        } else if (at("{s}")) {
            out += m.s;
            i += 3;
        } else if (at("{t}")) {
            out += m.t;
            i += 3;
        } else {
            out += p[i++];
        }
    }
    return out;
}

}  // namespace onshi::text
