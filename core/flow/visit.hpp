#pragma once
// One visit as data: everything the screens draw. The flow owns it; screens only read it.
#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/diff/qualification_diff.hpp"
#include "core/flow/ports.hpp"

namespace onshi::flow {

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
    Locked,     // ロック
    Error,      // エラー
    Aborted,    // 中止
};
const char* step_name(Step s);      // "standby", "staff_auth", … (scripts and logs)
const char* step_title_ja(Step s);  // 待機, 職員認証, …
bool is_patient_facing(Step s);

// The consents of the 同意 screens, in order (one decision each).
enum class ConsentKind { Pharmacists, Diagnosis, SpecificHealthCheckups, Operation, LimitApplication, SpecificDiseases };
constexpr size_t kConsentCount = 6;
struct ConsentQuestion {
    ConsentKind kind;
    const char* key;        // ledger consent kind / logs
    const char* title_ja;   // 薬剤情報 …
    const char* question_ja;
};
const std::array<ConsentQuestion, kConsentCount>& consent_questions();

struct ErrorScreen {
    std::string title_ja, guidance_ja, detail;  // detail: codes for the help desk (処理結果コード …)
};

struct Visit {
    Step step = Step::Standby;
    Step resume = Step::Standby;       // where ロック returns to
    int64_t step_since_ms = 0;
    int64_t last_activity_ms = 0;

    // 職員認証
    std::vector<StaffEntry> staff;
    std::string staff_id, staff_name;  // chosen / authenticated
    bool authenticated = false;
    std::string auth_message_ja;
    int64_t locked_until_ms = 0;       // passcode lockout of the chosen member (0: none)

    // カード
    bool card_present = false;
    bool inspecting = false;
    std::optional<CardInspection> inspection;
    bool reading_face = false;
    int tries_left = -1;
    std::optional<CardFaceView> face;
    std::string card_message_ja;       // wrong number, refused, pulled …

    // 同意
    size_t consent_index = 0;
    std::array<std::optional<bool>, kConsentCount> consents{};
    bool consent_timed_out = false;

    // 照会中
    std::string request;               // the OQS request file name
    int64_t query_started_ms = 0;

    // 差分確認
    std::optional<oqs::QualificationResult> result;
    size_t record_index = 0;           // the record the diff shows (the current qualification)
    std::string raw_xml;
    diff::MatchResult match;
    bool choosing_patient = false;     // the candidate picker is showing
    std::optional<ledger::PatientRecord> patient;
    std::optional<diff::DiffResult> diff;
    bool overwrite_mode = false, show_all = false;
    std::set<ledger::Field> checked;
    bool switch_dialog = false;
    std::string switch_date;           // ISO, prefilled
    std::string diff_message_ja;       // a refused plan or a ledger error

    // 登録完了 / エラー
    std::string done_summary_ja;
    std::optional<ledger::ApplyResult> applied;
    ErrorScreen error;
};

}  // namespace onshi::flow
