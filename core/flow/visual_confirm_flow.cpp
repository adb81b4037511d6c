#include "core/flow/visual_confirm_flow.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/ledger/error.hpp"
#include "core/rules/date.hpp"
#include "core/util/log.hpp"

namespace onshi::flow {
namespace {

constexpr const char* kLinkDownGuidance =
    "オンライン資格確認用PC（オン資PC）の電源が入っているか確認してください。"
    "追加した患者さんすべてがエラーになる場合は、オン資PCとの通信に問題が発生している可能性があります。";

bool all_digits(const std::string& s, size_t n) {
    return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string tries_text(int n) { return n >= 0 ? "（残り" + std::to_string(n) + "回）" : ""; }

// Why 照合番号B cannot be keyed here: a try now could block the card for good.
std::string floor_message(int tries_left) {
    return "照合番号Bの残り回数が少ないため" + tries_text(tries_left) +
           "、ここでは入力できません。市区町村の窓口での再設定をご案内ください。";
}

oqs::ConsentChoices to_choices(const Visit& v) {
    oqs::ConsentChoices c;
    for (size_t i = 0; i < kConsentCount; ++i) {
        const auto& a = v.consents[i];
        switch (consent_questions()[i].kind) {
            case ConsentKind::Pharmacists: c.pharmacists = a; break;
            case ConsentKind::Diagnosis: c.diagnosis = a; break;
            case ConsentKind::SpecificHealthCheckups: c.specific_health_checkups = a; break;
            case ConsentKind::Operation: c.operation = a; break;
            case ConsentKind::LimitApplication: c.limit_application = a; break;
            case ConsentKind::SpecificDiseases: c.specific_diseases = a; break;
        }
    }
    return c;
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
        if (open && !best_open) best = i;
        else if (open == best_open && q.insured_card_valid_date.value_or("") > b.insured_card_valid_date.value_or("")) best = i;
    }
    return best;
}

rules::Date today(int64_t now_ms) {
    std::string iso = format_local(now_ms).substr(0, 10);
    return rules::Date::from_iso(iso).value_or(rules::Date{});
}

template <class T> constexpr bool is_device_input =
    std::is_same_v<T, in::Tick> || std::is_same_v<T, in::CardInserted> || std::is_same_v<T, in::CardRemoved> ||
    std::is_same_v<T, in::CardInspected> || std::is_same_v<T, in::FaceRead> || std::is_same_v<T, in::OqsAnswer> ||
    std::is_same_v<T, in::OqsFailed>;

}  // namespace

const char* input_name(const Input& input) {
    static const char* const names[] = {
        "activity", "staff_button", "select_staff", "passcode", "face_number", "confirm_person", "consent_answer",
        "take_back", "restart_consent", "choose_candidate", "choose_new_patient", "set_overwrite_mode",
        "set_show_all", "toggle_field", "update", "confirm_switch", "cancel_switch", "register",
        "fetch_medical_info", "cancel", "acknowledge", "abort", "lock", "tick", "card_inserted", "card_removed",
        "card_inspected", "face_read", "oqs_answer", "oqs_failed"};
    static_assert(sizeof(names) / sizeof(names[0]) == std::variant_size_v<Input>);
    return names[input.index()];
}

VisualConfirmFlow::VisualConfirmFlow(CardReader& card, oqs::OqsGateway& oqs, Ledger& ledger, Clock clock,
                                     FlowConfig config)
    : card_(card), oqs_(oqs), ledger_(ledger), clock_(std::move(clock)), cfg_(config) {
    v_.step_since_ms = v_.last_activity_ms = clock_();
}

void VisualConfirmFlow::post(Input input) {
    std::lock_guard lock(posted_mu_);
    posted_.push_back(std::move(input));
}

size_t VisualConfirmFlow::pump() {
    size_t n = 0;
    for (;;) {
        Input next;
        {
            std::lock_guard lock(posted_mu_);
            if (posted_.empty()) break;
            next = std::move(posted_.front());
            posted_.pop_front();
        }
        handle(next);
        ++n;
    }
    return n;
}

// Explicit specializations used before their definition below.
template <> void VisualConfirmFlow::on(const in::SelectStaff&);
template <> void VisualConfirmFlow::on(const in::Lock&);
template <> void VisualConfirmFlow::on(const in::Register&);

// ---------------------------------------------------------------- helpers

void VisualConfirmFlow::go(Step s) {
    v_.step = s;
    v_.step_since_ms = v_.last_activity_ms = clock_();
}

void VisualConfirmFlow::reset_to_standby() {
    // Nothing personal survives a return to 待機; only the reader's state does.
    bool card = v_.card_present;
    v_ = Visit{};
    v_.card_present = card;
    go(Step::Standby);
}

void VisualConfirmFlow::fail(std::string title_ja, std::string guidance_ja, std::string detail) {
    if (!detail.empty()) log::warn("flow", title_ja + ": " + detail);
    v_.error = {std::move(title_ja), std::move(guidance_ja), std::move(detail)};
    go(Step::Error);
}

bool VisualConfirmFlow::staff_step() const {
    switch (v_.step) {
        case Step::AwaitCard:
        case Step::CardFace:
        case Step::Handback:
        case Step::Querying:
        case Step::Diff:
        case Step::Error: return true;
        default: return false;
    }
}

int64_t VisualConfirmFlow::ms_to_next_timeout() const {
    const int64_t now = clock_();
    int64_t due = -1;
    if (staff_step() || v_.step == Step::StaffAuth) due = v_.last_activity_ms + cfg_.staff_idle_ms;
    else if (v_.step == Step::Consent) due = v_.last_activity_ms + cfg_.patient_idle_ms;
    else if (v_.step == Step::Done) due = v_.step_since_ms + cfg_.done_ms;
    else if (v_.step == Step::Aborted) due = v_.step_since_ms + cfg_.aborted_ms;
    if (v_.locked_until_ms > now && (v_.step == Step::StaffAuth || v_.step == Step::Locked))
        due = due < 0 ? v_.locked_until_ms : std::min(due, v_.locked_until_ms);
    return due < 0 ? -1 : std::max<int64_t>(0, due - now);
}

void VisualConfirmFlow::on_timeouts() {
    const int64_t now = clock_();
    const int64_t idle = now - v_.last_activity_ms;
    if (v_.locked_until_ms && v_.locked_until_ms <= now) {
        v_.locked_until_ms = 0;
        v_.auth_message_ja.clear();
    }
    switch (v_.step) {
        case Step::StaffAuth:
            if (idle >= cfg_.staff_idle_ms) reset_to_standby();  // nothing to keep yet
            break;
        case Step::Consent:
            if (idle >= cfg_.patient_idle_ms) {
                v_.consent_timed_out = true;  // the patient walked off: staff decide what next
                go(Step::Handback);
            }
            break;
        case Step::Done:
            if (now - v_.step_since_ms >= cfg_.done_ms) reset_to_standby();
            break;
        case Step::Aborted:
            if (now - v_.step_since_ms >= cfg_.aborted_ms) reset_to_standby();
            break;
        default:
            if (staff_step() && idle >= cfg_.staff_idle_ms) on(in::Lock{});
            break;
    }
}

void VisualConfirmFlow::start_consent() {
    v_.consent_index = 0;
    v_.consents = {};
    v_.consent_timed_out = false;
    go(Step::Consent);
}

void VisualConfirmFlow::start_card() {
    v_.inspection.reset();
    v_.face.reset();
    v_.inspecting = true;
    v_.reading_face = false;
    v_.tries_left = -1;
    go(Step::CardFace);
    card_.inspect();
}

void VisualConfirmFlow::submit_query() {
    oqs::CardQuery q;
    q.certificate_der = v_.inspection ? v_.inspection->certificate_der : "";
    q.method = cfg_.method == ledger::CheckMethod::Face  ? oqs::ConfirmationMethod::Face
               : cfg_.method == ledger::CheckMethod::Pin ? oqs::ConfirmationMethod::Pin
                                                         : oqs::ConfirmationMethod::Visual;
    q.consents = to_choices(v_);
    q.confirmation_date = today(clock_());
    try {
        v_.request = oqs_.submit(q);
    } catch (const std::exception& e) {
        fail("照会できませんでした", kLinkDownGuidance, e.what());
        return;
    }
    v_.query_started_ms = clock_();
    go(Step::Querying);
}

void VisualConfirmFlow::open_patient(const std::string& karte) {
    v_.choosing_patient = false;
    v_.patient = karte.empty() ? std::nullopt : ledger_.patient(karte);
    v_.diff = diff::build_diff(v_.patient ? &*v_.patient : nullptr, *v_.result, v_.record_index);
    v_.checked.clear();
    for (const auto& row : v_.diff->rows)
        if (row.overwrite) v_.checked.insert(row.field);
    v_.switch_date = v_.diff->switch_date;
    v_.overwrite_mode = v_.diff->classification == diff::Classification::ExtendOnly;
    v_.show_all = false;
    v_.switch_dialog = false;
    v_.diff_message_ja.clear();
}

void VisualConfirmFlow::on_answer(const in::OqsAnswer& a) {
    v_.result = a.result;
    v_.record_index = current_record(a.result);
    v_.raw_xml = a.raw_xml;
    v_.match = ledger_.match(a.result, v_.record_index);
    switch (v_.match.kind) {
        case diff::MatchResult::Kind::Linked: open_patient(v_.match.karte); break;
        case diff::MatchResult::Kind::Choose:
            v_.diff.reset();
            v_.choosing_patient = true;
            break;
        case diff::MatchResult::Kind::None: open_patient(""); break;
    }
    // An answer that arrives while the screen is locked waits behind the lock.
    if (v_.step == Step::Locked) v_.resume = Step::Diff;
    else go(Step::Diff);
}

void VisualConfirmFlow::apply(const diff::Decision& d) {
    if (!v_.diff || !v_.result) return;
    diff::CheckContext ctx;
    ctx.method = cfg_.method;
    ctx.checked_at = format_local(clock_());
    ctx.raw_xml = v_.raw_xml;
    for (size_t i = 0; i < kConsentCount; ++i)
        if (v_.consents[i]) ctx.consents.push_back({consent_questions()[i].key, *v_.consents[i] ? "1" : "0", "", ""});
    ledger::OverwritePlan plan;
    try {
        plan = diff::make_plan(*v_.diff, v_.patient ? &*v_.patient : nullptr, *v_.result, d, ctx, v_.record_index);
    } catch (const std::invalid_argument& e) {
        v_.diff_message_ja = e.what();
        return;
    }
    try {
        v_.applied = ledger_.apply(plan, v_.staff_id);
    } catch (const ledger::LedgerError& e) {
        log::error("flow", std::string("ledger refused the plan: ") + e.what());
        v_.diff_message_ja = e.message_ja;  // one transaction: nothing was written
        return;
    }
    switch (d.kind) {
        case diff::Decision::Kind::Register: v_.done_summary_ja = "新患として登録しました"; break;
        case diff::Decision::Kind::SwitchCard: v_.done_summary_ja = "保険証を切り替えました"; break;
        case diff::Decision::Kind::Overwrite: v_.done_summary_ja = "チェックした項目を上書きしました"; break;
        case diff::Decision::Kind::FetchMedicalInfo: v_.done_summary_ja = "照会番号を登録しました"; break;
        case diff::Decision::Kind::RecordOnly: v_.done_summary_ja = "資格確認の結果を記録しました"; break;
    }
    v_.switch_dialog = false;
    go(Step::Done);
}

// ---------------------------------------------------------------- inputs

template <> void VisualConfirmFlow::on(const in::Tick&) { on_timeouts(); }
template <> void VisualConfirmFlow::on(const in::Activity&) {}

template <> void VisualConfirmFlow::on(const in::StaffButton&) {
    if (v_.step != Step::Standby) return;
    v_.staff = ledger_.active_staff();
    if (v_.staff.empty()) {
        fail("職員が登録されていません", "管理者が onshi staff add で職員とパスコードを登録してください。");
        return;
    }
    if (v_.staff.size() == 1) on(in::SelectStaff{v_.staff[0].id});
    go(Step::StaffAuth);
}

template <> void VisualConfirmFlow::on(const in::SelectStaff& s) {
    if (v_.step != Step::StaffAuth && v_.step != Step::Locked && v_.step != Step::Standby) return;
    if (v_.staff.empty()) v_.staff = ledger_.active_staff();
    auto it = std::find_if(v_.staff.begin(), v_.staff.end(), [&](const StaffEntry& e) { return e.id == s.id; });
    if (it == v_.staff.end()) return;
    v_.staff_id = it->id;
    v_.staff_name = it->name;
    v_.auth_message_ja.clear();
    int64_t left = ledger_.staff_locked_for_ms(s.id);
    v_.locked_until_ms = left > 0 ? clock_() + left : 0;
}

template <> void VisualConfirmFlow::on(const in::Passcode& p) {
    if ((v_.step != Step::StaffAuth && v_.step != Step::Locked) || v_.staff_id.empty()) return;
    AuthResult r = ledger_.verify_staff(v_.staff_id, p.digits);
    switch (r.outcome) {
        case AuthOutcome::Accepted:
            v_.authenticated = true;
            v_.auth_message_ja.clear();
            v_.locked_until_ms = 0;
            if (v_.step == Step::Locked) {
                Step back = v_.resume;
                go(back);
            } else {
                go(Step::AwaitCard);
                if (v_.card_present) start_card();
            }
            return;
        case AuthOutcome::Locked:
            v_.locked_until_ms = clock_() + r.locked_for_ms;
            break;
        default: break;
    }
    v_.auth_message_ja = r.message_ja;
}

template <> void VisualConfirmFlow::on(const in::Lock&) {
    if (!staff_step()) return;
    v_.resume = v_.step;
    v_.authenticated = false;
    v_.auth_message_ja.clear();
    go(Step::Locked);
}

template <> void VisualConfirmFlow::on(const in::CardInserted&) {
    v_.card_present = true;
    if (v_.step == Step::AwaitCard) start_card();
}

template <> void VisualConfirmFlow::on(const in::CardRemoved&) {
    v_.card_present = false;
    // Before the person is confirmed the card is still needed; afterwards its certificate is already read.
    if (v_.step == Step::CardFace || (v_.step == Step::Locked && v_.resume == Step::CardFace)) {
        v_.inspecting = v_.reading_face = false;
        v_.inspection.reset();
        v_.face.reset();
        v_.card_message_ja = "カードが取り外されました。もう一度カードリーダーに置いてください。";
        if (v_.step == Step::Locked) v_.resume = Step::AwaitCard;
        else go(Step::AwaitCard);
    }
}

template <> void VisualConfirmFlow::on(const in::CardInspected& c) {
    if (v_.step != Step::CardFace || !v_.inspecting) return;  // stale: the visit moved on
    v_.inspecting = false;
    if (!c.result.ok) {
        log::warn("flow", "card inspection failed: " + c.result.message_en);
        v_.card_message_ja = "カードを読み取れませんでした。カードを置き直してください。";
        go(Step::AwaitCard);
        return;
    }
    v_.inspection = c.result;
    v_.tries_left = c.result.face_tries_left;
    v_.card_message_ja.clear();
    if (v_.tries_left >= 0 && v_.tries_left <= card_.safety_floor()) v_.card_message_ja = floor_message(v_.tries_left);
}

template <> void VisualConfirmFlow::on(const in::FaceNumber& f) {
    if (v_.step != Step::CardFace || !v_.inspection || v_.reading_face || v_.face) return;
    if (!all_digits(f.birth_yymmdd, 6) || !all_digits(f.expiry_year, 4) || !all_digits(f.security_code, 4)) {
        v_.card_message_ja = "照合番号Bは、生年月日（和暦6桁）・有効期限の年（西暦4桁）・セキュリティコード（4桁）です。";
        return;
    }
    if (v_.tries_left >= 0 && v_.tries_left <= card_.safety_floor()) return;  // the message already says why
    v_.reading_face = true;
    v_.card_message_ja.clear();
    card_.read_face(f.birth_yymmdd + f.expiry_year + f.security_code);
}

template <> void VisualConfirmFlow::on(const in::FaceRead& f) {
    if (v_.step != Step::CardFace || !v_.reading_face) return;
    v_.reading_face = false;
    const FaceReadOutcome& r = f.result;
    using S = FaceReadOutcome::Status;
    switch (r.status) {
        case S::Ok:
            v_.face = r.face;
            v_.tries_left = r.tries_left_before;
            break;
        case S::WrongNumber:
            v_.tries_left = r.tries_left_after;
            v_.card_message_ja = "照合番号Bが違います" + tries_text(r.tries_left_after) +
                                 "。券面の生年月日・有効期限の年・セキュリティコードを確かめてください。";
            break;
        case S::Blocked:
            fail("照合番号Bがロックされています",
                 "このカードの券面は、市区町村の窓口で照合番号Bの再設定をするまで読み取れません。"
                 "保険証など別の方法で資格を確認してください。",
                 r.message_en);
            break;
        case S::Refused:
            v_.tries_left = r.tries_left_before;
            v_.card_message_ja = floor_message(r.tries_left_before);
            break;
        case S::BadInput:
            v_.card_message_ja = "照合番号Bの形式が違います。";
            break;
        case S::CardError:
            log::warn("flow", "card face read failed: " + r.message_en);
            v_.card_message_ja = r.verify_sent
                                     ? "読み取り中にカードが外れました。照合番号Bの回数を1回使った可能性があります。"
                                     : "カードを読み取れませんでした。照合番号Bの回数は使っていません。";
            v_.inspection.reset();
            go(Step::AwaitCard);
            if (v_.card_present) start_card();
            break;
    }
}

template <> void VisualConfirmFlow::on(const in::ConfirmPerson&) {
    if (v_.step != Step::CardFace || !v_.face) return;
    if (v_.face->verdict == "forged_suspect") {
        v_.card_message_ja = "偽造の疑いがあるカードでは続けられません。中止してください。";
        return;
    }
    start_consent();
}

template <> void VisualConfirmFlow::on(const in::ConsentAnswer& a) {
    if (v_.step != Step::Consent || v_.consent_index >= kConsentCount) return;
    v_.consents[v_.consent_index++] = a.agree;
    if (v_.consent_index == kConsentCount) go(Step::Handback);
}

template <> void VisualConfirmFlow::on(const in::RestartConsent&) {
    if (v_.step == Step::Handback) start_consent();
}

template <> void VisualConfirmFlow::on(const in::TakeBack&) {
    if (v_.step == Step::Handback) submit_query();
}

template <> void VisualConfirmFlow::on(const in::OqsAnswer& a) {
    if (v_.request.empty() || a.request != v_.request) return;  // aborted or someone else's
    if (v_.step != Step::Querying && !(v_.step == Step::Locked && v_.resume == Step::Querying)) return;
    on_answer(a);
}

template <> void VisualConfirmFlow::on(const in::OqsFailed& f) {
    if (v_.request.empty() || f.request != v_.request) return;
    if (v_.step != Step::Querying && !(v_.step == Step::Locked && v_.resume == Step::Querying)) return;
    v_.request.clear();
    if (f.timed_out)
        fail("オンライン資格確認端末から応答がありません",
             std::string(kLinkDownGuidance) + "二重照会を避けるため、自動では再送しません。", f.message_en);
    else
        fail("照会でエラーが発生しました", kLinkDownGuidance, f.message_en);
}

template <> void VisualConfirmFlow::on(const in::ChooseCandidate& c) {
    if (v_.step != Step::Diff || !v_.choosing_patient) return;
    for (const auto& cand : v_.match.candidates)
        if (cand.karte == c.karte) return open_patient(c.karte);
}

template <> void VisualConfirmFlow::on(const in::ChooseNewPatient&) {
    if (v_.step == Step::Diff && v_.choosing_patient) open_patient("");
}

template <> void VisualConfirmFlow::on(const in::SetOverwriteMode& m) {
    if (v_.step == Step::Diff && v_.diff) v_.overwrite_mode = m.on;
}

template <> void VisualConfirmFlow::on(const in::SetShowAll& m) {
    if (v_.step == Step::Diff) v_.show_all = m.on;
}

template <> void VisualConfirmFlow::on(const in::ToggleField& t) {
    if (v_.step != Step::Diff || !v_.diff || !v_.overwrite_mode) return;
    for (const auto& row : v_.diff->rows) {
        if (row.field != t.field) continue;
        if (!row.online_carried) return;  // OQS sent nothing: never blank the ledger's value
        if (!v_.checked.erase(t.field)) v_.checked.insert(t.field);
        v_.diff_message_ja.clear();
    }
}

template <> void VisualConfirmFlow::on(const in::Update&) {
    if (v_.step != Step::Diff || !v_.diff || v_.choosing_patient) return;
    using C = diff::Classification;
    switch (v_.diff->classification) {
        case C::SwitchCard:
            if (!v_.overwrite_mode) {
                v_.switch_dialog = true;
                return;
            }
            break;
        case C::NewPatient: return on(in::Register{});
        case C::NoValidCard:
        case C::Error:
            v_.diff_message_ja = "有効な資格がないため更新できません。キャンセルで確認結果だけを記録します。";
            return;
        default: break;
    }
    if (!v_.overwrite_mode && v_.diff->classification == C::Unchanged) {
        v_.diff_message_ja = "変更はありません。キャンセルしてください。";
        return;
    }
    if (v_.checked.empty()) {
        v_.diff_message_ja = "上書きする項目にチェックを入れてください。";
        return;
    }
    diff::Decision d;
    d.kind = diff::Decision::Kind::Overwrite;
    d.fields.assign(v_.checked.begin(), v_.checked.end());
    apply(d);
}

template <> void VisualConfirmFlow::on(const in::ConfirmSwitch& s) {
    if (v_.step != Step::Diff || !v_.switch_dialog) return;
    auto date = rules::Date::from_iso(s.date);
    if (!date || !date->valid()) {
        v_.diff_message_ja = "切替日が正しい日付ではありません。";
        return;
    }
    v_.switch_date = date->iso();
    diff::Decision d;
    d.kind = diff::Decision::Kind::SwitchCard;
    d.switch_date = v_.switch_date;
    apply(d);
}

template <> void VisualConfirmFlow::on(const in::CancelSwitch&) { v_.switch_dialog = false; }

template <> void VisualConfirmFlow::on(const in::Register&) {
    if (v_.step != Step::Diff || !v_.diff || v_.diff->classification != diff::Classification::NewPatient) return;
    diff::Decision d;
    d.kind = diff::Decision::Kind::Register;
    apply(d);
}

template <> void VisualConfirmFlow::on(const in::FetchMedicalInfo&) {
    if (v_.step != Step::Diff || !v_.diff || !v_.diff->offer_medical_info) return;
    diff::Decision d;
    d.kind = diff::Decision::Kind::FetchMedicalInfo;
    apply(d);
}

template <> void VisualConfirmFlow::on(const in::Cancel&) {
    if (v_.step != Step::Diff) return;
    if (v_.switch_dialog) {
        v_.switch_dialog = false;
        return;
    }
    if (!v_.patient || v_.choosing_patient) {
        // Nobody to attach the check to (新患 not registered, no patient chosen, or an answer without a
        // person): nothing is written.
        v_.done_summary_ja = "原簿には何も登録していません";
        go(Step::Done);
        return;
    }
    apply(diff::Decision{});  // RecordOnly: the check itself, nothing else
}

template <> void VisualConfirmFlow::on(const in::Acknowledge&) {
    if (v_.step == Step::Done || v_.step == Step::Error || v_.step == Step::Aborted) reset_to_standby();
}

template <> void VisualConfirmFlow::on(const in::Abort&) {
    if (v_.step == Step::Standby || v_.step == Step::Aborted) return;
    // Drop everything: a late answer or card read for this visit is ignored, nothing reaches the ledger.
    bool card = v_.card_present;
    v_ = Visit{};
    v_.card_present = card;
    go(Step::Aborted);
}

// ---------------------------------------------------------------- dispatch

void VisualConfirmFlow::handle(const Input& input) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (!is_device_input<T>) v_.last_activity_ms = clock_();
            if (!std::is_same_v<T, in::Tick> && !std::is_same_v<T, in::Activity>)
                log::debug("flow", std::string(step_name(v_.step)) + " <- " + input_name(input));
            on(x);
        },
        input);
}

}  // namespace onshi::flow
