#pragma once
// 一括照会: the registered cards of several patients in one OQSmuquc01req; its OQSmuquc01res gives the
// ReceptionNumber; OQSmuquc02req polls with it (SegmentOfResult 2 = not ready: ask again after the interval)
// until OQSmuquc02res carries one BulkConfirmUnit per record, matched back to its patient by the record's
// ArbitraryIdentifier. The batch is kept in the ledger (state, request names, reception number, which check
// answers which record), so a restart resumes it and never sends its 01req again. The rules are in
// docs/oqs-terminal.md, "Reception list and 一括照会".
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/intake/single_query.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/oqs/transport.hpp"
#include "core/rules/date.hpp"

namespace onshi::intake {

struct BulkOptions {
    std::string medical_institution_code;
    rules::Date today;                               // QualificationConfirmationDate
    std::chrono::milliseconds poll_interval{30000};  // between 02req polls ([oqs] bulk_poll_seconds)
    std::chrono::milliseconds wait{60000};           // this run's time; then the batch is left to resume later
    std::filesystem::path root;                      // req/ res/: an answer already in res/ is read at resume
    std::string staff_id = "bulk";
};

struct BulkStart {
    int64_t batch_id = 0;                                      // 0: nobody could be asked (nothing sent)
    std::string request;                                       // the 01req file name
    std::vector<std::pair<std::string, std::string>> skipped;  // karte → why (no card, no birth date …)
};

// Writes the batch, sends the 01req through `transport` and records one 照会中 check (method 一括照会) per
// patient. Patients whose card cannot be asked about are skipped. OqsError when the request could not be
// written (the batch is then marked "failed": nothing was sent).
BulkStart start_bulk(ledger::LedgerStore& store, oqs::OqsFolderTransport& transport,
                     const std::vector<std::string>& kartes, const std::string& selection, const BulkOptions& opt);

struct BulkSummary {
    int64_t batch_id = 0;
    std::string state;  // ledger::BulkBatch states
    std::string reception_number;
    size_t sent = 0, answered = 0, pending = 0;
    std::map<std::string, size_t> by_status;  // status key → count, answered records only
    std::string message;                      // why failed / uncertain
};

// Follows the batch until every record is answered, the batch failed, or `opt.wait` passed (then it stays
// as it is, to resume). `next` is the transport's next event (EventWaiter::wait); events for other
// requests are skipped. A batch found in state "sending" becomes "uncertain" and is never sent again.
BulkSummary run_bulk(ledger::LedgerStore& store, oqs::OqsFolderTransport& transport, const NextEvent& next,
                     int64_t batch_id, const BulkOptions& opt);

BulkSummary bulk_summary(const ledger::LedgerStore& store, int64_t batch_id);

}  // namespace onshi::intake
