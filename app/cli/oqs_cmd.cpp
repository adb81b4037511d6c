// `onshi oqs …`: read an OQS file, send a 資格確認 to the terminal, or run the simulated terminal.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app/cli/cli.hpp"
#include "app/cli/ledger_args.hpp"
#include "core/oqs/gateway.hpp"
#include "core/medinfo/pdf_pages.hpp"
#include "core/oqs/json_view.hpp"
#include "core/oqs/medinfo.hpp"
#include "core/oqs/simulator.hpp"
#include "core/util/files.hpp"

namespace {
namespace fs = std::filesystem;
using namespace onshi;
using namespace onshi::oqs;

int parse_cmd(cli::Args& args) {
    std::string path = args.next("FILE");
    args.expect_end();
    std::string name = fs::path(path).filename().string();
    auto kind = kind_from_file_name(name);
    if (!kind) throw cli::UsageError(name + ": not an OQS file name (OQS<type>req|res_….xml, YZK/TKK…res_….xml|pdf)");
    // A regular file within the codec's size limit only: never blocks on a FIFO or reads a device forever.
    const DecodeOptions opt;
    auto read = files::read_regular(path, opt.max_bytes);
    if (!read.ok()) throw cli::UsageError(read.message_en);
    const bool medinfo_answer = *kind == MessageKind::YzkSiquc01Res || *kind == MessageKind::TkkSiquc01Res;
    const auto info =
        *kind == MessageKind::YzkSiquc01Res ? oqs::medinfo::InfoKind::Drug : oqs::medinfo::InfoKind::Checkup;
    if (medinfo_answer && oqs::medinfo::looks_like_pdf(read.bytes)) {  // the PDF form: its pages, nothing to derive
        std::string error;
        auto pdf = onshi::medinfo::PdfPages::open(read.bytes, error);
        if (!pdf) throw cli::UsageError(name + ": " + error);
        Json j{{"kind", kind_name(*kind)}, {"format", "pdf"}, {"bytes", read.bytes.size()}, {"pages", pdf->pages()},
               {"derived", nullptr}};
        std::printf("%s\n", j.dump(1).c_str());
        return cli::kOk;
    }
    try {
        ParsedFile f = parse_file(read.bytes, *kind, opt);
        Json j = parse_json(f);
        // 薬剤情報 / 特定健診情報 answers have a shape of their own (core/oqs/medinfo.hpp): the parsed answer.
        if (medinfo_answer) j["derived"] = oqs::medinfo::derived_json(read.bytes, info);
        std::printf("%s\n", j.dump(1, ' ', false, Json::error_handler_t::replace).c_str());
        return cli::kOk;
    } catch (const OqsError& e) {
        throw cli::UsageError(name + ": " + e.what());
    }
}

rules::Date date_arg(const std::string& text, const char* what) {
    auto d = rules::Date::from_iso(text);
    if (!d) throw cli::UsageError(std::string(what) + " must be YYYY-MM-DD");
    return *d;
}

using cli::default_state;

int request_cmd(cli::Args& args) {
    std::string type = args.next("message type (siquc01)");
    if (type != "siquc01") throw cli::UsageError("only 'siquc01' can be requested from the command line");
    TransportOptions opt;
    opt.root = args.required_option("--root");
    opt.state_file = args.option("--state").value_or(default_state().string());
    opt.request_encoding = encoding_from_name(args.option("--encoding").value_or("UTF-8"));
    double timeout_s = cli::parse_seconds("--timeout", args.option("--timeout").value_or("60"), 0.1, 3600);
    opt.timeout = std::chrono::milliseconds(long(timeout_s * 1000));
    std::string mic = args.option("--mic").value_or("1312345678");
    QualificationQuery q;
    q.insurer_number = args.required_option("--insurer");
    q.symbol = args.option("--symbol").value_or("");
    q.number = args.required_option("--number");
    q.branch = args.option("--branch").value_or("");
    q.birthdate = date_arg(args.required_option("--birthdate"), "--birthdate");
    auto date = args.option("--date");
    if (date) {
        q.confirmation_date = date_arg(*date, "--date");
    } else {
        auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        q.confirmation_date = rules::Date::from_sys_days(now);
    }
    q.limit_application_consent = args.flag("--limit-consent");
    args.expect_end();

    EventWaiter queue;
    FolderGateway gw(opt, mic, queue.sink());
    gw.transport().start();
    std::string name;
    try {
        name = gw.submit(q);
    } catch (const OqsError& e) {
        throw cli::UsageError(e.what());
    }
    std::fprintf(stderr, "sent %s\n", name.c_str());
    for (;;) {
        auto e = queue.wait(opt.timeout + std::chrono::seconds(5));
        if (!e) break;
        if (e->request != name) continue;
        if (e->type == OqsEvent::Type::Answer) {
            ParsedFile f;
            f.message = *e->message;
            f.document.root = write_message(f.message);
            f.document.encoding = opt.request_encoding;
            // The transport already decoded this file; re-read it (bounded, no symlinks) for the raw view.
            auto bytes = files::read_regular(opt.root / "res" / e->file, DecodeOptions{}.max_bytes);
            if (bytes.ok()) f = parse_file(bytes.bytes, f.message.kind);
            std::printf("%s\n", parse_json(f).dump(1).c_str());
            return cli::kOk;
        }
        std::fprintf(stderr, "onshi oqs: %s\n", e->error.c_str());
        return cli::kFailed;
    }
    std::fprintf(stderr, "onshi oqs: no answer to %s\n", name.c_str());
    return cli::kFailed;
}

int serve_cmd(cli::Args& args) {
    SimulatorOptions opt;
    opt.root = args.required_option("--root");
    opt.data_file = args.required_option("--data");
    if (auto c = args.option("--control")) opt.control_file = *c;
    if (auto l = args.option("--latency-ms"))
        opt.latency = std::chrono::milliseconds(cli::parse_integer("--latency-ms", *l, 0, 600000));
    if (auto e = args.option("--encoding")) opt.encoding = encoding_from_name(*e);
    args.expect_end();
    try {
        OqsSimulator sim(opt);
        // Block the signals before the worker starts, so it inherits the mask and sigwait gets them.
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        sim.start();
        std::fprintf(stderr, "simulated OQS terminal on %s (Ctrl-C to stop)\n", opt.root.c_str());
        int sig = 0;
        sigwait(&set, &sig);
        sim.stop();
        std::fprintf(stderr, "answered %zu requests\n", sim.answered());
    } catch (const OqsError& e) {
        throw cli::UsageError(e.what());
    }
    return cli::kOk;
}

int oqs_cmd(cli::Args& args) {
    std::string sub = args.next("subcommand (parse | request | serve)");
    if (sub == "parse") return parse_cmd(args);
    if (sub == "request") return request_cmd(args);
    if (sub == "serve") return serve_cmd(args);
    throw cli::UsageError("unknown subcommand " + sub);
}

}  // namespace

ONSHI_COMMAND("oqs",
              "oqs parse FILE | oqs request siquc01 --root DIR --insurer N [--symbol S] --number N [--branch NN] "
              "--birthdate YYYY-MM-DD [--date YYYY-MM-DD] [--mic CODE] [--timeout S] [--state FILE] | "
              "oqs serve --root DIR --data FILE [--control FILE] [--latency-ms N] [--encoding E]",
              oqs_cmd);
