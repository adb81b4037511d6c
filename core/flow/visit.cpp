#include "core/flow/visit.hpp"

#include <iterator>

namespace onshi::flow {

const char* step_name(Step s) {
    switch (s) {
        case Step::Standby: return "standby";
        case Step::StaffAuth: return "staff_auth";
        case Step::ChooseReason: return "visual_reason";
        case Step::AwaitCard: return "await_card";
        case Step::CardFace: return "card_face";
        case Step::Guidance: return "guidance";
        case Step::FaceWait: return "face_wait";
        case Step::FaceTimeout: return "face_timeout";
        case Step::FaceConsents: return "face_consents";
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
        case Step::ChooseReason: return Msg::TitleVisualReason;
        case Step::AwaitCard: return Msg::TitleAwaitCard;
        case Step::CardFace: return Msg::TitleCardFace;
        case Step::Guidance: return Msg::TitleGuidance;
        case Step::FaceWait: return Msg::TitleFaceWait;
        case Step::FaceTimeout: return Msg::TitleFaceTimeout;
        case Step::FaceConsents: return Msg::TitleFaceConsents;
        case Step::Diff: return Msg::TitleDiff;
        case Step::Done: return Msg::TitleDone;
        case Step::Locked: return Msg::TitleLocked;
        case Step::Error: return Msg::TitleError;
        case Step::Aborted: return Msg::TitleAborted;
    }
    return Msg::None;
}

bool is_patient_facing(Step s) { return s == Step::Standby; }

Step step_of(const StepState& s) {
    static constexpr Step kSteps[] = {Step::Standby,      Step::StaffAuth,   Step::ChooseReason, Step::AwaitCard,
                                      Step::CardFace,     Step::Guidance,    Step::FaceWait,     Step::FaceTimeout,
                                      Step::FaceConsents, Step::Diff,        Step::Done,         Step::Error,
                                      Step::Aborted};
    static_assert(std::size(kSteps) == std::variant_size_v<StepState>);
    return kSteps[s.index()];
}

const std::array<ConsentQuestion, kConsentCount>& consent_questions() {
    using text::Msg;
    static const std::array<ConsentQuestion, kConsentCount> q = {{
        {ConsentKind::Pharmacists, "pharmacists", Msg::ConsentPharmacistsTitle},
        {ConsentKind::Diagnosis, "diagnosis", Msg::ConsentDiagnosisTitle},
        {ConsentKind::SpecificHealthCheckups, "specific_health_checkups", Msg::ConsentCheckupsTitle},
        {ConsentKind::Operation, "operation", Msg::ConsentOperationTitle},
        {ConsentKind::LimitApplication, "limit_application", Msg::ConsentLimitTitle},
        {ConsentKind::SpecificDiseases, "specific_diseases", Msg::ConsentDiseasesTitle},
    }};
    return q;
}

std::optional<bool> consent_answer(const oqs::Consent& c) {
    if (c.flag == "1") return true;
    if (c.flag == "0") return false;
    return std::nullopt;
}

std::array<std::optional<bool>, kConsentCount> consents_of(const oqs::QualificationRecord& r) {
    std::array<std::optional<bool>, kConsentCount> out{};
    for (size_t i = 0; i < kConsentCount; ++i) {
        switch (consent_questions()[i].kind) {
            case ConsentKind::Pharmacists: out[i] = consent_answer(r.pharmacists); break;
            case ConsentKind::Diagnosis: out[i] = consent_answer(r.diagnosis); break;
            case ConsentKind::SpecificHealthCheckups: out[i] = consent_answer(r.specific_health_checkups); break;
            case ConsentKind::Operation: out[i] = consent_answer(r.operation); break;
            case ConsentKind::LimitApplication: out[i] = consent_answer(r.limit_application_consent); break;
            case ConsentKind::SpecificDiseases: out[i] = consent_answer(r.specific_diseases_consent); break;
        }
    }
    return out;
}

const std::array<VisualReason, 5>& visual_reasons() {
    static const std::array<VisualReason, 5> r = {VisualReason::FaceAndPinFailed, VisualReason::PinLocked,
                                                  VisualReason::CannotOperate, VisualReason::DeviceTrouble,
                                                  VisualReason::Other};
    return r;
}

const char* visual_reason_key(VisualReason r) {
    switch (r) {
        case VisualReason::None: break;
        case VisualReason::FaceAndPinFailed: return "face_and_pin_failed";
        case VisualReason::PinLocked: return "pin_locked";
        case VisualReason::CannotOperate: return "cannot_operate";
        case VisualReason::DeviceTrouble: return "device_trouble";
        case VisualReason::Other: return "other";
    }
    return "";
}

std::optional<VisualReason> visual_reason_from_key(std::string_view key) {
    for (VisualReason r : visual_reasons())
        if (key == visual_reason_key(r)) return r;
    return std::nullopt;
}

text::Msg visual_reason_title(VisualReason r) {
    using text::Msg;
    switch (r) {
        case VisualReason::None: break;
        case VisualReason::FaceAndPinFailed: return Msg::ReasonFaceAndPinFailed;
        case VisualReason::PinLocked: return Msg::ReasonPinLocked;
        case VisualReason::CannotOperate: return Msg::ReasonCannotOperate;
        case VisualReason::DeviceTrouble: return Msg::ReasonDeviceTrouble;
        case VisualReason::Other: return Msg::ReasonOther;
    }
    return Msg::None;
}

std::string visual_reason_ja(std::string_view key) {
    auto r = visual_reason_from_key(key);
    return r ? text::ja(visual_reason_title(*r)) : std::string();
}

const std::array<text::Msg, 3>& guidance_steps() {
    using text::Msg;
    static const std::array<Msg, 3> s = {Msg::GuideReaderMode, Msg::GuideCardOnReader, Msg::GuideTurnReader};
    return s;
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
