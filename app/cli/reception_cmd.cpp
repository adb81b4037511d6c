// `onshi reception list|add`: the day's reception list (受付一覧) and adding a patient to it (with the automatic
// 単件照会 when [oqs] auto_query is on). `onshi query bulk`: 一括照会 through the folders, resuming an unfinished
// batch first. `onshi ledger confirm-card|unlink|relink|phones|kouhi|kaigo`: the 原簿 operations staff do on
// the 患者原簿 screen, each audited under `--staff`. The rules are in docs/oqs-terminal.md, "Reception list and
// 一括照会". JSON on stdout; exit 0 ok, 1 failed, 2 usage.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/check_json.hpp"
#include "app/cli/cli.hpp"
#include "app/cli/ledger_args.hpp"
#include "core/config/kiosk_config.hpp"
#include "core/intake/bulk_query.hpp"
#include "core/intake/column_text.hpp"
#include "core/intake/reception.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/oqs/gateway.hpp"
#include "core/rules/date.hpp"
#include "core/rules/numbers.hpp"
#include "core/util/clock.hpp"
#include "core/util/json.hpp"

namespace {
namespace fs = std::filesystem;
using namespace onshi;

void print(const Json& j) { std::printf("%s\n", j.dump(2, ' ', false, Json::error_handler_t::replace).c_str()); }

using cli::karte_arg;
using cli::require_active_staff;

rules::Date date_arg(const char* option, const std::string& text) {
    auto d = rules::Date::from_iso(text);
    if (!d || !d->valid())
        throw cli::UsageError(std::string(option) + ": expected a date YYYY-MM-DD, got '" + text + "'");
    return *d;
}

std::string optional_date(cli::Args& args, const char* option) {
    auto v = args.option(option);
    return v ? date_arg(option, *v).iso() : "";
}

rules::Date today() { return *rules::Date::from_iso(util::format_local_date(util::system_now_ms())); }

using cli::settings;

using cli::default_state;

oqs::TransportOptions transport_options(cli::Args& args, const config::KioskConfig& cfg, const std::string& root) {
    oqs::TransportOptions t;
    t.root = root;
    t.state_file = args.option("--state").value_or(default_state().string());
    t.request_encoding = oqs::encoding_from_name(args.option("--encoding").value_or(cfg.oqs_encoding));
    t.timeout = std::chrono::seconds(cfg.oqs_timeout_seconds);
    return t;
}

Json row_json(const intake::ReceptionListRow& r) {
    return {{"karte", r.karte.empty() ? Json() : Json(r.karte)},
            {"kanji_name", r.kanji_name},
            {"kana_name", r.kana_name},
            {"age", r.age},
            {"received_at", r.received_at},
            {"column_text", r.column_text},
            {"status", r.status},
            {"status_key", r.status_key},
            {"due_this_month", r.due_this_month},
            {"registered", r.registered},
            {"file", r.file.empty() ? Json() : Json(r.file)}};
}

int reception_list(cli::Args& args) {
    auto db_path = args.option("--ledger");
    auto date = args.option("--date");
    args.expect_end();
    const rules::Date day = date ? date_arg("--date", *date) : today();
    auto db = cli::open_existing_ledger(db_path, true);
    Json rows = Json::array();
    for (const auto& r : intake::reception_list(db, day)) rows.push_back(row_json(r));
    print(rows);
    return cli::kOk;
}

int reception_add(cli::Args& args) {
    auto db_path = args.option("--ledger");
    auto karte = args.option("--karte");
    auto kana = args.option("--kana");
    auto root = args.option("--root");
    auto cfg_file = args.option("--config");
    const bool no_query = args.flag("--no-auto-query");
    const std::string staff = args.option("--staff").value_or("reception");
    auto mic_opt = args.option("--mic");
    auto date = args.option("--date");
    if (!karte == !kana) throw cli::UsageError("give --karte N or --kana カナ");
    const config::KioskConfig cfg = settings(cfg_file);
    const double timeout_s = cli::parse_seconds(
        "--timeout", args.option("--timeout").value_or(std::to_string(cfg.oqs_timeout_seconds)), 0.1, 3600);
    std::optional<oqs::TransportOptions> topt;
    if (root) topt = transport_options(args, cfg, *root);
    args.expect_end();

    auto db = cli::open_existing_ledger(db_path);
    if (staff != "reception") require_active_staff(db, staff);
    std::string k;
    if (karte) {
        k = karte_arg(*karte);
    } else {
        ledger::SearchQuery q;
        q.kana = *kana;
        auto found = db.search(q, 20);
        if (found.size() != 1) {
            Json c = Json::array();
            for (const auto& s : found)
                c.push_back({{"karte", s.patient.karte},
                             {"kana_name", s.patient.kana_name},
                             {"kanji_name", s.patient.kanji_name},
                             {"birth", s.patient.birth}});
            std::fprintf(stderr, "onshi reception add: %zu patients match the kana '%s'; add one by --karte\n",
                         found.size(), kana->c_str());
            print({{"added", false}, {"candidates", c}});
            return cli::kFailed;
        }
        k = found[0].patient.karte;
    }
    // Another day's list is a 予約 (明日の一括照会 asks about it): the 単件照会 goes out on the day itself.
    const rules::Date day = date ? date_arg("--date", *date) : today();
    const bool query = topt && cfg.auto_query && !no_query && day == today();
    std::optional<oqs::EventWaiter> events;
    std::optional<oqs::FolderGateway> gw;
    intake::AutoQuery aq;
    if (query) {
        topt->timeout = std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
        events.emplace();
        gw.emplace(*topt,
                   mic_opt.value_or(cfg.medical_institution_code.empty() ? "1312345678" : cfg.medical_institution_code),
                   events->sink());
        gw->transport().start();
        aq.gateway = &*gw;
        aq.next = [&](std::chrono::milliseconds t) { return events->wait(t); };
        aq.wait = topt->timeout + std::chrono::seconds(5);
    }
    intake::ReceptionAdd r = intake::add_to_reception(db, k, day, staff, aq);
    if (gw) gw->transport().stop();
    Json out = {{"karte", k},
                {"added", r.received.added},
                {"received_at", r.received.entry.received_at},
                {"audit_id", r.received.audit_id ? Json(r.received.audit_id) : Json()},
                {"query", nullptr}};
    int rc = cli::kOk;
    if (r.query) {
        Json check = cli::check_json(r.query->check);
        out["query"] = {{"request", r.query->request},
                        {"timed_out", r.query->timed_out},
                        {"check", check},
                        {"column_text", check["column_text"]}};
        const std::string status = intake::status_of(r.query->check);
        if (status != "valid" && status != "valid_unregistered") rc = cli::kFailed;
    }
    if (!r.refused.empty()) {
        std::fprintf(stderr, "onshi reception add: no 単件照会: %s\n", r.refused.c_str());
        out["refused"] = r.refused;
        rc = cli::kFailed;
    }
    print(out);
    return rc;
}

int reception_cmd(cli::Args& args) {
    std::string sub = args.next("subcommand (list|add)");
    if (sub == "list") return reception_list(args);
    if (sub == "add") return reception_add(args);
    throw cli::UsageError("unknown subcommand " + sub);
}

// ---- 一括照会 ----

Json summary_json(const intake::BulkSummary& s, bool resumed) {
    Json by = Json::object();
    for (const auto& [k, n] : s.by_status) by[k] = n;
    return {
        {"batch", s.batch_id}, {"resumed", resumed},     {"state", s.state}, {"reception_number", s.reception_number},
        {"sent", s.sent},      {"answered", s.answered}, {"by_status", by},  {"pending", s.pending},
        {"message", s.message}};
}

int query_bulk(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string root = args.required_option("--root");
    auto cfg_file = args.option("--config");
    auto date = args.option("--date");
    const bool due = args.flag("--due-this-month");
    std::vector<std::string> kartes;
    while (auto k = args.option("--karte")) kartes.push_back(karte_arg(*k));
    const std::string staff = args.option("--staff").value_or("bulk");
    auto mic_opt = args.option("--mic");
    const config::KioskConfig cfg = settings(cfg_file);
    const double timeout_s = cli::parse_seconds("--timeout", args.option("--timeout").value_or("300"), 0.1, 86400);
    const double poll_s =
        cli::parse_seconds("--poll", args.option("--poll").value_or(std::to_string(cfg.bulk_poll_seconds)), 0.1, 600);
    oqs::TransportOptions topt = transport_options(args, cfg, root);
    args.expect_end();
    const int selections = int(!kartes.empty()) + int(due) + int(date.has_value());
    if (selections > 1) throw cli::UsageError("choose one of --karte N..., --due-this-month or --date D");

    auto db = cli::open_existing_ledger(db_path);
    if (staff != "bulk") require_active_staff(db, staff);
    const rules::Date day = today();
    std::string selection;
    if (date) {
        const rules::Date d = date_arg("--date", *date);
        selection = "date:" + d.iso();
        for (const auto& r : db.reception_rows(d.iso())) kartes.push_back(r.entry.karte);
    } else if (due) {
        selection = "due_this_month";
        kartes = db.kartes_due(rules::Date{day.year, day.month, 1}.iso());
    } else if (!kartes.empty()) {
        selection = "karte";
    }

    intake::BulkOptions opt;
    opt.medical_institution_code =
        mic_opt.value_or(cfg.medical_institution_code.empty() ? "1312345678" : cfg.medical_institution_code);
    opt.today = day;
    opt.poll_interval = std::chrono::milliseconds(static_cast<long long>(poll_s * 1000));
    opt.wait = std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
    opt.root = root;
    opt.staff_id = staff;

    oqs::EventWaiter events;
    oqs::OqsFolderTransport transport(topt, events.sink());
    transport.start();
    auto next = [&](std::chrono::milliseconds t) { return events.wait(t); };
    Json batches = Json::array();
    // A batch a previous run left unfinished is followed first; its 01req is never sent again.
    for (const auto& b : db.unfinished_bulks())
        batches.push_back(summary_json(intake::run_bulk(db, transport, next, b.id, opt), true));
    Json skipped = Json::array();
    if (!selection.empty()) {
        intake::BulkStart started;
        try {
            started = intake::start_bulk(db, transport, kartes, selection, opt);
        } catch (const oqs::OqsError& e) {
            transport.stop();
            std::fprintf(stderr, "onshi query bulk: nothing sent: %s\n", e.what());
            return cli::kFailed;
        }
        for (const auto& [k, why] : started.skipped) skipped.push_back({{"karte", k}, {"reason", why}});
        if (started.batch_id)
            batches.push_back(summary_json(intake::run_bulk(db, transport, next, started.batch_id, opt), false));
    } else if (batches.empty()) {
        transport.stop();
        throw cli::UsageError("choose --karte N..., --due-this-month or --date D (no unfinished batch to resume)");
    }
    transport.stop();

    size_t sent = 0, answered = 0, pending = 0;
    Json by = Json::object();
    bool failed = false;
    for (const auto& b : batches) {
        sent += b["sent"].get<size_t>();
        answered += b["answered"].get<size_t>();
        pending += b["pending"].get<size_t>();
        for (auto& [k, n] : b["by_status"].items()) by[k] = by.value(k, size_t(0)) + n.get<size_t>();
        failed = failed || b["state"] != "done";
    }
    if (pending) std::fprintf(stderr, "onshi query bulk: %zu records still 照会中; run again to resume\n", pending);
    print({{"sent", sent},
           {"answered", answered},
           {"by_status", by},
           {"pending", pending},
           {"batches", batches},
           {"skipped", skipped}});
    return failed || !skipped.empty() ? cli::kFailed : cli::kOk;
}

// ---- 原簿 operations ----

std::string staff_arg(cli::Args& args) { return args.required_option("--staff"); }

int confirm_card(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    const std::string date = optional_date(args, "--date");
    const std::string staff = staff_arg(args);
    args.expect_end();
    auto db = cli::open_existing_ledger(db_path);
    require_active_staff(db, staff);
    const int64_t id = db.confirm_card(karte, date, staff);
    print(
        {{"karte", karte}, {"audit_id", id}, {"card_checked_on", db.patient(karte)->current_card()->card_checked_on}});
    return cli::kOk;
}

int unlink_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    const std::string staff = staff_arg(args);
    args.expect_end();
    auto db = cli::open_existing_ledger(db_path);
    require_active_staff(db, staff);
    print({{"karte", karte}, {"audit_id", db.unlink_reference(karte, staff)}});
    return cli::kOk;
}

