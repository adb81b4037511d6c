#include "core/flow/visit.hpp"

#include <iterator>

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

text::Msg step_title(Step s) {
    using text::Msg;
    switch (s) {
        case Step::Standby: return Msg::TitleStandby;
        case Step::StaffAuth: return Msg::TitleStaffAuth;
        case Step::AwaitCard: return Msg::TitleAwaitCard;
        case Step::CardFace: return Msg::TitleCardFace;
        case Step::Consent: return Msg::TitleConsent;
        case Step::Handback: return Msg::TitleHandback;
        case Step::Querying: return Msg::TitleQuerying;
        case Step::Diff: return Msg::TitleDiff;
        case Step::Done: return Msg::TitleDone;
        case Step::Locked: return Msg::TitleLocked;
        case Step::Error: return Msg::TitleError;
        case Step::Aborted: return Msg::TitleAborted;
    }
    return Msg::None;
}

bool is_patient_facing(Step s) { return s == Step::Standby || s == Step::Consent; }

Step step_of(const StepState& s) {
    static constexpr Step kSteps[] = {Step::Standby, Step::StaffAuth, Step::AwaitCard, Step::CardFace,
                                      Step::Consent, Step::Handback,  Step::Querying,  Step::Diff,
                                      Step::Done,    Step::Error,     Step::Aborted};
    static_assert(std::size(kSteps) == std::variant_size_v<StepState>);
    return kSteps[s.index()];
}

const std::array<ConsentQuestion, kConsentCount>& consent_questions() {
    using text::Msg;
    static const std::array<ConsentQuestion, kConsentCount> q = {{
        {ConsentKind::Pharmacists, "pharmacists", Msg::ConsentPharmacistsTitle, Msg::ConsentPharmacistsQuestion},
        {ConsentKind::Diagnosis, "diagnosis", Msg::ConsentDiagnosisTitle, Msg::ConsentDiagnosisQuestion},
        {ConsentKind::SpecificHealthCheckups, "specific_health_checkups", Msg::ConsentCheckupsTitle,
         Msg::ConsentCheckupsQuestion},
        {ConsentKind::Operation, "operation", Msg::ConsentOperationTitle, Msg::ConsentOperationQuestion},
        {ConsentKind::LimitApplication, "limit_application", Msg::ConsentLimitTitle, Msg::ConsentLimitQuestion},
        {ConsentKind::SpecificDiseases, "specific_diseases", Msg::ConsentDiseasesTitle, Msg::ConsentDiseasesQuestion},
    }};
    return q;
}

}  // namespace onshi::flow

namespace onshi::flow {

const char* verdict_key(Verdict v) {
    switch (v) {
        case Verdict::Genuine: return "genuine";
        case Verdict::ForgedSuspect: return "forged_suspect";
        case Verdict::Unverified: return "unverified";
    }
    return "unverified";
}

}  // namespace onshi::flow
