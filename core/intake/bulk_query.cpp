#include "core/intake/bulk_query.hpp"

#include "core/intake/check_record.hpp"
#include "core/intake/column_text.hpp"
#include "core/oqs/error.hpp"
#include "core/oqs/gateway.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"
#include "core/util/files.hpp"

namespace onshi::intake {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

ledger::NewCheck error_check(const std::string& message) {
    ledger::NewCheck c;
    c.status = "error";
    c.message = "エラー " + message;
    return c;
}

bool pending(const ledger::LedgerStore& store, const ledger::BulkItem& item) {
    if (!item.check_id) return false;
    auto c = store.check(item.check_id);
    return c && c->status == "processing";
}

// Every record still 照会中 gets `answer` (the batch failed as a whole).
void fail_pending(ledger::LedgerStore& store, ledger::BulkBatch& b, const std::string& why, const std::string& staff) {
    std::vector<std::pair<int64_t, ledger::NewCheck>> answers;
    for (const auto& item : b.items)
        if (pending(store, item)) answers.emplace_back(item.check_id, error_check(why));
    if (!answers.empty()) store.complete_checks(answers, staff);  // one transaction for the batch
    b.state = "failed";
    b.message = why;
    store.update_bulk(b);
}

std::string header_error(const oqs::Message& m) {
    std::string s = "SegmentOfResult " + m.header.segment_of_result.value_or("?");
    if (m.header.error_code) s += " ErrorCode " + *m.header.error_code;
    if (m.header.error_message) s += " " + *m.header.error_message;
    return s;
}

// The 01res: its ReceptionNumber starts the polls.
void on_01res(ledger::LedgerStore& store, ledger::BulkBatch& b, const oqs::Message& m, const BulkOptions& opt) {
    if (b.state != "sent") return;  // handled already (the file read at resume, then the transport's event)
    const std::string seg = m.header.segment_of_result.value_or("1");
    const std::string rn = m.body.reception_number.value_or("");
    if (seg != "1" || rn.empty()) return fail_pending(store, b, "OQSmuquc01res: " + header_error(m), opt.staff_id);
    b.reception_number = rn;
    b.state = "polling";
    b.poll_request.clear();
    store.update_bulk(b);
}

// One 02res. Returns true when it was final (the records are recorded, or the batch failed).
bool on_02res(ledger::LedgerStore& store, ledger::BulkBatch& b, const oqs::Message& m, const BulkOptions& opt) {
    const std::string seg = m.header.segment_of_result.value_or("1");
    if (seg == "2") return false;  // 処理中: ask again after the interval
    if (seg != "1") {
        fail_pending(store, b, "OQSmuquc02res: " + header_error(m), opt.staff_id);
        return true;
    }
    std::map<std::string, const ledger::BulkItem*> by_id;
    for (const auto& item : b.items) by_id[item.arbitrary_id] = &item;
    // Every record of the answer in one transaction: one commit (and one list refresh) for the batch.
    std::vector<std::pair<int64_t, ledger::NewCheck>> answers;
    for (const oqs::BulkConfirmUnit& u : m.body.units) {
        const std::string id = u.search ? u.search->arbitrary_identifier.value_or("") : "";
        auto it = by_id.find(id);
        if (it == by_id.end()) continue;  // not a record of this batch: nothing to attach it to
        const ledger::BulkItem& item = *it->second;
        by_id.erase(it);  // a second unit for the same record is ignored
        if (!pending(store, item)) continue;
        ledger::NewCheck answer = check_from_result(oqs::qualification_result(m, u));
        if (answer.status == "processing") answer = error_check("no result for this record");
        oqs::Message one;
        one.kind = m.kind;
        one.header = m.header;
        one.body.units.push_back(u);
        answer.raw_xml = oqs::serialize(one, oqs::Encoding::Utf8);
        answers.emplace_back(item.check_id, std::move(answer));
    }
    // Records the answer did not mention stay unanswered no longer: the batch is over.
    for (const auto& [id, item] : by_id)
        if (pending(store, *item))
            answers.emplace_back(item->check_id, error_check("OQSmuquc02res has no result for this record"));
    if (!answers.empty()) store.complete_checks(answers, opt.staff_id);
    b.state = "done";
    b.poll_request.clear();
    store.update_bulk(b);
    return true;
}

// An answer the transport handed out before a restart may never come as an event again: read it from res/.
std::optional<oqs::Message> answer_in_res(const BulkOptions& opt, const std::string& request) {
    if (opt.root.empty() || request.empty()) return std::nullopt;
    const std::string name = oqs::counterpart_name(request);
    auto kind = oqs::kind_from_file_name(name);
    if (name.empty() || !kind) return std::nullopt;
    auto read = files::read_regular(opt.root / "res" / name, oqs::DecodeOptions{}.max_bytes);
    if (!read.ok()) return std::nullopt;
    try {
        return oqs::parse_message(read.bytes, *kind);
    } catch (const oqs::OqsError&) {
        return std::nullopt;  // being written, or malformed: the transport reports it
    }
}

// A 02req the transport will report nothing more about: timed out already, or not outstanding at all.
bool poll_given_up(const oqs::OqsFolderTransport& transport, const std::string& request) {
    for (const auto& r : transport.outstanding())
        if (r.name == request) return r.timed_out;
    return true;
}

oqs::Message poll_request(const ledger::BulkBatch& b, const BulkOptions& opt) {
    oqs::Message m;
    m.kind = oqs::MessageKind::Muquc02Req;
    m.header.medical_institution_code = opt.medical_institution_code;
    m.body.reception_number = b.reception_number;
    return m;
}

}  // namespace

