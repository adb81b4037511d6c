#include "core/flow/visit.hpp"

namespace onshi::flow {

const char* step_name(Step s) {
    switch (s) {
        case Step::Standby: return "standby";
        case Step::StaffAuth: return "staff_auth";
        case Step::AwaitCard: return "await_card";
        case Step::CardFace: return "card_face";
        case Step::Consent: return "consent";
        case Step::Handback: return "handback";
        case Step::Querying: return "querying";
        case Step::Diff: return "diff";
        case Step::Done: return "done";
        case Step::Locked: return "locked";
        case Step::Error: return "error";
        case Step::Aborted: return "aborted";
    }
    return "?";
}

const char* step_title_ja(Step s) {
    switch (s) {
        case Step::Standby: return "待機";
        case Step::StaffAuth: return "職員認証";
        case Step::AwaitCard: return "カード待ち";
        case Step::CardFace: return "券面確認";
        case Step::Consent: return "同意";
        case Step::Handback: return "職員へお戻しください";
        case Step::Querying: return "照会中";
        case Step::Diff: return "差分確認";
        case Step::Done: return "登録完了";
        case Step::Locked: return "ロック";
        case Step::Error: return "エラー";
        case Step::Aborted: return "中止";
    }
    return "?";
}

bool is_patient_facing(Step s) { return s == Step::Standby || s == Step::Consent; }

const std::array<ConsentQuestion, kConsentCount>& consent_questions() {
    static const std::array<ConsentQuestion, kConsentCount> q = {{
        {ConsentKind::Pharmacists, "pharmacists", "薬剤情報",
         "これまでに処方されたお薬の情報を、この医療機関に提供することに同意しますか？"},
        {ConsentKind::Diagnosis, "diagnosis", "診療情報",
         "過去の診療の情報を、この医療機関に提供することに同意しますか？"},
        {ConsentKind::SpecificHealthCheckups, "specific_health_checkups", "特定健診情報",
         "特定健診などの健診の結果を、この医療機関に提供することに同意しますか？"},
        {ConsentKind::Operation, "operation", "手術情報",
         "過去の手術の情報を、この医療機関に提供することに同意しますか？"},
        {ConsentKind::LimitApplication, "limit_application", "限度額適用認定証",
         "医療費の自己負担の限度額の情報を、この医療機関に提供することに同意しますか？"},
        {ConsentKind::SpecificDiseases, "specific_diseases", "特定疾病",
         "特定疾病療養受療証の情報を、この医療機関に提供することに同意しますか？"},
    }};
    return q;
}

}  // namespace onshi::flow
