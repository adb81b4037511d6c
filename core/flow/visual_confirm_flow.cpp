#include "core/flow/visual_confirm_flow.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/ledger/error.hpp"
#include "core/rules/date.hpp"
#include "core/util/log.hpp"

namespace onshi::flow {
namespace {

using text::Msg;
using text::msg;

bool all_digits(const std::string& s, size_t n) {
    return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool malformed(const in::FaceNumber& f) {
    return !all_digits(f.birth_yymmdd, 6) || !all_digits(f.expiry_year, 4) || !all_digits(f.security_code, 4);
}

// The 切替日 dialog's dates as staff confirmed them: a date left "" is the one the dialog opened with.
diff::SwitchDates switch_dates(const state::Diff& d, const in::ConfirmSwitch& c) {
    return {c.date, c.valid_from.empty() ? d.valid_from : c.valid_from,
            c.limit_from.empty() ? d.limit_from : c.limit_from};
}

// OQS may answer with several ResultOfQualificationConfirmation (the old card ended by a 切替 and the new
// one): the diff is against the one still in force — no 資格喪失日, else the latest 有効開始日.
size_t current_record(const oqs::QualificationResult& r) {
    size_t best = 0;
    for (size_t i = 0; i < r.records.size(); ++i) {
        const auto& q = r.records[i];
        bool open = !q.disqualification_date || q.disqualification_date->empty();
        const auto& b = r.records[best];
        bool best_open = !b.disqualification_date || b.disqualification_date->empty();
        if (open && !best_open)
            best = i;
        else if (open == best_open && q.insured_card_valid_date.value_or("") > b.insured_card_valid_date.value_or(""))
            best = i;
    }
    return best;
}

// ---- the rules the guards and the published values share

bool at_or_below_floor(int tries_left, int floor) { return tries_left >= 0 && tries_left <= floor; }

bool awaiting_number(const state::CardFace& c) { return c.inspection && !c.reading && !c.face; }

bool forged(const state::CardFace& c) { return c.face && c.face->verdict == Verdict::ForgedSuspect; }

bool writable(diff::Classification c) {
    return c != diff::Classification::NoValidCard && c != diff::Classification::Error;
}

DiffActions diff_actions(const state::Diff& d) {
    DiffActions a;
    if (!d.diff) return a;
    using C = diff::Classification;
    const C c = d.diff->classification;
    a.register_patient = c == C::NewPatient;
    a.overwrite_toggle = writable(c) && c != C::NewPatient;
    a.update = a.overwrite_toggle && (c != C::Unchanged || d.overwrite_mode);
    a.fetch_medical_info = d.diff->offer_medical_info;
    a.record_only = !writable(c);
    return a;
}

Msg headline(diff::Classification c) {
    switch (c) {
        case diff::Classification::Unchanged: return Msg::HeadlineUnchanged;
        case diff::Classification::ExtendOnly: return Msg::HeadlineExtendOnly;
        case diff::Classification::Overwrite: return Msg::HeadlineOverwrite;
        case diff::Classification::SwitchCard: return Msg::HeadlineSwitchCard;
        case diff::Classification::NewPatient: return Msg::HeadlineNewPatient;
        case diff::Classification::NoValidCard: return Msg::HeadlineNoValidCard;
        case diff::Classification::Error: return Msg::HeadlineError;
    }
    return Msg::None;
}

template <class T>
const T& payload(const Input* in) {
    return std::get<T>(*in);
}

}  // namespace

const char* input_name(const Input& input) { return event_name(event_of(input)); }

VisualConfirmFlow::VisualConfirmFlow(CardReader& card, Ledger& ledger, Clock clock, FlowConfig config)
    : card_(card), ledger_(ledger), clock_(std::move(clock)), cfg_(config) {
    v_.step_since_ms = v_.last_activity_ms = clock_();
}

// ---------------------------------------------------------------- the table at work

void VisualConfirmFlow::handle(const Input& input) {
    const Event ev = event_of(input);
    if (!is_device_event(ev)) v_.last_activity_ms = clock_();
    if (ev != Event::Tick && ev != Event::Activity)
        log::debug("flow", std::string(step_name(v_.step())) + " <- " + event_name(ev));
    // The reader's state is shared data: kept whatever the step.
    if (ev == Event::CardInserted) v_.card_present = true;
    if (ev == Event::CardRemoved) v_.card_present = false;
    dispatch(ev, &input);
    publish();
}

bool VisualConfirmFlow::dispatch(Event ev, const Input* in) {
    const Step shown = v_.step();
    if (fire_first(shown, ev, in)) return true;
    // Device events reach the step under the lock.
    if (shown == Step::Locked && is_device_event(ev)) return fire_first(v_.covered(), ev, in);
    return false;
}

bool VisualConfirmFlow::fire_first(Step from, Event ev, const Input* in) {
    for (const Transition& t : transitions()) {
        if (t.from != from || t.event != ev || !guard(t.guard, in)) continue;
        entered_ = false;
        std::optional<Event> next = act(t.action, in);
        settle(t);
        if (next) dispatch(*next, nullptr);
        return true;
    }
    return false;
}

void VisualConfirmFlow::settle(const Transition& t) {
    switch (t.to) {
        case Target::Stay:
            if (entered_)
                log::error("flow", std::string("action ") + action_name(t.action) + " entered a step on a Stay row");
            return;
        case Target::Unlock:
            v_.lock.reset();
            touch_step();
            return;
        case Target::Locked:
            touch_step();  // the action put the overlay on
            return;
        default: break;
    }
    const Step to = Step(uint8_t(t.to));
    if (t.from == Step::Locked) v_.lock.reset();  // leaving ロック itself (中止)
    if (!entered_ || v_.covered() != to) {
        if (entered_) log::error("flow", std::string("action ") + action_name(t.action) + " entered the wrong step");
        enter_default(to);
    }
    run_entry(to);
}

template <class S>
S& VisualConfirmFlow::enter(S s) {
    v_.state = std::move(s);
    entered_ = true;
    touch_step();
    return std::get<S>(v_.state);
}

void VisualConfirmFlow::touch_step() { v_.step_since_ms = v_.last_activity_ms = clock_(); }

void VisualConfirmFlow::enter_default(Step s) {
    switch (s) {
        case Step::Standby: enter(state::Standby{}); break;
        case Step::StaffAuth: enter(state::StaffAuth{auth_panel()}); break;
        case Step::ChooseReason: enter(state::ChooseReason{}); break;
        case Step::AwaitCard: enter(state::AwaitCard{}); break;
        case Step::CardFace: enter(state::CardFace{}); break;
        case Step::Guidance: enter(state::Guidance{}); break;
        case Step::FaceWait: enter(state::FaceWait{}); break;
        case Step::FaceTimeout: enter(state::FaceTimeout{}); break;
        case Step::FaceConsents: enter(state::FaceConsents{}); break;
        case Step::Diff: enter(state::Diff{}); break;
        case Step::Done: enter(state::Done{}); break;
        case Step::Error: enter(state::Error{}); break;
        case Step::Aborted: enter(state::Aborted{}); break;
        case Step::Locked: break;  // an overlay, never a step state
    }
}

void VisualConfirmFlow::run_entry(Step s) {
    for (const OnEntry& e : on_entry())
        if (e.step == s) act(e.action, nullptr);
}

AuthPanel VisualConfirmFlow::auth_panel() const {
    AuthPanel p;
    PasscodePolicy policy = ledger_.passcode_policy();
    p.min_digits = policy.min_digits;
    p.max_digits = policy.max_digits;
    return p;
}

AuthPanel& VisualConfirmFlow::auth() { return v_.lock ? v_.lock->auth : st<state::StaffAuth>().auth; }

bool VisualConfirmFlow::staff_idle() const { return clock_() - v_.last_activity_ms >= cfg_.staff_idle_ms; }

Message VisualConfirmFlow::fail(state::Error e) {
    if (!e.detail.empty()) log::warn("flow", text::ja(e.title) + ": " + e.detail);
    Message title = e.title;
    enter(std::move(e));
    return title;
}

// ---------------------------------------------------------------- guards

bool VisualConfirmFlow::guard(Guard g, const Input* in) const {
    using G = Guard;
    using S = FaceReadOutcome::Status;
    const int64_t now = clock_();
    auto card = [&]() -> const state::CardFace& { return st<state::CardFace>(); };
    auto reading_with = [&](S status) { return card().reading && payload<in::FaceRead>(in).result.status == status; };
    auto dif = [&]() -> const state::Diff& { return st<state::Diff>(); };
    auto has_diff = [&] { return dif().diff.has_value(); };
    auto classification = [&] { return dif().diff->classification; };
    using C = diff::Classification;
    switch (g) {
        case G::Always: return true;
        case G::NoActiveStaff: return ledger_.active_staff().empty();
        case G::KnownStaff: {
            const auto& id = payload<in::SelectStaff>(in).id;
            return std::any_of(v_.staff.begin(), v_.staff.end(), [&](const StaffEntry& e) { return e.id == id; });
        }
        case G::StaffChosen: return !v_.staff_id.empty();
        case G::CardPresent: return v_.card_present;
        case G::KnownReason: return payload<in::ChooseReason>(in).reason != VisualReason::None;
        case G::ReasonCardPresent: return payload<in::ChooseReason>(in).reason != VisualReason::None && v_.card_present;
        case G::LockoutOver: {
            const AuthPanel& p = v_.lock ? v_.lock->auth : st<state::StaffAuth>().auth;
            return p.locked_until_ms && p.locked_until_ms <= now;
        }
        case G::StaffCheckDue: {
            const int64_t at = st<state::Standby>().staff_checked_ms;
            return at < 0 || now - at >= cfg_.staff_check_ms;
        }
        case G::StaffIdle: return staff_idle();
        case G::DoneElapsed: return now - v_.step_since_ms >= cfg_.done_ms;
        case G::AbortedElapsed: return now - v_.step_since_ms >= cfg_.aborted_ms;
        case G::InspectionFailed: return card().inspecting() && !payload<in::CardInspected>(in).result.ok;
        case G::Inspecting: return card().inspecting();
        case G::NumberMalformed: return awaiting_number(card()) && malformed(payload<in::FaceNumber>(in));
        case G::EntryAllowed:
            return awaiting_number(card()) && !at_or_below_floor(card().tries_left, card_.safety_floor());
        case G::ReadOk: return reading_with(S::Ok);
        case G::WrongNumber: return reading_with(S::WrongNumber);
        case G::CardBlocked: return reading_with(S::Blocked);
        case G::ReadRefused: return reading_with(S::Refused);
        case G::ReadBadInput: return reading_with(S::BadInput);
        case G::ReadFailedCardPresent: return reading_with(S::CardError) && v_.card_present;
        case G::ReadFailed: return reading_with(S::CardError);
        case G::ForgedFace: return forged(card());
        case G::FaceShown: return card().face.has_value();
        case G::LastInstruction: return st<state::Guidance>().index + 1 >= guidance_steps().size();
        case G::NotFirstInstruction: return st<state::Guidance>().index > 0;
        case G::ThisPersonsResult: {
            const auto& r = payload<in::FaceResult>(in);
            return this_persons(r) && in_window(r);
        }
        case G::OfThisPerson: return this_persons(payload<in::FaceResult>(in));
        case G::AnotherPersonsResult: {
            const auto& r = payload<in::FaceResult>(in);
            return !r.result.records.empty() && !this_persons(r);
        }
        case G::NamesNobody: {
            const auto& r = payload<in::FaceResult>(in);
            return r.result.records.empty() && in_window(r);
        }
        case G::FaceWaitOver: return now > st<state::FaceWait>().until_ms;
        case G::HoldingUnnamed: return payload<in::ClaimResult>(in).mine && st<state::FaceWait>().unnamed.has_value();
        case G::ChoosingPatient: return dif().choosing_patient;
        case G::OfferedCandidate: {
            if (!dif().choosing_patient) return false;
            const auto& karte = payload<in::ChooseCandidate>(in).karte;
            const auto& cands = dif().match.candidates;
            return std::any_of(cands.begin(), cands.end(), [&](const auto& c) { return c.karte == karte; });
        }
        case G::HasDiff: return has_diff();
        case G::FieldToggleable: {
            if (!has_diff() || !dif().overwrite_mode) return false;
            const auto field = payload<in::ToggleField>(in).field;
            // OQS sent nothing for a row: never blank the ledger's value.
            for (const auto& row : dif().diff->rows)
                if (row.field == field) return row.online_carried;
            return false;
        }
        case G::SwitchWithoutOverwrite: return has_diff() && classification() == C::SwitchCard && !dif().overwrite_mode;
        case G::NewPatient: return has_diff() && classification() == C::NewPatient;
        case G::NotWritable: return has_diff() && !writable(classification());
        case G::NothingChanged: return has_diff() && classification() == C::Unchanged && !dif().overwrite_mode;
        case G::NothingChecked: return has_diff() && dif().checked.empty();
        case G::CanOverwrite: return has_diff();
        case G::SwitchDialogOpen: return dif().switch_dialog;
        case G::SwitchDateInvalid:
            return dif().switch_dialog &&
                   diff::switch_dates_problem(switch_dates(dif(), payload<in::ConfirmSwitch>(in))).has_value();
        case G::MedicalInfoOffered: return has_diff() && dif().diff->offer_medical_info;
        case G::NoPatient: return !dif().patient || dif().choosing_patient;
        case G::StaffSignedIn: return v_.authenticated;
        case G::ToConsole: return st<state::Done>().to_console;
        case G::ToConsoleDoneElapsed: return st<state::Done>().to_console && now - v_.step_since_ms >= cfg_.done_ms;
        case G::Count_: break;
    }
    return false;
}

// ---------------------------------------------------------------- actions

std::optional<Event> VisualConfirmFlow::act(Action a, const Input* in) {
    using A = Action;
    switch (a) {
        case A::None: break;
        case A::LoadStaff:
            v_.staff = ledger_.active_staff();
            enter(state::StaffAuth{auth_panel()});
            if (v_.staff.size() == 1) act(A::SelectStaff, nullptr);  // the only member is preselected
            break;
        case A::FailNoStaff: fail({msg(Msg::NoStaffRegistered), msg(Msg::NoStaffGuidance), {}}); break;
        case A::SelectStaff: {
            const std::string id = in ? payload<in::SelectStaff>(in).id : v_.staff.at(0).id;
            auto it = std::find_if(v_.staff.begin(), v_.staff.end(), [&](const StaffEntry& e) { return e.id == id; });
            if (it == v_.staff.end()) break;
            v_.staff_id = it->id;
            v_.staff_name = it->name;
            AuthPanel& p = auth();
            p.message = {};
            int64_t left = ledger_.staff_locked_for_ms(id);
            p.locked_until_ms = left > 0 ? clock_() + left : 0;
            break;
        }
        case A::VerifyPasscode:
            scratch_.auth = ledger_.verify_staff(v_.staff_id, payload<in::Passcode>(in).digits);
            return scratch_.auth.outcome == AuthOutcome::Accepted ? Event::PasscodeAccepted : Event::PasscodeRejected;
        case A::SignIn: v_.authenticated = true; break;
        case A::SetReason:
            v_.visual_reason = payload<in::ChooseReason>(in).reason;
            log::info("flow", std::string("visual check reason: ") + visual_reason_key(v_.visual_reason));
            break;
        case A::ShowAuthRefusal: {
            AuthPanel& p = auth();
            if (scratch_.auth.outcome == AuthOutcome::Locked)
                p.locked_until_ms = clock_() + scratch_.auth.locked_for_ms;
            p.message = text::verbatim(scratch_.auth.message_ja);
            break;
        }
        case A::ClearLockout: {
            AuthPanel& p = auth();
            p.locked_until_ms = 0;
            p.message = {};
            break;
        }
        case A::Lock:
            v_.authenticated = false;
            v_.lock = Locked{auth_panel()};
            break;
        case A::CardPulled:
            // Before the person is confirmed the card is still needed; afterwards its certificate is read.
            enter(state::AwaitCard{msg(Msg::CardPulled)});
            break;
        case A::TakeInspection: {
            const CardInspection& r = payload<in::CardInspected>(in).result;
            auto& c = st<state::CardFace>();
            c.inspection = r;
            c.tries_left = r.face_tries_left;
            c.message =
                at_or_below_floor(c.tries_left, card_.safety_floor()) ? msg(Msg::FaceFloor, c.tries_left) : Message{};
            break;
        }
        case A::InspectionFailed:
            log::warn("flow", "card inspection failed: " + payload<in::CardInspected>(in).result.message_en);
            enter(state::AwaitCard{msg(Msg::CardUnreadable)});
            break;
        case A::SayNumberFormat: st<state::CardFace>().message = msg(Msg::NumberFormatGuide); break;
        case A::ReadFace: {
            const auto& f = payload<in::FaceNumber>(in);
            auto& c = st<state::CardFace>();
            c.reading = true;
            c.message = {};
            card_.read_face(f.birth_yymmdd + f.expiry_year + f.security_code);
            break;
        }
        case A::ShowFace: {
            const auto& r = payload<in::FaceRead>(in).result;
            auto& c = st<state::CardFace>();
            c.reading = false;
            c.face = r.face;
            c.tries_left = r.tries_left_before;
            break;
        }
        case A::SayWrongNumber: {
            const auto& r = payload<in::FaceRead>(in).result;
            auto& c = st<state::CardFace>();
            c.reading = false;
            c.tries_left = r.tries_left_after;
            c.message = msg(Msg::WrongNumber, r.tries_left_after);
            break;
        }
        case A::FailBlocked:
            fail({msg(Msg::NumberLocked), msg(Msg::NumberLockedGuidance), payload<in::FaceRead>(in).result.message_en});
            break;
        case A::SayFloor: {
            const auto& r = payload<in::FaceRead>(in).result;
            auto& c = st<state::CardFace>();
            c.reading = false;
            c.tries_left = r.tries_left_before;
            c.message = msg(Msg::FaceFloor, r.tries_left_before);
            break;
        }
        case A::SayBadFormat: {
            auto& c = st<state::CardFace>();
            c.reading = false;
            c.message = msg(Msg::NumberBadFormat);
            break;
        }
        case A::RereadCard:
        case A::SayReadFailed: {
            const auto& r = payload<in::FaceRead>(in).result;
            log::warn("flow", "card face read failed: " + r.message_en);
            Message why = msg(r.verify_sent ? Msg::CardLostMidRead : Msg::CardReadFailedNoTry);
            if (a == A::RereadCard)
                enter(state::CardFace{}).message = why;  // still there: inspected again
            else
                enter(state::AwaitCard{why});
            break;
        }
        case A::SayForged: st<state::CardFace>().message = msg(Msg::ForgedCannotContinue); break;
        case A::RememberPerson: {
            const auto& face = *st<state::CardFace>().face;
            v_.chip_birth = face.birth;
            v_.chip_sex = face.sex;
            v_.face_window_from_ms = clock_();
            break;
        }
        case A::NextInstruction: ++st<state::Guidance>().index; break;
        case A::PreviousInstruction: --st<state::Guidance>().index; break;
        case A::TakeFaceResult: {
            const auto& r = payload<in::FaceResult>(in);
            state::FaceConsents c;
            c.face = {r.file, r.result, r.raw_xml, r.received_ms ? r.received_ms : clock_(), r.check_id};
            take_face(std::move(c));
            break;
        }
        case A::SayAnotherPerson: {
            const auto& r = payload<in::FaceResult>(in);
            const auto& rec = r.result.records.front();
            log::info("flow", "face result " + r.file + " is another person's: not this visit's");
            st<state::FaceWait>().notice =
                msg(Msg::AnotherPersonsResult, -1, -1, rec.name.value_or(rec.name_kana.value_or("")));
            break;
        }
        case A::HoldUnnamed: {
            const auto& r = payload<in::FaceResult>(in);
            auto& w = st<state::FaceWait>();
            w.unnamed = ReceivedFace{r.file, r.result, r.raw_xml, r.received_ms ? r.received_ms : clock_(), r.check_id};
            w.notice = msg(Msg::UnnamedResult, -1, -1, r.result.label());
            break;
        }
        case A::ClaimUnnamed: {
            state::FaceConsents c;
            c.face = std::move(*st<state::FaceWait>().unnamed);
            c.claimed = true;
            log::info("flow", "staff took the face result " + c.face.file + " (it names nobody) as this visit's");
            take_face(std::move(c));
            break;
        }
        case A::DropUnnamed: {
            auto& w = st<state::FaceWait>();
            w.unnamed.reset();
            w.notice = {};
            break;
        }
        case A::SayLateResult:
            log::info("flow", "face result " + payload<in::FaceResult>(in).file + " came after the wait: not attached");
            st<state::FaceTimeout>().notice = msg(Msg::LateResult);
            break;
        case A::OpenFaceResult: {
            ReceivedFace face = std::move(st<state::FaceConsents>().face);
            open_result(std::move(face.result), std::move(face.raw_xml));
            auto& d = st<state::Diff>();
            d.check_id = face.check_id;  // recorded at intake: marked 目視確認 when staff decide, never doubled
            d.paired_face = true;
            break;
        }
        case A::OpenReview: {
            const auto& r = payload<in::ReviewAnswer>(in);
            open_result(r.result, r.raw_xml);
            auto& d = st<state::Diff>();
            d.check_id = r.check_id;
            d.from_console = true;
            if (!r.karte.empty()) open_patient(r.karte);  // the patient the query was for
            break;
        }
        case A::OpenCandidate: open_patient(payload<in::ChooseCandidate>(in).karte); break;
        case A::OpenNewPatient: open_patient(""); break;
        case A::SetOverwriteMode: st<state::Diff>().overwrite_mode = payload<in::SetOverwriteMode>(in).on; break;
        case A::SetShowAll: st<state::Diff>().show_all = payload<in::SetShowAll>(in).on; break;
        case A::ToggleField: {
            auto& d = st<state::Diff>();
            const auto field = payload<in::ToggleField>(in).field;
            if (!d.checked.erase(field)) d.checked.insert(field);
            d.message = {};
            break;
        }
        case A::OpenSwitchDialog: st<state::Diff>().switch_dialog = true; break;
        case A::SayNotWritable: st<state::Diff>().message = msg(Msg::NotWritable); break;
        case A::SayNothingChanged: st<state::Diff>().message = msg(Msg::NothingChanged); break;
        case A::SayCheckFields: st<state::Diff>().message = msg(Msg::CheckFieldsToOverwrite); break;
        case A::ApplyOverwrite: {
            diff::Decision d;
            d.kind = diff::Decision::Kind::Overwrite;
            const auto& checked = st<state::Diff>().checked;
            d.fields.assign(checked.begin(), checked.end());
            return apply(d);
        }
        case A::SaySwitchDateBad:
            st<state::Diff>().message =
                diff::switch_dates_problem(switch_dates(st<state::Diff>(), payload<in::ConfirmSwitch>(in)))
                    .value_or(Message{});
            break;
        case A::ApplySwitch: {
            auto& dif = st<state::Diff>();
            const diff::SwitchDates dates = switch_dates(dif, payload<in::ConfirmSwitch>(in));
            dif.switch_date = dates.switch_date;
            dif.valid_from = dates.valid_from;
            dif.limit_from = dates.limit_from;
            diff::Decision d;
            d.kind = diff::Decision::Kind::SwitchCard;
            d.switch_date = dates.switch_date;
            d.valid_from = dates.valid_from;
            d.limit_from = dates.limit_from;
            return apply(d);
        }
        case A::CloseSwitchDialog: st<state::Diff>().switch_dialog = false; break;
        case A::ApplyRegister: {
            diff::Decision d;
            d.kind = diff::Decision::Kind::Register;
            return apply(d);
        }
        case A::ApplyFetchMedicalInfo: {
            // 毎月の保険証確認 (1): a 照会番号 OQS sent is linked here; with none, the check is recorded and the
            // カルテ番号 is registered at OQS as the 照会番号 (OQSsiimm01req, by the registrar).
            const bool at_oqs = st<state::Diff>().diff->reference_number.empty();
            scratch_.registration_sent = false;
            if (at_oqs && !registrar_) {
                scratch_.refusal = msg(Msg::PlanNoReferenceNumber);
                return Event::PlanRefused;
            }
            diff::Decision d;
            d.kind = at_oqs ? diff::Decision::Kind::RecordOnly : diff::Decision::Kind::FetchMedicalInfo;
            const std::optional<Event> ev = apply(d);
            if (at_oqs && ev == Event::Applied) {
                registrar_->register_reference(scratch_.applied.karte, v_.staff_id);
                scratch_.applied_kind = diff::Decision::Kind::FetchMedicalInfo;
                scratch_.registration_sent = true;
            }
            return ev;
        }
        case A::RecordNothing:
            // Nobody to attach the check to (新患 not registered, no patient chosen, or an answer without a
            // person): nothing is written.
            enter(state::Done{msg(Msg::DoneNothingWritten), std::nullopt, 0, st<state::Diff>().from_console});
            break;
        case A::RecordCheck: return apply(diff::Decision{});  // RecordOnly: the check itself, nothing else
        case A::ShowDone: {
            Msg summary = Msg::DoneCheckRecorded;
            switch (scratch_.applied_kind) {
                case diff::Decision::Kind::Register: summary = Msg::DoneRegistered; break;
                case diff::Decision::Kind::SwitchCard: summary = Msg::DoneSwitched; break;
                case diff::Decision::Kind::Overwrite: summary = Msg::DoneOverwritten; break;
                case diff::Decision::Kind::FetchMedicalInfo:
                    summary = scratch_.registration_sent ? Msg::DoneReferenceRequested : Msg::DoneReferenceLinked;
                    break;
                case diff::Decision::Kind::RecordOnly: summary = Msg::DoneCheckRecorded; break;
            }
            enter(state::Done{msg(summary), scratch_.applied, 0, st<state::Diff>().from_console});
            break;
        }
        case A::ShowRefusal: st<state::Diff>().message = scratch_.refusal; break;
        case A::ForgetVisit: {
            // Only the reader's state survives.
            const bool card = v_.card_present;
            StepState keep = std::move(v_.state);
            const int64_t since = v_.step_since_ms, activity = v_.last_activity_ms;
            v_ = Visit{};
            v_.state = std::move(keep);
            v_.card_present = card;
            v_.step_since_ms = since;
            v_.last_activity_ms = activity;
            scratch_ = {};
            break;
        }
        case A::InspectCard: card_.inspect(); break;
        case A::CheckStaff: {
            auto& s = st<state::Standby>();
            s.staff_checked_ms = clock_();
            try {
                s.staff_button = !ledger_.active_staff().empty();
            } catch (const std::exception& e) {  // a busy ledger: keep what was shown, look again later
                log::warn("flow", std::string("staff list not readable now: ") + e.what());
            }
            break;
        }
        case A::StartFaceWait: {
            auto& w = st<state::FaceWait>();
            const int64_t now = clock_();
            w.since_ms = v_.face_window_from_ms ? v_.face_window_from_ms : now;
            w.until_ms = now + cfg_.face_wait_ms;
            break;
        }
        case A::Count_: break;
    }
    return std::nullopt;
}

bool VisualConfirmFlow::this_persons(const in::FaceResult& r) const {
    if (v_.chip_birth.empty() || v_.chip_sex.empty()) return false;
    const auto chip = rules::Date::from_iso(v_.chip_birth);
    if (!chip) return false;
    for (const auto& rec : r.result.records) {
        const auto birth = rules::Date::from_oqs(rec.birthdate.value_or(""));
        if (birth && *birth == *chip && rec.sex1.value_or("") == v_.chip_sex) return true;
    }
    return false;
}

bool VisualConfirmFlow::in_window(const in::FaceResult& r) const {
    const int64_t at = r.received_ms ? r.received_ms : clock_();
    if (std::holds_alternative<state::Guidance>(v_.state))
        return v_.face_window_from_ms && at >= v_.face_window_from_ms;
    const auto* w = std::get_if<state::FaceWait>(&v_.state);
    return w && at >= w->since_ms && at <= w->until_ms;
}

void VisualConfirmFlow::take_face(state::FaceConsents c) {
    c.record_index = current_record(c.face.result);
    v_.consents =
        c.face.result.records.empty() ? decltype(v_.consents){} : consents_of(c.face.result.records[c.record_index]);
    log::info("flow", "face result " + c.face.file + " taken for this visit");
    enter(std::move(c));
}

void VisualConfirmFlow::open_result(oqs::QualificationResult result, std::string raw_xml) {
    state::Diff d;
    d.result = std::move(result);
    d.record_index = current_record(d.result);
    d.raw_xml = std::move(raw_xml);
    d.match = ledger_.match(d.result, d.record_index);
    const diff::MatchResult::Kind kind = d.match.kind;
    const std::string karte = d.match.karte;
    enter(std::move(d));
    switch (kind) {
        case diff::MatchResult::Kind::Linked: open_patient(karte); break;
        case diff::MatchResult::Kind::Choose: st<state::Diff>().choosing_patient = true; break;
        case diff::MatchResult::Kind::None: open_patient(""); break;
    }
}

void VisualConfirmFlow::open_patient(const std::string& karte) {
    auto& d = st<state::Diff>();
    d.choosing_patient = false;
    // The version first: a change between the two reads makes the plan stale (refused, computed again), never
    // a diff on newer data written under an older version.
    d.base_version = karte.empty() ? std::nullopt : std::optional<int64_t>(ledger_.patient_version(karte));
    d.patient = karte.empty() ? std::nullopt : ledger_.patient(karte);
    if (!d.patient) d.base_version.reset();
    d.diff = diff::build_diff(d.patient ? &*d.patient : nullptr, d.result, d.record_index);
    d.checked.clear();
    for (const auto& row : d.diff->rows)
        if (row.overwrite) d.checked.insert(row.field);
    const diff::SwitchDates dates = diff::switch_dates_of(*d.diff);
    d.switch_date = dates.switch_date;
    d.valid_from = dates.valid_from;
    d.limit_from = dates.limit_from;
    d.overwrite_mode = d.diff->classification == diff::Classification::ExtendOnly;
    d.show_all = false;
    d.switch_dialog = false;
    d.message = {};
}

// 更新する refused because another counter changed the patient: the diff again on the ledger as it is now.
// The staff's 上書き choice (ticked or not) stays on every row they saw that is unchanged (the same value in
// the 原簿 and from OQS) and still differs; any other differing row starts from its default; the rest of
// what they entered (上書き mode, 全表示, the 切替日 dialog's 切替日, 保険有効開始日 and 限度額開始日 of a
// 保険証変更 that still is one) stays too.
void VisualConfirmFlow::recompute_diff() {
    auto& d = st<state::Diff>();
    const state::Diff before = d;
    open_patient(before.patient ? before.patient->patient.karte : "");
    for (const auto& row : d.diff->rows) {
        if (!row.differs) continue;
        const auto old = std::find_if(before.diff->rows.begin(), before.diff->rows.end(),
                                      [&](const diff::DiffRow& r) { return r.field == row.field; });
        if (old == before.diff->rows.end() || !old->differs || old->current != row.current ||
            old->online_value != row.online_value)
            continue;
        if (before.checked.count(row.field))
            d.checked.insert(row.field);
        else
            d.checked.erase(row.field);
    }
    d.overwrite_mode = d.overwrite_mode || before.overwrite_mode;
    d.show_all = before.show_all;
    if (d.diff->classification == diff::Classification::SwitchCard &&
        before.diff->classification == diff::Classification::SwitchCard) {
        d.switch_date = before.switch_date;  // the whole 切替日 dialog as staff confirmed it
        d.valid_from = before.valid_from;
        d.limit_from = before.limit_from;
    }
}

std::optional<Event> VisualConfirmFlow::apply(const diff::Decision& d) {
    auto& dif = st<state::Diff>();
    diff::CheckContext ctx;
    ctx.method = cfg_.method;
    ctx.checked_at = util::format_local(clock_());
    ctx.raw_xml = dif.raw_xml;
    if (dif.from_console && !dif.check_id) ctx.method = ledger::CheckMethod::Face;  // a 原簿未登録 face result
    for (size_t i = 0; i < kConsentCount; ++i)
        if (v_.consents[i]) ctx.consents.push_back({consent_questions()[i].key, *v_.consents[i] ? "1" : "0", "", ""});
    ledger::OverwritePlan plan;
    try {
        plan = diff::make_plan(*dif.diff, dif.patient ? &*dif.patient : nullptr, dif.result, d, ctx, dif.record_index);
    } catch (const diff::Refused& e) {
        scratch_.refusal = e.message;
        return Event::PlanRefused;
    } catch (const std::invalid_argument& e) {
        scratch_.refusal = text::verbatim(e.what());
        return Event::PlanRefused;
    }
    // One check row per answer: the one recorded already is the plan's check (its consents attach to it) and,
    // for the visit's own face result, it is marked 目視確認 by this staff member first.
    if (dif.check_id && plan.check) plan.existing_check_id = dif.check_id;
    // Only a change of the patient is compared: recording the check alone (キャンセル) never clashes.
    if (plan.kind != ledger::PlanKind::RecordCheckOnly) plan.base_version = dif.base_version;
    try {
        // A stale diff is refused before the visit's face check is marked 目視確認, so nothing is written;
        // apply compares again under the writer lock.
        if (dif.check_id && dif.paired_face && plan.base_version &&
            ledger_.patient_version(plan.karte) != *plan.base_version)
            throw ledger::LedgerError(ledger::ErrorCode::Stale, "patient " + plan.karte + " changed at another counter",
                                      ledger::kStaleMessageJa);
        if (dif.check_id && dif.paired_face) ledger_.mark_visual_check(dif.check_id, v_.staff_id, visual_reason_key(v_.visual_reason));
        scratch_.applied = ledger_.apply(plan, v_.staff_id);
    } catch (const ledger::LedgerError& e) {
        log::error("flow", std::string("ledger refused the plan: ") + e.what());
        if (e.code == ledger::ErrorCode::Stale) recompute_diff();
        // One transaction: nothing was written. The screen keeps what staff entered (a lost server included:
        // 更新する again once it is back).
        scratch_.refusal = text::verbatim(e.message_ja);
        return Event::PlanRefused;
    }
    scratch_.applied_kind = d.kind;
    return Event::Applied;
}

// What the screens show that follows from the rules above, recomputed after every input.
void VisualConfirmFlow::publish() {
    if (auto* c = std::get_if<state::CardFace>(&v_.state)) {
        c->safety_floor = card_.safety_floor();
        c->entry_allowed = awaiting_number(*c) && !at_or_below_floor(c->tries_left, c->safety_floor);
        c->tries_low = at_or_below_floor(c->tries_left, c->safety_floor + 1);
        c->confirm_allowed = c->face && !forged(*c);
    } else if (auto* d = std::get_if<state::Diff>(&v_.state)) {
        d->actions = diff_actions(*d);
        d->headline = d->diff ? msg(headline(d->diff->classification)) : Message{};
    } else if (auto* done = std::get_if<state::Done>(&v_.state)) {
        done->clears_at_ms = v_.step_since_ms + cfg_.done_ms;
    }
}

int64_t VisualConfirmFlow::ms_to_next_timeout() const {
    const int64_t now = clock_();
    const Step s = v_.step();
    int64_t due = -1;
    switch (s) {
        case Step::StaffAuth:
        case Step::ChooseReason:
        case Step::AwaitCard:
        case Step::CardFace:
        case Step::Guidance:
        case Step::FaceWait:
        case Step::FaceTimeout:
        case Step::FaceConsents:
        case Step::Diff:
        case Step::Error: due = v_.last_activity_ms + cfg_.staff_idle_ms; break;
        case Step::Done: due = v_.step_since_ms + cfg_.done_ms; break;
        case Step::Aborted: due = v_.step_since_ms + cfg_.aborted_ms; break;
        default: break;
    }
    // The wait runs out under the lock too.
    if (const auto* w = std::get_if<state::FaceWait>(&v_.state)) {
        const int64_t over = w->until_ms + 1;
        due = due < 0 ? over : std::min(due, over);
    }
    const AuthPanel* p = v_.lock ? &v_.lock->auth : s == Step::StaffAuth ? &st<state::StaffAuth>().auth : nullptr;
    if (p && p->locked_until_ms > now) due = due < 0 ? p->locked_until_ms : std::min(due, p->locked_until_ms);
    return due < 0 ? -1 : std::max<int64_t>(0, due - now);
}

}  // namespace onshi::flow
