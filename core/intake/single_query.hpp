#pragma once
// 単件照会: the 資格確認 (OQSsiquc01req) of the insurance card registered in the 患者原簿, as the clinic's
// 院内患者 screen sends it. Refused, with a Japanese message for the screen and an English one for logs and
// the CLI, before anything is written to req/ or the ledger: カルテ番号 0, no such patient, no current card
// (or one without 保険者番号 / 番号), no 生年月日, or a card the request cannot carry. The rules are in
// docs/oqs-terminal.md, "Face results and 単件照会".
#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/ledger/ledger_store.hpp"
#include "core/oqs/gateway.hpp"
#include "core/rules/date.hpp"

namespace onshi::intake {

// 限度額情報の提供同意 as asked at the counter. The request carries a flag (OQSCD001: 0 未同意, 1 同意), so
// 未確認 and 拒否 both send 0; only 同意 sends 1.
enum class LimitConsent { Unasked, Yes, No };
std::optional<LimitConsent> limit_consent_from_code(const std::string& code);  // "unasked", "yes", "no"

struct QueryRefused : std::runtime_error {
    QueryRefused(const std::string& en, std::string ja) : std::runtime_error(en), message_ja(std::move(ja)) {}
    std::string message_ja;
};

// The numbers of one insurance card as a 資格確認 carries them: the card registered in the 原簿, or one typed
// from a 保険証 / 資格確認書 (core/console/typed_card).
struct CardNumbers {
    std::string insurer_number, kigo, bango, edaban;
};

// The query for a card and a birth date, confirmed on `today`, with the checks the gateway makes before
// anything is sent (make_request): throws oqs::OqsError (Usage) when the request cannot carry them.
oqs::QualificationQuery card_query(const CardNumbers& card, rules::Date birth, LimitConsent consent,
                                   rules::Date today);

// The query for the patient's current card, confirmed on `today`. Throws QueryRefused.
oqs::QualificationQuery single_query(const ledger::PatientRecord& record, LimitConsent consent, rules::Date today);
oqs::QualificationQuery single_query(const ledger::LedgerStore& store, const std::string& karte, LimitConsent consent,
                                     rules::Date today);

// The next event of the transport the gateway writes through (the CLI: EventWaiter::wait); nullopt when
// nothing came within the time given.
using NextEvent = std::function<std::optional<oqs::OqsEvent>(std::chrono::milliseconds)>;

struct SingleQueryRun {
    std::string request;               // the request file name in req/
    ledger::QualificationCheck check;  // as recorded: 照会中 while there is no answer
    bool answered = false;             // an answer (any status) or a failure was recorded
    bool timed_out = false;            // no answer: the check stays 照会中, the request stays outstanding
};

// The two halves of run_single_query, for callers that hear the transport's events elsewhere (the kiosk: its
// UI mailbox). send_single_query builds the query (QueryRefused), sends it (OqsError: nothing sent, nothing
// recorded) and records the check 照会中 at once; record_single_answer records what an event for that request
// says (an answer, a failure): false when it says nothing yet (a TimedOut, or 処理中), the check stays 照会中.
struct SentQuery {
    std::string request;
    int64_t check_id = 0;
};
SentQuery send_single_query(ledger::LedgerStore& store, oqs::OqsGateway& gateway, const std::string& karte,
                            LimitConsent consent, rules::Date today, const std::string& staff_id);
bool record_single_answer(ledger::LedgerStore& store, int64_t check_id, const oqs::OqsEvent& event,
                          const std::string& staff_id);

// Builds the query (QueryRefused), sends it through `gateway` (OqsError: nothing was sent, nothing recorded),
// records the check 照会中 at once (method 単件照会, the card it asked about, the request name), then waits
// for the transport's answer, failure or time-out for that request and records the answer. A time-out, or
// nothing heard within `wait`, leaves the check 照会中 and never sends again.
SingleQueryRun run_single_query(ledger::LedgerStore& store, oqs::OqsGateway& gateway, const NextEvent& next,
                                const std::string& karte, LimitConsent consent, rules::Date today,
                                std::chrono::milliseconds wait, const std::string& staff_id);

}  // namespace onshi::intake
