#include "core/medinfo/fetch.hpp"

#include <random>
#include <thread>

#include "core/oqs/error.hpp"
#include "core/rules/numbers.hpp"
#include "core/util/clock.hpp"
#include "core/util/log.hpp"

namespace onshi::medinfo {
namespace {
using Clock = std::chrono::steady_clock;
namespace om = oqs::medinfo;

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Waits for the event of `request` (skipping other requests' and face results); nullopt on time-out.
std::optional<oqs::OqsEvent> wait_for(const NextEvent& next, const std::string& request,
                                      std::chrono::milliseconds wait) {
    const auto until = Clock::now() + wait;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        if (left.count() <= 0) return std::nullopt;
        std::optional<oqs::OqsEvent> e = next(left);
        if (!e) return std::nullopt;
        if (e->request != request) continue;
        if (e->type == oqs::OqsEvent::Type::TimedOut) return std::nullopt;
        return e;
    }
}

std::string random_afi() {
    static const char chars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::random_device rd;
    std::string s = "MI";
    for (int i = 0; i < 20; ++i) s += chars[rd() % 62];
    return s;
}

FetchResult refused(FetchResult r, std::string en, std::string ja) {
    r.outcome = FetchResult::Outcome::Refused;
    r.error_en = std::move(en);
    r.message_ja = std::move(ja);
    return r;
}

FetchResult failed(FetchResult r, std::string en, std::string ja = "情報を取得できませんでした。") {
    r.outcome = FetchResult::Outcome::Failed;
    r.error_en = std::move(en);
    r.message_ja = std::move(ja);
    return r;
}

}  // namespace

FetchResult fetch(ledger::LedgerStore& store, oqs::OqsFolderTransport& transport, const NextEvent& next,
                  const std::string& karte, const FetchOptions& opt) {
    FetchResult r;
    const int64_t now = opt.now_ms ? opt.now_ms : util::system_now_ms();
    auto patient = store.patient(karte);
    if (!patient)
        return refused(r, "no patient with カルテ番号 " + karte,
                       "カルテ番号 " + karte + " の患者様は原簿に登録されていません。");
    const ledger::InsuranceCard* card = patient->current_card();
    if (!card || card->insurer_number.empty() || card->bango.empty())
        return refused(r, "カルテ番号 " + karte + " has no current card with 保険者番号 and 番号",
                       "原簿に保険証（保険者番号・番号）が登録されていません。");
    r.consent = consent_status(store, karte, opt.kind, now, opt.with_diagnosis);
    if (!r.consent.valid()) return refused(r, r.consent.reason_en, r.consent.message_ja);

    om::Query q;
    q.kind = opt.kind;
    q.insurer_number = card->insurer_number;
    q.symbol = card->kigo;
    q.number = card->bango;
    q.branch = card->edaban;
    q.start_month = opt.start_month;
    q.end_month = opt.end_month;
    q.pdf = opt.pdf;
    q.with_diagnosis = opt.with_diagnosis;
    oqs::Message request;
    try {
        request = om::make_request(q, opt.medical_institution_code, opt.codes);
        request.header.arbitrary_file_identifier = random_afi();  // kept to check the answer's echo
        r.request = transport.submit(request);
    } catch (const oqs::OqsError& e) {
        return refused(r, std::string("nothing sent: ") + e.what(), "要求を作成できませんでした。");
    }
    log::info("medinfo", std::string("sent ") + r.request + " for カルテ番号 " + karte);

    std::optional<oqs::OqsEvent> e = wait_for(next, r.request, opt.wait);
    if (!e) {
        r.outcome = FetchResult::Outcome::TimedOut;
        r.error_en = "no answer to " + r.request + " within the wait";
        r.message_ja = "回答がありません。しばらくしてから確認してください。";
        return r;
    }
    if (e->type != oqs::OqsEvent::Type::Answer)
        return failed(r, e->error.empty() ? "the terminal did not answer " + r.request : e->error);

    const bool pdf_file = ends_with(e->file, ".pdf");
    ledger::MedinfoRecord row;
    row.karte = karte;
    row.kind = om::kind_code(opt.kind);
    row.request = r.request;
    row.file = e->file;
    row.consent_until = r.consent.available_until;
    row.raw = e->raw;
    if (pdf_file) {
        if (!om::looks_like_pdf(e->raw)) return failed(r, e->file + " is not a PDF file");
        row.format = "pdf";
    } else {
        try {
            Json parsed;
            std::string afi, result_code, message;
            if (opt.kind == om::InfoKind::Drug) {
                om::DrugAnswer a = om::parse_drug(e->raw, opt.limits);
                afi = a.arbitrary_file_identifier;
                result_code = a.result_code;
                message = a.message;
                parsed = om::to_json(a);
            } else {
                om::CheckupAnswer a = om::parse_checkup(e->raw, opt.limits);
                afi = a.arbitrary_file_identifier;
                result_code = a.result_code;
                message = a.message;
                parsed = om::to_json(a);
            }
            if (!afi.empty() && afi != request.header.arbitrary_file_identifier.value_or(""))
                return failed(r, e->file + ": ArbitraryFileIdentifier " + afi + " is not the request's");
            if (result_code != "1")
                return failed(r, e->file + ": OQS answered ResultCode " + (result_code.empty() ? "(none)" : result_code) +
                                     (message.empty() ? "" : ": " + message),
                              message.empty() ? "情報を取得できませんでした。" : message);
            row.format = "xml";
            row.parsed = parsed.dump();
        } catch (const oqs::OqsError& ex) {
            return failed(r, e->file + ": " + ex.what());
        }
    }
    r.stored = store.add_medinfo(row, opt.staff_id);
    r.outcome = FetchResult::Outcome::Stored;
    return r;
}

bool registration_needed(const ledger::PatientRecord& patient, const std::string& answer_reference) {
    return patient.reference_number().empty() && answer_reference.empty();
}

RegistrationResult register_reference(ledger::LedgerStore& store, oqs::OqsFolderTransport& transport,
                                      const NextEvent& next, const std::string& karte, const std::string& mic,
                                      std::chrono::milliseconds wait, const std::string& staff_id) {
    RegistrationResult r;
    auto refuse = [&](std::string en, std::string ja) {
        r.outcome = RegistrationResult::Outcome::Refused;
        r.error_en = std::move(en);
        r.message_ja = std::move(ja);
        return r;
    };
    auto patient = store.patient(karte);
    if (!patient)
        return refuse("no patient with カルテ番号 " + karte, "カルテ番号 " + karte + " の患者様は原簿に登録されていません。");
    if (!patient->reference_number().empty())
        return refuse("カルテ番号 " + karte + " has 照会番号 " + patient->reference_number() + " already",
                      "照会番号は登録済みです。");
    const ledger::InsuranceCard* card = patient->current_card();
    if (!card || card->insurer_number.empty() || card->bango.empty())
        return refuse("カルテ番号 " + karte + " has no current card with 保険者番号 and 番号",
                      "原簿に保険証（保険者番号・番号）が登録されていません。");
    if (!card->edaban.empty() && card->edaban.size() != 2)
        return refuse("枝番 must be 2 digits", "枝番は2桁です。");
    const std::string insurer = rules::insurer_for_oqs(card->insurer_number);
    if (insurer.size() != 8 || card->kigo.size() > 20 || card->bango.size() > 20)
        return refuse("the card's numbers cannot be registered (保険者番号 6 or 8 digits, 記号・番号 ≤ 20)",
                      "保険証の番号を登録できません。");
    oqs::Message m;
    m.kind = oqs::MessageKind::Siimm01Req;
    m.header.medical_institution_code = mic;
    oqs::ReferenceRegistration reg;
    reg.reference_number = karte;  // the clinic's 診察券番号
    reg.insurer_number = insurer;
    if (!card->kigo.empty()) reg.insured_card_symbol = card->kigo;
    reg.insured_identification_number = card->bango;
    if (!card->edaban.empty()) reg.insured_branch_number = card->edaban;
    m.body.registration = reg;
    r.reference_number = karte;
    try {
        r.request = transport.submit(m);
    } catch (const oqs::OqsError& e) {
        return refuse(std::string("nothing sent: ") + e.what(), "照会番号登録を送信できませんでした。");
    }
    std::optional<oqs::OqsEvent> e = wait_for(next, r.request, wait);
    if (!e) {
        r.outcome = RegistrationResult::Outcome::TimedOut;
        r.error_en = "no answer to " + r.request + " within the wait";
        r.message_ja = "照会番号登録の回答がありません。";
        return r;
    }
    bool ok = false;
    std::string detail;
    if (e->type == oqs::OqsEvent::Type::Answer && e->message) {
        const oqs::Message& a = *e->message;
        const bool segment_ok = a.header.segment_of_result.value_or("1") == "1";
        ok = segment_ok && a.body.processing_result_status.value_or("") == "1";
        if (!ok) {
            detail = a.header.error_code.value_or(a.body.processing_result_code.value_or(""));
            std::string msg = a.header.error_message.value_or(a.body.processing_result_message.value_or(""));
            if (!msg.empty()) detail += (detail.empty() ? "" : " ") + msg;
        }
    } else {
        detail = e->error.empty() ? "no usable answer" : e->error;
    }
    r.audit_id = store.record_reference_registration(karte, karte, r.request, ok, detail, staff_id);
    r.outcome = ok ? RegistrationResult::Outcome::Registered : RegistrationResult::Outcome::Failed;
    if (!ok) {
        r.error_en = "照会番号登録 failed: " + (detail.empty() ? std::string("(no detail)") : detail);
        r.message_ja = "照会番号を登録できませんでした。" + detail;
    }
    return r;
}

HomeVisitList home_visit_list(const ledger::LedgerStore& store, oqs::OqsFolderTransport& transport,
                              const NextEvent& next, const std::string& mic, const std::string& from,
                              const std::string& to, std::chrono::milliseconds wait,
                              std::chrono::milliseconds poll_interval, int max_polls) {
    HomeVisitList out;
    auto date_ok = [](const std::string& d) {
        return d.size() == 8 && d.find_first_not_of("0123456789") == std::string::npos;
    };
    if (!date_ok(from) || !date_ok(to) || from > to) {
        out.error_en = "the 確認期間 needs two dates YYYYMMDD, the first not after the second";
        return out;
    }
    oqs::Message m;
    m.kind = oqs::MessageKind::Muhvq01Req;
    m.header.medical_institution_code = mic;
    oqs::SearchInfo s;
    s.consent_date_from = from;
    s.consent_date_to = to;
    s.medical_treatment_flag = "2";  // OQSCD028 訪問診療等
    m.body.search.push_back(s);
    try {
        out.request = transport.submit(m);
    } catch (const oqs::OqsError& e) {
        out.error_en = std::string("nothing sent: ") + e.what();
        return out;
    }
    std::optional<oqs::OqsEvent> e = wait_for(next, out.request, wait);
    if (!e || e->type != oqs::OqsEvent::Type::Answer || !e->message) {
        out.error_en = !e ? "no answer to " + out.request : e->error;
        return out;
    }
    out.reception_number = e->message->body.reception_number.value_or("");
    if (out.reception_number.empty()) {
        out.error_en = "the answer to " + out.request + " has no ReceptionNumber";
        return out;
    }
    for (int poll = 0; poll < max_polls; ++poll) {
        oqs::Message p;
        p.kind = oqs::MessageKind::Muhvq02Req;
        p.header.medical_institution_code = mic;
        p.body.reception_number = out.reception_number;
        std::string name;
        try {
            name = transport.submit(p);
        } catch (const oqs::OqsError& ex) {
            out.error_en = std::string("cannot poll: ") + ex.what();
            return out;
        }
        std::optional<oqs::OqsEvent> a = wait_for(next, name, wait);
        if (!a || a->type != oqs::OqsEvent::Type::Answer || !a->message) {
            out.error_en = !a ? "no answer to " + name : a->error;
            return out;
        }
        const oqs::Message& res = *a->message;
        const std::string segment = res.header.segment_of_result.value_or("1");
        if (segment == "2") {  // 処理中: ask again later
            std::this_thread::sleep_for(poll_interval);
            continue;
        }
        if (segment != "1") {
            out.error_en = "OQS answered SegmentOfResult " + segment + " " + res.header.error_code.value_or("") + " " +
                           res.header.error_message.value_or("");
            return out;
        }
        const std::string at = res.header.process_execution_time.value_or("");
        for (const auto& u : res.body.units)
            for (const auto& rec : u.results) {
                HomeVisitRow row;
                row.record = rec;
                oqs::BulkConfirmUnit one = u;
                one.results = {rec};
                row.result = oqs::qualification_result(res, one);
                oqs::Message alone = res;
                alone.body.units = {std::move(one)};
                row.raw_xml = oqs::serialize(alone, oqs::Encoding::Utf8);
                row.checked_at = at;
                row.kanji = rec.name.value_or("");
                row.kana = rec.name_kana.value_or("");
                row.sex = rec.sex1.value_or("");
                row.birth = rec.birthdate.value_or("");
                row.insurer_number = rec.insurer_number.value_or("");
                row.reference_number = rec.reference_number.value_or(u.reference_number.value_or(""));
                row.validity = u.qualification_validity.value_or("");
                if (!row.reference_number.empty()) row.karte = store.karte_for_reference(row.reference_number);
                row.confirmed = !row.karte.empty();
                out.rows.push_back(std::move(row));
            }
        out.ok = true;
        return out;
    }
    out.error_en = "the list was still being prepared after " + std::to_string(max_polls) + " polls";
    return out;
}

}  // namespace onshi::medinfo
