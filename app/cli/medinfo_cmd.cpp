// `onshi medinfo …`: 薬剤情報・特定健診情報 (fetch through the folders while the patient's 閲覧同意 is valid, show
// what is stored, the consent as recorded), 照会番号登録 and the 訪問等 consent list (docs/medinfo.md).
// JSON on stdout; exit 0 ok, 1 refused or failed, 2 usage.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "app/cli/cli.hpp"
#include "app/cli/ledger_args.hpp"
#include "core/config/kiosk_config.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/medinfo/fetch.hpp"
#include "core/medinfo/pdf_pages.hpp"
#include "core/medinfo/view.hpp"
#include "core/oqs/gateway.hpp"
#include "core/rules/date.hpp"
#include "core/util/clock.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"

namespace {
namespace fs = std::filesystem;
using namespace onshi;
namespace om = onshi::oqs::medinfo;

void print(const Json& j) { std::printf("%s\n", j.dump(2, ' ', false, Json::error_handler_t::replace).c_str()); }

using cli::karte_arg;
using cli::require_active_staff;

om::InfoKind kind_arg(const std::string& text) {
    auto k = om::kind_from_code(text);
    if (!k) throw cli::UsageError("--kind: expected yzk (薬剤情報) or tkk (特定健診情報), got '" + text + "'");
    return *k;
}

std::string month_arg(const char* option, const std::string& text) {
    if (text.size() != 6 || text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(text.substr(4)) < 1 || std::stoi(text.substr(4)) > 12)
        throw cli::UsageError(std::string(option) + ": expected a month YYYYMM, got '" + text + "'");
    return text;
}

std::string code_arg(const char* option, const std::string& text) {
    if (text.empty() || text.size() > 2 || text.find_first_not_of("0123456789") != std::string::npos)
        throw cli::UsageError(std::string(option) + ": expected a code of 1 or 2 digits, got '" + text + "'");
    return text;
}

using cli::settings;

using cli::default_state;

// The transport and the clinic's code for a command that sends: --root, --state, --encoding, --timeout, --mic,
// --config.
struct Sending {
    oqs::TransportOptions transport;
    std::string mic;
    std::chrono::milliseconds wait{60000};
};

Sending sending(cli::Args& args) {
    const config::KioskConfig cfg = settings(args.option("--config"));
    Sending s;
    s.transport.root = args.required_option("--root");
    s.transport.state_file = args.option("--state").value_or(default_state().string());
    s.transport.request_encoding = oqs::encoding_from_name(args.option("--encoding").value_or(cfg.oqs_encoding));
    double t = cli::parse_seconds("--timeout", args.option("--timeout").value_or(std::to_string(cfg.oqs_timeout_seconds)),
                                  0.1, 3600);
    s.wait = std::chrono::milliseconds(long(t * 1000));
    s.transport.timeout = s.wait;
    s.mic = args.option("--mic").value_or(cfg.medical_institution_code.empty() ? "1312345678"
                                                                               : cfg.medical_institution_code);
    return s;
}

Json consent_json(const medinfo::ConsentStatus& c) {
    const char* verdict = c.verdict == medinfo::ConsentVerdict::Valid     ? "valid"
                          : c.verdict == medinfo::ConsentVerdict::Expired ? "expired"
                                                                          : "not_given";
    return {{"verdict", verdict},
            {"element", c.element},
            {"flag", c.flag.empty() ? Json() : Json(c.flag)},
            {"given_at", c.given_at.empty() ? Json() : Json(c.given_at)},
            {"available_until", c.available_until.empty() ? Json() : Json(c.available_until)},
            {"check_id", c.check_id ? Json(c.check_id) : Json()},
            {"reason", c.reason_en.empty() ? Json() : Json(c.reason_en)}};
}

Json record_json(const ledger::MedinfoRecord& r) {
    return {{"id", r.id},           {"karte", r.karte},           {"kind", r.kind},
            {"format", r.format},   {"request", r.request},       {"file", r.file},
            {"fetched_at", r.fetched_at}, {"staff_id", r.staff_id}, {"sha256", r.sha256},
            {"consent_until", r.consent_until.empty() ? Json() : Json(r.consent_until)}, {"audit_id", r.audit_id}};
}

int fetch_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    medinfo::FetchOptions o;
    o.kind = kind_arg(args.required_option("--kind"));
    o.pdf = args.flag("--pdf");
    o.with_diagnosis = args.flag("--diagnosis");
    if (auto v = args.option("--from")) o.start_month = month_arg("--from", *v);
    if (auto v = args.option("--to")) o.end_month = month_arg("--to", *v);
    // [open] codes (docs/medinfo.md): the public sources' values unless the clinic's terminal wants others.
    if (auto v = args.option("--file-category")) {
        const std::string c = code_arg("--file-category", *v);
        o.codes.pdf = o.codes.xml = o.codes.pdf_with_diagnosis = o.codes.xml_with_diagnosis = c;
    }
    if (auto v = args.option("--classification")) o.codes.pr_di_inf_classification = code_arg("--classification", *v);
    if (auto v = args.option("--treatment")) o.codes.medical_treatment_flag = code_arg("--treatment", *v);
    o.staff_id = args.required_option("--staff");
    Sending s = sending(args);
    args.expect_end();
    if (o.with_diagnosis && o.kind != om::InfoKind::Drug) throw cli::UsageError("--diagnosis goes with --kind yzk");
    auto db = cli::open_existing_ledger(db_path, false);
    require_active_staff(db, o.staff_id);
    o.medical_institution_code = s.mic;
    o.wait = s.wait;