BulkStart start_bulk(ledger::LedgerStore& store, oqs::OqsFolderTransport& transport,
                     const std::vector<std::string>& kartes, const std::string& selection, const BulkOptions& opt) {
    BulkStart out;
    std::vector<std::pair<std::string, int64_t>> items;
    std::vector<oqs::SearchInfo> search;
    for (const auto& karte : kartes) {
        auto r = store.patient(karte);
        if (!r) {
            out.skipped.emplace_back(karte, "no patient with this カルテ番号");
            continue;
        }
        try {
            const oqs::QualificationQuery q = single_query(*r, LimitConsent::Unasked, opt.today);
            oqs::Message one = oqs::make_request(q, opt.medical_institution_code);
            search.push_back(one.body.search.front());
            items.emplace_back(karte, r->current_card()->id);
        } catch (const QueryRefused& e) {
            out.skipped.emplace_back(karte, e.what());
        } catch (const oqs::OqsError& e) {
            out.skipped.emplace_back(karte, e.what());
        }
    }
    if (items.empty()) return out;
    ledger::BulkBatch b = store.create_bulk(selection, items, opt.staff_id);
    out.batch_id = b.id;
    oqs::Message req;
    req.kind = oqs::MessageKind::Muquc01Req;
    req.header.qualification_confirmation_date = opt.today.oqs();
    req.header.medical_institution_code = opt.medical_institution_code;
    for (size_t i = 0; i < search.size(); ++i) {
        search[i].arbitrary_identifier = b.items[i].arbitrary_id;  // items keep the order they were given
        req.body.search.push_back(std::move(search[i]));
    }
    try {
        out.request = transport.submit(std::move(req));
    } catch (const oqs::OqsError& e) {
        b.state = "failed";
        b.message = std::string("nothing sent: ") + e.what();
        store.update_bulk(b);
        throw;
    }
    store.bulk_sent(b.id, out.request, opt.staff_id);
    return out;
}

