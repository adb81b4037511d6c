// `onshi oqs ingest`: every face/ result taken into the ledger once. `onshi query single`: the 単件照会 of the
// card registered in the ledger, through the req/ res/ folders. Both print JSON; the rules are in
// docs/oqs-terminal.md, "Face results and 単件照会".
#include <algorithm>
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
#include "core/intake/column_text.hpp"
#include "core/intake/face_intake.hpp"
#include "core/intake/single_query.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/oqs/gateway.hpp"
#include "core/oqs/inbox.hpp"
#include "core/util/clock.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"

namespace {
namespace fs = std::filesystem;
using namespace onshi;

void print(const Json& j) { std::printf("%s\n", j.dump(2, ' ', false, Json::error_handler_t::replace).c_str()); }


int ingest_cmd(cli::Args& args) {
    const fs::path root = args.required_option("--root");
    auto db_path = args.option("--ledger");
    args.expect_end();
    const fs::path face = root / "face";
    std::error_code ec;
    if (!fs::is_directory(face, ec))
        throw cli::UsageError(face.string() + " is not a folder (--root holds req/ res/ face/)");
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(face, ec)) {
        std::string n = e.path().filename().string();
        if (oqs::Inbox::wanted(true, n)) names.push_back(n);
    }
    if (ec) throw std::runtime_error("cannot list " + face.string() + ": " + ec.message());
    std::sort(names.begin(), names.end());

    auto db = cli::open_existing_ledger(db_path);
    const intake::FaceIntakeOptions opt;
    Json out = Json::array();
    bool malformed = false;
    for (const auto& name : names) {
        Json j = {{"file", name}};
        auto read = files::read_regular(face / name, opt.decode.max_bytes);
        if (!read.ok()) {
            // Not a file whose content can be kept (a symlink, a FIFO, too large): reported, looked at again next run.
            malformed = true;
            j.update({{"status", "malformed"},
                      {"karte", nullptr},
                      {"match", "none"},
                      {"recorded", false},
                      {"reason", read.message_en},
                      {"check", nullptr}});
            out.push_back(j);
            continue;
        }
        intake::FaceIntakeReport r = intake::take_in_face(db, {name, read.bytes}, opt);
        malformed = malformed || r.malformed;
        j["status"] = r.status;
        j["karte"] = r.karte.empty() ? Json() : Json(r.karte);
        j["match"] = r.match.empty() ? "none" : r.match;
        j["recorded"] = r.recorded;
        j["sha256"] = r.sha256;
        if (!r.reason.empty()) j["reason"] = r.reason;
        if (!r.candidates.empty()) j["candidates"] = r.candidates;
        if (r.check) {
            ledger::QualificationCheck c = *r.check;
            c.raw_xml.clear();  // the file itself is in face/; `onshi ledger show` prints the stored copy
            j["check"] = cli::check_json(c);
            j["column_text"] = j["check"]["column_text"];
        } else {
            j["check"] = nullptr;
        }
        out.push_back(j);
    }
    print(out);
    return malformed ? cli::kFailed : cli::kOk;
}

using cli::default_state;

using cli::karte_arg;

int query_single_cmd(cli::Args& args) {
    oqs::TransportOptions topt;
    topt.root = args.required_option("--root");
    topt.state_file = args.option("--state").value_or(default_state().string());
    topt.request_encoding = oqs::encoding_from_name(args.option("--encoding").value_or("UTF-8"));
    const double timeout_s = cli::parse_seconds("--timeout", args.option("--timeout").value_or("60"), 0.1, 3600);
    topt.timeout = std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
    const std::string karte = karte_arg(args.required_option("--karte"));
    const std::string consent_word = args.option("--limit-consent").value_or("unasked");
    auto consent = intake::limit_consent_from_code(consent_word);
    if (!consent) throw cli::UsageError("--limit-consent: expected unasked, yes or no, got '" + consent_word + "'");
    const std::string mic = args.option("--mic").value_or("1312345678");
    auto staff = args.option("--staff");
    auto db_path = args.option("--ledger");
    args.expect_end();

    auto db = cli::open_existing_ledger(db_path);
    if (staff) {
        auto m = db.staff(*staff);
        if (!m || !m->active)
            throw cli::UsageError("--staff " + *staff + " is not an active staff member of this ledger");
    }
    const rules::Date today = *rules::Date::from_iso(util::format_local_date(util::system_now_ms()));
    try {
        (void)intake::single_query(db, karte, *consent, today);  // refused here: nothing is written anywhere
    } catch (const intake::QueryRefused& e) {
        std::fprintf(stderr, "onshi query single: refused: %s\n", e.what());
        print({{"karte", karte}, {"refused", e.what()}, {"check", nullptr}});
        return cli::kFailed;
    }

    oqs::EventWaiter events;
    oqs::FolderGateway gw(topt, mic, events.sink());
    gw.transport().start();
    intake::SingleQueryRun run;
    try {
        run = intake::run_single_query(
            db, gw, [&](std::chrono::milliseconds t) { return events.wait(t); }, karte, *consent, today,
            topt.timeout + std::chrono::seconds(5), staff.value_or("cli"));
    } catch (const oqs::OqsError& e) {
        gw.transport().stop();
        std::fprintf(stderr, "onshi query single: nothing sent: %s\n", e.what());
        return cli::kFailed;
    }
    gw.transport().stop();
    if (run.timed_out)
        std::fprintf(stderr, "onshi query single: no answer to %s within %g s; the check stays 照会中\n",
                     run.request.c_str(), timeout_s);
    Json check = cli::check_json(run.check);
    print({{"karte", karte},
           {"request", run.request},
           {"timed_out", run.timed_out},
           {"check", check},
           {"column_text", check["column_text"]}});
    const std::string status = intake::status_of(run.check);
    return status == "valid" || status == "valid_unregistered" ? cli::kOk : cli::kFailed;
}

int query_cmd(cli::Args& args) {
    std::string sub = args.next("subcommand (single)");
    if (sub == "single") return query_single_cmd(args);
    throw cli::UsageError("unknown subcommand " + sub);
}

}  // namespace

ONSHI_SUBCOMMAND("oqs", "ingest", "oqs ingest --root DIR [--ledger DB]", ingest_cmd);
ONSHI_COMMAND("query",
              "query single --root DIR --karte N [--ledger DB] [--limit-consent unasked|yes|no] [--timeout S] "
              "[--state FILE] [--mic CODE] [--encoding E] [--staff ID]",
              query_cmd);