int relink_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    const std::string number = args.required_option("--reference");
    const std::string staff = staff_arg(args);
    args.expect_end();
    if (number.empty() || number.size() > 50 ||
        number.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-") !=
            std::string::npos)
        throw cli::UsageError("--reference: expected a 照会番号 of 1 to 50 letters, digits, '_' or '-', got '" +
                              number + "'");
    auto db = cli::open_existing_ledger(db_path);
    require_active_staff(db, staff);
    const std::string from = db.karte_for_reference(number);
    const int64_t id = db.relink_reference(number, karte, staff);
    print({{"karte", karte},
           {"reference_number", number},
           {"from", from.empty() ? Json() : Json(from)},
           {"audit_id", id}});
    return cli::kOk;
}

std::string phone_arg(cli::Args& args, const char* option) {
    auto v = args.option(option);
    if (!v) return "";
    if (v->empty() || v->size() > 20 || v->find_first_not_of("0123456789-") != std::string::npos ||
        v->find_first_of("0123456789") == std::string::npos)
        throw cli::UsageError(std::string(option) + ": expected a telephone number of digits and '-', got '" + *v +
                              "'");
    return *v;
}

int phones_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    ledger::Phones p;
    p.home = phone_arg(args, "--home");
    p.contact = phone_arg(args, "--contact");
    p.mobile = phone_arg(args, "--mobile");
    const std::string staff = staff_arg(args);
    args.expect_end();
    if (p.home.empty() && p.contact.empty() && p.mobile.empty())
        throw cli::UsageError("give at least one of --home, --contact, --mobile");
    auto db = cli::open_existing_ledger(db_path);
    require_active_staff(db, staff);
    const int64_t id = db.set_phones(karte, p, staff);
    const auto now = db.patient(karte)->patient.phones;
    print({{"karte", karte}, {"audit_id", id}, {"home", now.home}, {"contact", now.contact}, {"mobile", now.mobile}});
    return cli::kOk;
}

