// make_plan: the 差分確認 decision → the OverwritePlan the ledger applies. Refuses (diff::Refused with the
// message id for the screen) every decision the classification does not allow.
#include <set>
#include <stdexcept>
#include <utility>

#include "core/diff/qualification_diff.hpp"
#include "core/diff/values.hpp"
#include "core/rules/date.hpp"

namespace onshi::diff {

CheckOutcome check_outcome(const oqs::QualificationResult& result) {
    CheckOutcome o;
    o.validity = result.validity.value_or("");
    o.message = result.label();
    if (result.error) {
        o.processing_status = result.error->processing_result_status.value_or("");
        o.result_code = result.error->code();
        if (!result.error->message().empty()) o.message += " " + result.error->message();
    } else {
        // Only an answer whose ProcessingResultStatus was 1 (or absent) reaches a non-error status.
        o.processing_status = result.status == oqs::Status::Querying ? "" : "1";
        o.result_code = result.processing_result_code.value_or("");
    }
    return o;
}

namespace {
using ledger::Field;

using text::Msg;
[[noreturn]] void refuse(Msg id, std::string s = {}) { throw Refused(text::msg(id, -1, -1, std::move(s))); }

ledger::PlannedCheck planned_check(const oqs::QualificationResult& result, const CheckContext& check) {
    ledger::PlannedCheck pc;
    pc.method = check.method;
    pc.checked_at = check.checked_at;
    pc.raw_xml = check.raw_xml;
    CheckOutcome o = check_outcome(result);
    pc.validity = std::move(o.validity);
    pc.processing_status = std::move(o.processing_status);
    pc.result_code = std::move(o.result_code);
    pc.message = std::move(o.message);
    return pc;
}

bool writable(Classification c) {
    return c == Classification::Unchanged || c == Classification::ExtendOnly || c == Classification::Overwrite ||
           c == Classification::SwitchCard || c == Classification::NewPatient;
}

const DiffRow& row_of(const DiffResult& d, Field f) {
    for (const auto& r : d.rows)
        if (r.field == f) return r;
    refuse(Msg::PlanFieldNotInDiff, ledger::to_japanese(f));
}

// A row staff may write: OQS sent a usable value for it (never blank the ledger's).
ledger::FieldValue take(const DiffRow& row) {
    if (!row.online_carried) refuse(Msg::PlanNothingOnline, ledger::to_japanese(row.field));
    return {row.field, row.online_value};
}

}  // namespace

SwitchDates switch_dates_of(const DiffResult& diff) {
    SwitchDates d;
    d.switch_date = diff.switch_date;
    for (const auto& row : diff.rows) {
        if (!row.online_carried) continue;
        if (row.field == Field::ValidFrom) d.valid_from = row.online_value;
        if (row.field == Field::LimitFrom) d.limit_from = row.online_value;
    }
    return d;
}

std::optional<text::Message> switch_dates_problem(const SwitchDates& dates) {
    auto date = [](const std::string& iso) { return rules::Date::from_iso(iso).value_or(rules::Date{}); };
    if (dates.switch_date.empty()) return text::msg(Msg::PlanSwitchDateMissing);
    if (!date(dates.switch_date).valid()) return text::msg(Msg::SwitchDateNotADate);
    if (!dates.valid_from.empty() && !date(dates.valid_from).valid()) return text::msg(Msg::SwitchValidFromNotADate);
    if (!dates.limit_from.empty() && !date(dates.limit_from).valid()) return text::msg(Msg::SwitchLimitFromNotADate);
    if (!dates.valid_from.empty() && date(dates.switch_date) < date(dates.valid_from))
        return text::msg(Msg::SwitchBeforeValidFrom);
    return std::nullopt;
}

ledger::OverwritePlan make_plan(const DiffResult& diff, const ledger::PatientRecord* current,
                                const oqs::QualificationResult& result, const Decision& decision,
                                const CheckContext& check, size_t record_index) {
    const oqs::QualificationRecord* rec = detail::record_at(result, record_index);
    const Classification c = diff.classification;
    ledger::OverwritePlan plan;
    plan.check = planned_check(result, check);
    plan.consents = check.consents;

    auto need_patient = [&] {
        if (!current) refuse(Msg::PlanNotInLedger);
        plan.karte = current->patient.karte;
    };
    auto need_valid = [&] {
        if (!writable(c) || !rec) refuse(Msg::PlanOnlyRecord);
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
            if (diff.reference_number.empty()) refuse(Msg::PlanNoReferenceNumber);
            if (!current->reference_number().empty()) refuse(Msg::PlanReferenceNumberKnown);
            plan.kind = ledger::PlanKind::RecordCheckOnly;
            plan.reference_number = diff.reference_number;
            break;

        case Decision::Kind::Overwrite: {
            need_patient();
            need_valid();
            if (decision.fields.empty()) refuse(Msg::CheckFieldsToOverwrite);
            std::set<Field> seen;
            bool extend_only = true;
            for (Field f : decision.fields) {
                if (!seen.insert(f).second) refuse(Msg::PlanDuplicateField, ledger::to_japanese(f));
                const DiffRow& row = row_of(diff, f);
                if (!ledger::is_patient_field(f) && !current->current_card()) refuse(Msg::PlanNoCardToOverwrite);
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
            if (c != Classification::SwitchCard) refuse(Msg::PlanSameCard);
            SwitchDates dates = switch_dates_of(diff);
            if (!decision.switch_date.empty()) dates.switch_date = decision.switch_date;
            if (!decision.valid_from.empty()) dates.valid_from = decision.valid_from;
            if (!decision.limit_from.empty()) dates.limit_from = decision.limit_from;
            if (auto problem = switch_dates_problem(dates)) throw Refused(*problem);
            plan.switch_date = dates.switch_date;
            // The new card is everything OQS sent about it, its two start dates as the dialog showed them;
            // patient rows only where staff checked them.
            for (const auto& row : diff.rows)
                if (!ledger::is_patient_field(row.field) && row.online_carried &&
                    row.field != Field::ValidFrom && row.field != Field::LimitFrom)
                    plan.fields.push_back(take(row));
            if (!dates.valid_from.empty()) plan.fields.push_back({Field::ValidFrom, dates.valid_from});
            if (!dates.limit_from.empty()) plan.fields.push_back({Field::LimitFrom, dates.limit_from});
            std::vector<Field> patient_rows;
            if (decision.fields_as_ticked || !decision.fields.empty()) {
                patient_rows = decision.fields;
            } else {
                for (const auto& row : diff.rows)
                    if (row.overwrite) patient_rows.push_back(row.field);
            }
            std::set<Field> seen;
            for (Field f : patient_rows) {
                if (!ledger::is_patient_field(f) || !seen.insert(f).second) continue;
                plan.fields.push_back(take(row_of(diff, f)));
            }
            plan.kind = ledger::PlanKind::SwitchCard;
            link();
            break;
        }

        case Decision::Kind::Register:
            if (current) refuse(Msg::PlanAlreadyRegistered, current->patient.karte);
            need_valid();
            if (c != Classification::NewPatient) refuse(Msg::PlanNotNewPatient);
            for (const auto& row : diff.rows)
                if (row.online_carried) plan.fields.push_back(take(row));
            plan.kind = ledger::PlanKind::RegisterPatient;
            link();
            break;
    }
    return plan;
}

}  // namespace onshi::diff