    oqs::EventWaiter events;
    oqs::OqsFolderTransport transport(s.transport, events.sink());
    try {
        transport.start();
    } catch (const oqs::OqsError& e) {
        throw cli::UsageError(e.what());
    }
    medinfo::FetchResult r =
        medinfo::fetch(db, transport, [&](std::chrono::milliseconds t) { return events.wait(t); }, karte, o);
    transport.stop();
    const char* outcome = r.outcome == medinfo::FetchResult::Outcome::Stored     ? "stored"
                          : r.outcome == medinfo::FetchResult::Outcome::Refused  ? "refused"
                          : r.outcome == medinfo::FetchResult::Outcome::TimedOut ? "timed_out"
                                                                                 : "failed";
    Json j{{"karte", karte},
           {"kind", om::kind_code(o.kind)},
           {"outcome", outcome},
           {"request", r.request.empty() ? Json() : Json(r.request)},
           {"consent", consent_json(r.consent)},
           {"stored", r.stored ? record_json(*r.stored) : Json()},
           {"error", r.error_en.empty() ? Json() : Json(r.error_en)}};
    print(j);
    if (!r.error_en.empty()) std::fprintf(stderr, "onshi medinfo: %s\n", r.error_en.c_str());
    return r.outcome == medinfo::FetchResult::Outcome::Stored ? cli::kOk : cli::kFailed;
}

int show_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    const om::InfoKind kind = kind_arg(args.required_option("--kind"));
    auto raw_out = args.option("--raw-out");
    args.expect_end();
    auto db = cli::open_existing_ledger(db_path, true);
    if (!db.patient(karte)) throw cli::UsageError("no patient with カルテ番号 " + karte);
    auto list = db.medinfo_list(karte, om::kind_code(kind), false, 1);
    if (list.empty()) {
        print(Json{{"karte", karte}, {"kind", om::kind_code(kind)}, {"stored", nullptr}});
        std::fprintf(stderr, "onshi medinfo: nothing stored for カルテ番号 %s\n", karte.c_str());
        return cli::kFailed;
    }
    auto row = db.medinfo(list.front().id);
    Json j = record_json(*row);
    j["stored"] = true;
    if (row->format == "pdf") {
        std::string error;
        auto pdf = medinfo::PdfPages::open(row->raw, error);
        j["pages"] = pdf ? Json(pdf->pages()) : Json();
        j["data"] = nullptr;
    } else {
        try {
            if (kind == om::InfoKind::Drug) {
                om::DrugAnswer a = om::parse_drug(row->raw);
                j["data"] = om::to_json(a);
                medinfo::DrugView v = medinfo::drug_view(a);
                Json flags = Json::array();
                for (const auto& [name, h] : v.flags)
                    flags.push_back({{"name", name}, {"highlight", medinfo::highlight_label(h)}});
                j["highlighted"] = flags;
            } else {
                j["data"] = om::to_json(om::parse_checkup(row->raw));
            }
        } catch (const oqs::OqsError& e) {
            throw cli::UsageError(std::string("stored answer ") + std::to_string(row->id) + ": " + e.what());
        }
    }
    if (raw_out) files::write_atomic(*raw_out, row->raw, 0600);  // the answer exactly as received
    print(j);
    return cli::kOk;
}

int consent_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    const om::InfoKind kind = kind_arg(args.required_option("--kind"));
    const bool diagnosis = args.flag("--diagnosis");
    args.expect_end();
    auto db = cli::open_existing_ledger(db_path, true);
    if (!db.patient(karte)) throw cli::UsageError("no patient with カルテ番号 " + karte);
    auto c = medinfo::consent_status(db, karte, kind, util::system_now_ms(), diagnosis);
    print(consent_json(c));
    return c.valid() ? cli::kOk : cli::kFailed;
}