// A number checked with core/rules: malformed or a wrong check digit is refused, with the digit expected.
std::string checked_number(rules::NumberType type, const char* option, const std::string& text) {
    const rules::NumberCheck c = rules::check_number(type, text);
    if (!c.valid)
        throw cli::UsageError(std::string(option) + ": '" + text + "' " + (c.error ? c.error->en : "is not a number"));
    if (!c.check_digit_ok)
        throw cli::UsageError(
            std::string(option) + ": '" + text + "' has a wrong check digit" +
            (c.expected_check_digit ? std::string(" (expected ") + *c.expected_check_digit + ")" : ""));
    return c.normalized;
}

std::string digits_arg(cli::Args& args, const char* option, size_t length, bool required) {
    auto v = required ? std::optional<std::string>(args.required_option(option)) : args.option(option);
    if (!v) return "";
    if (v->size() != length || v->find_first_not_of("0123456789") != std::string::npos)
        throw cli::UsageError(std::string(option) + ": expected " + std::to_string(length) + " digits, got '" + *v +
                              "'");
    return *v;
}

int kouhi_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    ledger::KouhiEntry e;
    e.futansha_number = checked_number(rules::NumberType::KouhiPayer, "--payer", args.required_option("--payer"));
    if (auto r = args.option("--recipient"))
        e.jukyusha_number = checked_number(rules::NumberType::KouhiRecipient, "--recipient", *r);
    e.valid_from = optional_date(args, "--from");
    e.valid_until = optional_date(args, "--until");
    e.note = args.option("--note").value_or("");
    const std::string staff = staff_arg(args);
    args.expect_end();
    if (!e.valid_from.empty() && !e.valid_until.empty() && e.valid_until < e.valid_from)
        throw cli::UsageError("--until is before --from");
    auto db = cli::open_existing_ledger(db_path);
    require_active_staff(db, staff);
    print({{"karte", karte},
           {"audit_id", db.add_kouhi(karte, e, staff)},
           {"futansha_number", e.futansha_number},
           {"jukyusha_number", e.jukyusha_number}});
    return cli::kOk;
}

