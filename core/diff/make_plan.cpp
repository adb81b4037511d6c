// make_plan: the 差分確認 decision → the OverwritePlan the ledger applies. Refuses (std::invalid_argument,
// Japanese message for the screen) every decision the classification does not allow.
#include <set>
#include <stdexcept>

#include "core/diff/qualification_diff.hpp"
#include "core/diff/values.hpp"
#include "core/rules/date.hpp"

namespace onshi::diff {
namespace {
using ledger::Field;

[[noreturn]] void refuse(const std::string& ja) { throw std::invalid_argument(ja); }

ledger::PlannedCheck planned_check(const oqs::QualificationResult& result, const CheckContext& check) {
    ledger::PlannedCheck pc;
    pc.method = check.method;
    pc.checked_at = check.checked_at;
    pc.raw_xml = check.raw_xml;
    pc.validity = result.validity.value_or("");
    pc.message = result.label();
    if (result.error) {
        pc.processing_status = result.error->processing_result_status.value_or("");
        pc.result_code = result.error->code();
        if (!result.error->message().empty()) pc.message += " " + result.error->message();
    } else {
        // Only an answer whose ProcessingResultStatus was 1 (or absent) reaches a non-error status.
        pc.processing_status = result.status == oqs::Status::Querying ? "" : "1";
        pc.result_code = result.processing_result_code.value_or("");
    }
    return pc;
}

bool writable(Classification c) {
    return c == Classification::Unchanged || c == Classification::ExtendOnly || c == Classification::Overwrite ||
           c == Classification::SwitchCard || c == Classification::NewPatient;
}

const DiffRow& row_of(const DiffResult& d, Field f) {
    for (const auto& r : d.rows)
        if (r.field == f) return r;
    refuse(std::string("差分に項目がありません: ") + ledger::to_japanese(f));
}

// A row staff may write: OQS sent a usable value for it (never blank the ledger's).
ledger::FieldValue take(const DiffRow& row) {
    if (!row.online_carried)
        refuse(std::string("オンライン資格確認に値がないため上書きできません: ") + ledger::to_japanese(row.field));
    return {row.field, row.online_value};
}

}  // namespace

ledger::OverwritePlan make_plan(const DiffResult& diff, const ledger::PatientRecord* current,
                                const oqs::QualificationResult& result, const Decision& decision,
                                const CheckContext& check, size_t record_index) {
    const oqs::QualificationRecord* rec = detail::record_at(result, record_index);
    const Classification c = diff.classification;
    ledger::OverwritePlan plan;
    plan.check = planned_check(result, check);
    plan.consents = check.consents;

    auto need_patient = [&] {
        if (!current) refuse("患者様が原簿に登録されていません。新患登録を行ってください。");
        plan.karte = current->patient.karte;
    };
    auto need_valid = [&] {
        if (!writable(c) || !rec) refuse("資格が有効ではないため、資格確認の記録のみ行えます。");
    };
    // Any write also links the 照会番号 the first time (一度資格確認を行うと照会番号が付与される).
    auto link = [&] {
        if (!diff.reference_number.empty() && (!current || current->reference_number().empty()))
            plan.reference_number = diff.reference_number;
    };

    switch (decision.kind) {
        case Decision::Kind::RecordOnly:
            need_patient();
            plan.kind = ledger::PlanKind::RecordCheckOnly;
            break;

        case Decision::Kind::FetchMedicalInfo:
            need_patient();
            need_valid();
            if (diff.reference_number.empty()) refuse("照会結果に照会番号がないため、特健・薬剤等を取得できません。");
            if (!current->reference_number().empty()) refuse("照会番号は既に登録されています。");
            plan.kind = ledger::PlanKind::RecordCheckOnly;
            plan.reference_number = diff.reference_number;
            break;

        case Decision::Kind::Overwrite: {
            need_patient();
            need_valid();
            if (decision.fields.empty()) refuse("上書きする項目にチェックを入れてください。");
            std::set<Field> seen;
            bool extend_only = true;
            for (Field f : decision.fields) {
                if (!seen.insert(f).second) refuse(std::string("項目が重複しています: ") + ledger::to_japanese(f));
                const DiffRow& row = row_of(diff, f);
                if (!ledger::is_patient_field(f) && !current->current_card())
                    refuse("上書きする保険証がありません。保険証変更（切替日）で登録してください。");
                plan.fields.push_back(take(row));
                extend_only = extend_only && row.extends;
            }
            // 有効期限が延長・枝番だけ追加: the ledger's narrower change, which cannot touch anything else.
            plan.kind = extend_only ? ledger::PlanKind::ExtendOnly : ledger::PlanKind::OverwriteFields;
            link();
            break;
        }

        case Decision::Kind::SwitchCard: {
            need_patient();
            need_valid();
            if (c != Classification::SwitchCard) refuse("同じ保険証のため保険証変更はできません。上書きしてください。");
            plan.switch_date = decision.switch_date.empty() ? diff.switch_date : decision.switch_date;
            if (plan.switch_date.empty()) refuse("切替日を入力してください。");
            if (!rules::Date::from_iso(plan.switch_date)) refuse("切替日が正しくありません: " + plan.switch_date);
            // The new card is everything OQS sent about it; patient rows only where staff checked them.
            for (const auto& row : diff.rows)
                if (!ledger::is_patient_field(row.field) && row.online_carried) plan.fields.push_back(take(row));
            std::set<Field> seen;
            for (Field f : decision.fields) {
                if (!ledger::is_patient_field(f) || !seen.insert(f).second) continue;
                plan.fields.push_back(take(row_of(diff, f)));
            }
            plan.kind = ledger::PlanKind::SwitchCard;
            link();
            break;
        }

        case Decision::Kind::Register:
            if (current) refuse("この患者様は既に原簿に登録されています（カルテ番号 " + current->patient.karte + "）。");
            need_valid();
            if (c != Classification::NewPatient) refuse("新患登録できない照会結果です。");
            for (const auto& row : diff.rows)
                if (row.online_carried) plan.fields.push_back(take(row));
            plan.kind = ledger::PlanKind::RegisterPatient;
            link();
            break;
    }
    return plan;
}

}  // namespace onshi::diff