int register_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    const std::string staff = args.required_option("--staff");
    Sending s = sending(args);
    args.expect_end();
    auto db = cli::open_existing_ledger(db_path, false);
    require_active_staff(db, staff);
    oqs::EventWaiter events;
    oqs::OqsFolderTransport transport(s.transport, events.sink());
    try {
        transport.start();
    } catch (const oqs::OqsError& e) {
        throw cli::UsageError(e.what());
    }
    auto r = medinfo::register_reference(
        db, transport, [&](std::chrono::milliseconds t) { return events.wait(t); }, karte, s.mic, s.wait, staff);
    transport.stop();
    using O = medinfo::RegistrationResult::Outcome;
    const char* outcome = r.outcome == O::Registered ? "registered"
                          : r.outcome == O::Refused  ? "refused"
                          : r.outcome == O::TimedOut ? "timed_out"
                                                     : "failed";
    print(Json{{"karte", karte},
               {"outcome", outcome},
               {"reference_number", r.reference_number.empty() ? Json() : Json(r.reference_number)},
               {"request", r.request.empty() ? Json() : Json(r.request)},
               {"audit_id", r.audit_id ? Json(r.audit_id) : Json()},
               {"error", r.error_en.empty() ? Json() : Json(r.error_en)}});
    if (!r.error_en.empty()) std::fprintf(stderr, "onshi medinfo: %s\n", r.error_en.c_str());
    return r.outcome == O::Registered ? cli::kOk : cli::kFailed;
}

std::string date_arg(const char* option, const std::string& text) {
    auto d = rules::Date::from_iso(text);
    if (!d || !d->valid()) throw cli::UsageError(std::string(option) + ": expected a date YYYY-MM-DD, got '" + text + "'");
    return d->oqs();
}

int homevisit_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string from = date_arg("--from", args.required_option("--from"));
    const std::string to = date_arg("--to", args.required_option("--to"));
    double poll = cli::parse_seconds("--poll", args.option("--poll").value_or("2"), 0.05, 600);
    Sending s = sending(args);
    args.expect_end();
    if (from > to) throw cli::UsageError("--from is after --to");
    auto db = cli::open_existing_ledger(db_path, true);
    oqs::EventWaiter events;
    oqs::OqsFolderTransport transport(s.transport, events.sink());
    try {
        transport.start();
    } catch (const oqs::OqsError& e) {
        throw cli::UsageError(e.what());
    }
    auto list = medinfo::home_visit_list(
        db, transport, [&](std::chrono::milliseconds t) { return events.wait(t); }, s.mic, from, to, s.wait,
        std::chrono::milliseconds(long(poll * 1000)));
    transport.stop();
    Json rows = Json::array();
    for (const auto& r : list.rows)
        rows.push_back({{"confirmed", r.confirmed},
                        {"status", r.confirmed ? "確認済" : "未確認"},
                        {"karte", r.karte.empty() ? Json() : Json(r.karte)},
                        {"checked_at", r.checked_at},
                        {"kanji_name", r.kanji},
                        {"kana_name", r.kana},
                        {"sex", r.sex},
                        {"birth", r.birth},
                        {"insurer_number", r.insurer_number},
                        {"reference_number", r.reference_number.empty() ? Json() : Json(r.reference_number)},
                        {"validity", r.validity}});
    print(Json{{"ok", list.ok},
               {"from", from},
               {"to", to},
               {"reception_number", list.reception_number.empty() ? Json() : Json(list.reception_number)},
               {"rows", rows},
               {"error", list.error_en.empty() ? Json() : Json(list.error_en)}});
    if (!list.ok) std::fprintf(stderr, "onshi medinfo: %s\n", list.error_en.c_str());
    return list.ok ? cli::kOk : cli::kFailed;
}

int medinfo_cmd(cli::Args& args) {
    std::string sub = args.next("subcommand (fetch | show | consent | register | homevisit)");
    if (sub == "fetch") return fetch_cmd(args);
    if (sub == "show") return show_cmd(args);
    if (sub == "consent") return consent_cmd(args);
    if (sub == "register") return register_cmd(args);
    if (sub == "homevisit") return homevisit_cmd(args);
    throw cli::UsageError("unknown subcommand " + sub);
}

}  // namespace

ONSHI_COMMAND("medinfo",
              "medinfo fetch --ledger DB --root DIR --karte N --kind yzk|tkk --staff ID [--pdf] [--diagnosis] "
              "[--from YYYYMM] [--to YYYYMM] [--file-category N] [--classification N] [--treatment N] [--mic CODE] "
              "[--config FILE] [--state FILE] [--timeout S] | medinfo show --ledger DB --karte N --kind yzk|tkk "
              "[--raw-out FILE] | medinfo consent --ledger DB --karte N --kind yzk|tkk [--diagnosis] | medinfo register "
              "--ledger DB --root DIR --karte N --staff ID [--mic CODE] | medinfo homevisit --root DIR --from YYYY-MM-DD "
              "--to YYYY-MM-DD [--ledger DB] [--poll S] [--mic CODE]",
              medinfo_cmd);