int kaigo_cmd(cli::Args& args) {
    auto db_path = args.option("--ledger");
    const std::string karte = karte_arg(args.required_option("--karte"));
    ledger::KaigoEntry e;
    e.insurer_number = digits_arg(args, "--insurer", 6, true);    // 介護保険者番号
    e.insured_number = digits_arg(args, "--insured", 10, false);  // 介護被保険者番号
    e.care_level = args.option("--level").value_or("");
    e.valid_from = optional_date(args, "--from");
    e.valid_until = optional_date(args, "--until");
    const std::string staff = staff_arg(args);
    args.expect_end();
    static constexpr const char* kLevels[] = {"",        "要支援1", "要支援2", "要介護1",
                                              "要介護2", "要介護3", "要介護4", "要介護5"};
    bool level_ok = false;
    for (const char* l : kLevels) level_ok = level_ok || e.care_level == l;
    if (!level_ok) throw cli::UsageError("--level: expected 要支援1-2 or 要介護1-5, got '" + e.care_level + "'");
    if (!e.valid_from.empty() && !e.valid_until.empty() && e.valid_until < e.valid_from)
        throw cli::UsageError("--until is before --from");
    auto db = cli::open_existing_ledger(db_path);
    require_active_staff(db, staff);
    print({{"karte", karte},
           {"audit_id", db.add_kaigo(karte, e, staff)},
           {"insurer_number", e.insurer_number},
           {"care_level", e.care_level}});
    return cli::kOk;
}

}  // namespace

