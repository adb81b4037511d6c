#pragma once
// Everything that can happen to a visit: intents from the screens (in::…) and events from the card reader
// and the face/ folder of the OQS terminal. Screens return intents; only the flow changes state.
#include <string>
#include <variant>

#include "core/flow/ports.hpp"
#include "core/flow/visual_reason.hpp"
#include "core/oqs/result.hpp"

namespace onshi::flow::in {

// ---- from the screens ----
struct Activity {};     // any touch: restarts the idle timer
struct StaffButton {};  // 職員用 on 待機
struct SelectStaff {
    std::string id;
};
struct Passcode {
    std::string digits;
};
struct ChooseReason {
    VisualReason reason;
};  // 目視確認の理由 (one tap)
struct FaceNumber {
    std::string birth_yymmdd, expiry_year, security_code;
};                        // 照合番号B, never logged
struct ConfirmPerson {};  // 本人と確認しました
struct GuidanceNext {};   // 次へ / 結果を待つ on 顔認証付きカードリーダーへ
struct GuidanceBack {};   // 戻る
struct WaitAgain {};      // もう一度待つ (after the wait ran out): nothing is sent
struct ClaimResult {
    bool mine;
};                   // a result naming nobody: この方の結果です / 違います
struct ShowDiff {};  // 差分確認へ, from the consent summary
struct ChooseCandidate {
    std::string karte;
};
struct ChooseNewPatient {};
struct SetOverwriteMode {
    bool on;
};  // 上書き
struct SetShowAll {
    bool on;
};  // 全表示
struct ToggleField {
    ledger::Field field;
};
struct Update {};  // 更新する
struct ConfirmSwitch {
    std::string date;        // 切替日 (ISO)
    std::string valid_from = {};  // 保険有効開始日 of the new card (ISO, "" : the answer's)
    std::string limit_from = {};  // 限度額開始日 (ISO, "" : the answer's, or none)
};  // OK in the 切替日 dialog
struct CancelSwitch {};
struct Register {};          // 新患登録
struct FetchMedicalInfo {};  // 特健・薬剤等を取得する
struct Cancel {};            // キャンセル on 差分確認: only the check is recorded
struct Acknowledge {};       // OK on 登録完了 / エラー / 中止
struct Abort {};             // 中止: from anywhere, writes nothing
struct Lock {};              // ロック by hand

// ---- from the devices ----
struct Tick {};
struct CardInserted {};
struct CardRemoved {};
struct CardInspected {
    CardInspection result;
};
struct FaceRead {
    FaceReadOutcome result;
};
// A face/ result (OQSsiquc01res_face_*.xml): the reader's own reception, 目視確認モード included. The kiosk
// has taken it in before (core/intake); the visit only pairs it with the person it waits for.
struct FaceResult {
    std::string file;
    oqs::QualificationResult result;
    std::string raw_xml;      // UTF-8
    int64_t received_ms = 0;  // when the kiosk saw the file (the visit clock); 0: when the flow handles it
    int64_t check_id = 0;     // the check its intake recorded (a matched result); 0 none
};
// An OQS answer staff open from the reception console (a 単件照会's answer, or a 原簿未登録 face result):
// 差分確認 for `karte` ("" : staff register or choose), with the check already recorded (`check_id`, 0 none).
struct ReviewAnswer {
    oqs::QualificationResult result;
    std::string raw_xml;
    std::string karte;
    int64_t check_id = 0;
};

}  // namespace onshi::flow::in

namespace onshi::flow {
using Input =
    std::variant<in::Activity, in::StaffButton, in::SelectStaff, in::Passcode, in::ChooseReason, in::FaceNumber,
                 in::ConfirmPerson, in::GuidanceNext, in::GuidanceBack, in::WaitAgain, in::ClaimResult, in::ShowDiff, in::ChooseCandidate,
                 in::ChooseNewPatient, in::SetOverwriteMode, in::SetShowAll, in::ToggleField, in::Update,
                 in::ConfirmSwitch, in::CancelSwitch, in::Register, in::FetchMedicalInfo, in::Cancel, in::Acknowledge,
                 in::Abort, in::Lock, in::Tick, in::CardInserted, in::CardRemoved, in::CardInspected, in::FaceRead,
                 in::FaceResult, in::ReviewAnswer>;
const char* input_name(const Input& input);  // for logs: never the passcode or 照合番号B
}  // namespace onshi::flow
