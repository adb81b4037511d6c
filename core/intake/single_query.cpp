#include "core/intake/single_query.hpp"

#include "core/intake/check_record.hpp"
#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"

namespace onshi::intake {

std::optional<LimitConsent> limit_consent_from_code(const std::string& code) {
    if (code == "unasked") return LimitConsent::Unasked;
    if (code == "yes") return LimitConsent::Yes;
    if (code == "no") return LimitConsent::No;
    return std::nullopt;
}

namespace {

bool is_zero_karte(const std::string& karte) {
    return karte.empty() || karte.find_first_not_of('0') == std::string::npos;
}

[[noreturn]] void refuse(const std::string& en, const std::string& ja) { throw QueryRefused(en, ja); }

}  // namespace

oqs::QualificationQuery card_query(const CardNumbers& card, rules::Date birth, LimitConsent consent,
                                   rules::Date today) {
    oqs::QualificationQuery q;
    q.insurer_number = card.insurer_number;
    q.symbol = card.kigo;
    q.number = card.bango;
    q.branch = card.edaban;
    q.birthdate = birth;
    q.confirmation_date = today;
    q.limit_application_consent = consent == LimitConsent::Yes;
    (void)oqs::make_request(q, "0000000000");  // the same checks the gateway makes, before anything is sent
    return q;
}

oqs::QualificationQuery single_query(const ledger::PatientRecord& r, LimitConsent consent, rules::Date today) {
    const std::string& karte = r.patient.karte;
    if (is_zero_karte(karte)) refuse("カルテ番号 0 cannot be queried", "カルテ番号 0 の患者様は資格確認できません。");
    const ledger::InsuranceCard* card = r.current_card();
    if (!card)
        refuse("カルテ番号 " + karte + " has no insurance card in the ledger",
               "原簿に保険証が登録されていないため、資格確認できません。保険証の情報を登録してください。");
    if (card->insurer_number.empty() || card->bango.empty())
        refuse("the card of カルテ番号 " + karte + " has no 保険者番号 or 番号",
               "原簿の保険証に保険者番号または番号が登録されていないため、資格確認できません。");
    auto birth = rules::Date::from_iso(r.patient.birth);
    if (!birth)
        refuse("カルテ番号 " + karte + " has no birth date in the ledger",
               "原簿に生年月日が登録されていないため、資格確認できません。生年月日を登録してください。");
    try {
        return card_query({card->insurer_number, card->kigo, card->bango, card->edaban}, *birth, consent, today);
    } catch (const oqs::OqsError& e) {
        refuse(
            "the card of カルテ番号 " + karte + " cannot be sent: " + e.what(),
            "原簿の保険証の情報（保険者番号・枝番など）が正しくないため、資格確認できません。原簿を確認してください。");
    }
}

oqs::QualificationQuery single_query(const ledger::LedgerStore& store, const std::string& karte, LimitConsent consent,
                                     rules::Date today) {
    if (is_zero_karte(karte)) refuse("カルテ番号 0 cannot be queried", "カルテ番号 0 の患者様は資格確認できません。");
    auto r = store.patient(karte);
    if (!r)
        refuse("no patient with カルテ番号 " + karte, "カルテ番号 " + karte + " の患者様は原簿に登録されていません。");
    return single_query(*r, consent, today);
}

SentQuery send_single_query(ledger::LedgerStore& store, oqs::OqsGateway& gateway, const std::string& karte,
                            LimitConsent consent, rules::Date today, const std::string& staff_id) {
    const oqs::QualificationQuery q = single_query(store, karte, consent, today);
    const int64_t card_id = store.patient(karte)->current_card()->id;
    SentQuery sent;
    sent.request = gateway.submit(q);

    ledger::NewCheck pending;
    pending.karte = karte;
    pending.card_id = card_id;
    pending.method = ledger::CheckMethod::Query;
    pending.status = "processing";
    pending.message = "照会中";
    pending.request = sent.request;
    sent.check_id = store.record_check(pending, staff_id).check_id;
    return sent;
}

bool record_single_answer(ledger::LedgerStore& store, int64_t check_id, const oqs::OqsEvent& e,
                          const std::string& staff_id) {
    if (e.type == oqs::OqsEvent::Type::TimedOut || e.type == oqs::OqsEvent::Type::FaceResult) return false;
    ledger::NewCheck answer;
    if (e.type == oqs::OqsEvent::Type::Answer && e.result) {
        answer = check_from_result(*e.result);
        if (e.message) answer.raw_xml = oqs::serialize(*e.message, oqs::Encoding::Utf8);
    } else {
        // Refused by the terminal (.err), an unreadable answer, an answer for someone else …
        answer.status = "error";
        answer.message = "エラー " + (e.error.empty() ? std::string("unexpected answer ") + e.file : e.error);
    }
    if (answer.status == "processing") return false;  // SegmentOfResult 2 (処理中): still waiting
    store.complete_check(check_id, answer, staff_id);
    return true;
}

SingleQueryRun run_single_query(ledger::LedgerStore& store, oqs::OqsGateway& gateway, const NextEvent& next,
                                const std::string& karte, LimitConsent consent, rules::Date today,
                                std::chrono::milliseconds wait, const std::string& staff_id) {
    const SentQuery sent = send_single_query(store, gateway, karte, consent, today, staff_id);
    SingleQueryRun run;
    run.request = sent.request;
    using Clock = std::chrono::steady_clock;
    const auto until = Clock::now() + wait;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        std::optional<oqs::OqsEvent> e = left.count() > 0 ? next(left) : std::nullopt;
        if (!e) {
            run.timed_out = true;
            break;
        }
        if (e->request != run.request) continue;  // another request's, or a face result: not this query's
        if (e->type == oqs::OqsEvent::Type::TimedOut) {
            run.timed_out = true;
            break;
        }
        if (record_single_answer(store, sent.check_id, *e, staff_id)) {
            run.answered = true;
            break;
        }
    }
    run.check = *store.check(sent.check_id);
    return run;
}

}  // namespace onshi::intake