ONSHI_COMMAND("reception",
              "reception list [--ledger DB] [--date YYYY-MM-DD] | reception add [--ledger DB] (--karte N|--kana カナ) "
              "[--date YYYY-MM-DD] [--root DIR] [--config FILE] [--no-auto-query] [--timeout S] [--staff ID] [--state FILE] [--mic CODE]",
              reception_cmd);
ONSHI_SUBCOMMAND("query", "bulk",
                 "query bulk --root DIR [--ledger DB] (--karte N...|--due-this-month|--date D) [--timeout S] "
                 "[--poll S] [--config FILE] [--staff ID] [--state FILE] [--mic CODE]",
                 query_bulk);
ONSHI_SUBCOMMAND("ledger", "confirm-card", "ledger confirm-card --karte N [--date D] --staff ID [--ledger DB]",
                 confirm_card);
ONSHI_SUBCOMMAND("ledger", "unlink", "ledger unlink --karte N --staff ID [--ledger DB]", unlink_cmd);
ONSHI_SUBCOMMAND("ledger", "relink", "ledger relink --reference NUMBER --karte N --staff ID [--ledger DB]", relink_cmd);
ONSHI_SUBCOMMAND("ledger", "phones",
                 "ledger phones --karte N [--home TEL] [--contact TEL] [--mobile TEL] --staff ID [--ledger DB]",
                 phones_cmd);
ONSHI_SUBCOMMAND("ledger", "kouhi",
                 "ledger kouhi --karte N --payer 8DIGITS [--recipient 7DIGITS] [--from D] [--until D] [--note T] "
                 "--staff ID [--ledger DB]",
                 kouhi_cmd);
ONSHI_SUBCOMMAND("ledger", "kaigo",
                 "ledger kaigo --karte N --insurer 6DIGITS [--insured 10DIGITS] [--level 要介護1] [--from D] "
                 "[--until D] --staff ID [--ledger DB]",
                 kaigo_cmd);