BulkSummary run_bulk(ledger::LedgerStore& store, oqs::OqsFolderTransport& transport, const NextEvent& next,
                     int64_t batch_id, const BulkOptions& opt) {
    auto found = store.bulk(batch_id);
    if (!found) return bulk_summary(store, batch_id);
    ledger::BulkBatch b = *found;
    if (b.state == "sending") {
        // Stopped between writing the batch and learning the 01req's name: it may or may not have been sent.
        // Never sent again (docs/oqs-terminal.md); staff look at the terminal's log.
        b.state = "uncertain";
        b.message = "stopped while sending the OQSmuquc01req; not sent again";
        store.update_bulk(b);
        return bulk_summary(store, batch_id);
    }
    const auto until = Clock::now() + opt.wait;
    auto next_poll = Clock::now();
    // Answers handed out before a restart.
    if (b.state == "sent")
        if (auto m = answer_in_res(opt, b.request)) on_01res(store, b, *m, opt);
    if (b.state == "polling" && !b.poll_request.empty()) {
        if (auto m = answer_in_res(opt, b.poll_request)) {
            if (!on_02res(store, b, *m, opt)) {
                b.poll_request.clear();
                store.update_bulk(b);
            }
        } else if (poll_given_up(transport, b.poll_request)) {
            // Its TimedOut went by before this run listened (or the transport forgot it): no event will
            // come for it. A poll only reads the job, so it is asked again rather than waited for forever.
            b.poll_request.clear();
            store.update_bulk(b);
        }
    }
    while (b.state == "sent" || b.state == "polling") {
        const auto now = Clock::now();
        if (now >= until) break;
        if (b.state == "polling" && b.poll_request.empty() && now >= next_poll) {
            try {
                b.poll_request = transport.submit(poll_request(b, opt));
            } catch (const oqs::OqsError& e) {
                fail_pending(store, b, std::string("OQSmuquc02req not sent: ") + e.what(), opt.staff_id);
                break;
            }
            ++b.polls;
            store.update_bulk(b);
            continue;
        }
        auto wake = until;
        if (b.state == "polling" && b.poll_request.empty()) wake = std::min(wake, next_poll);
        const auto left = std::chrono::duration_cast<milliseconds>(wake - now) + milliseconds(1);
        std::optional<oqs::OqsEvent> e = next(left);
        if (!e) continue;  // the poll interval or this run's time is up
        const bool is_01 = b.state == "sent" && e->request == b.request;
        const bool is_02 = b.state == "polling" && !b.poll_request.empty() && e->request == b.poll_request;
        if (!is_01 && !is_02) continue;
        if (e->type == oqs::OqsEvent::Type::TimedOut) {
            // The 01req is never sent again (a late answer still comes). A 02req only reads the job: polled
            // again after the interval, its late answer (another request's name by then) ignored.
            if (is_02) {
                b.poll_request.clear();
                store.update_bulk(b);
                next_poll = Clock::now() + opt.poll_interval;
            }
            continue;
        }
        if (e->type == oqs::OqsEvent::Type::Failed || !e->message) {
            const std::string why =
                (is_01 ? "OQSmuquc01req " : "OQSmuquc02req ") + (e->error.empty() ? "failed: " + e->file : e->error);
            fail_pending(store, b, why, opt.staff_id);
            break;
        }
        if (is_01) {
            on_01res(store, b, *e->message, opt);
        } else if (!on_02res(store, b, *e->message, opt)) {
            b.poll_request.clear();
            store.update_bulk(b);
            next_poll = Clock::now() + opt.poll_interval;
        }
    }
    return bulk_summary(store, batch_id);
}

BulkSummary bulk_summary(const ledger::LedgerStore& store, int64_t batch_id) {
    BulkSummary s;
    s.batch_id = batch_id;
    auto b = store.bulk(batch_id);
    if (!b) return s;
    s.state = b->state;
    s.reception_number = b->reception_number;
    s.message = b->message;
    for (const auto& item : b->items) {
        if (!item.check_id) {
            ++s.pending;
            continue;
        }
        ++s.sent;
        auto c = store.check(item.check_id);
        const std::string key = c ? status_of(*c) : "processing";
        if (key == "processing") {
            ++s.pending;
        } else {
            ++s.answered;
            ++s.by_status[key];
        }
    }
    return s;
}

}  // namespace onshi::intake
