// onshi-kiosk: the 目視確認 kiosk. See README.md, docs/ui-script.md and docs/deploy.md.
#include <stdlib.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "app/kiosk/actions.hpp"
#include "app/kiosk/host.hpp"
#include "app/kiosk/platform.hpp"
#include "app/kiosk/startup_timeline.hpp"
#include "app/kiosk/training.hpp"
#include "core/ledger/error.hpp"
#include "core/text/messages_ja.hpp"
#include "core/util/files.hpp"
#include "core/util/log.hpp"

using namespace onshi;
using namespace onshi::kiosk;

namespace {

void usage() {
    std::puts(
        "usage: onshi-kiosk [--config FILE] [--demo [--demo-dir DIR]] [--fullscreen] [--size WxH]\n"
        "                   [--script FILE] [--screenshots DIR] [--headless] [--font FILE]\n"
        "                   [--max-seconds N] [--exit-after S] [--stats]\n"
        "  --config FILE  the clinic's settings (default /etc/onshi-kiosk/onshi-kiosk.toml)\n"
        "  --demo         training mode (研修モード): card emulator, simulated OQS terminal, sample ledger\n"
        "  --demo-dir DIR keep training mode's ledger and folders there (default: a new temporary folder)\n"
        "  --fullscreen   kiosk mode: fullscreen on the primary monitor, cursor hidden\n"
        "  --script FILE  drive the UI with a step script (docs/ui-script.md), exit when it ends\n"
        "  --headless     run the script without a window or GL (screenshots are skipped)\n"
        "  --exit-after S quit after S seconds; --stats prints frames drawn at exit");
}

bool parse(int argc, char** argv, Options& o, int& rc) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char* name) -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(name) + " needs a value");
            return argv[++i];
        };
        try {
            if (a == "--demo")
                o.demo = true;
            else if (a == "--demo-dir")
                o.demo_dir = value("--demo-dir");
            else if (a == "--config")
                o.config_file = value("--config");
            else if (a == "--fullscreen")
                o.fullscreen = true;
            else if (a == "--headless")
                o.headless = true;
            else if (a == "--script")
                o.script = value("--script");
            else if (a == "--screenshots")
                o.screenshot_dir = value("--screenshots");
            else if (a == "--font")
                o.font.path = value("--font");
            else if (a == "--max-seconds")
                o.max_seconds = std::stoi(value("--max-seconds"));
            else if (a == "--exit-after")
                o.exit_after = std::stod(value("--exit-after"));
            else if (a == "--stats")
                o.stats = true;
            else if (a == "--size") {
                std::string v = value("--size");
                if (std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 || o.height < 240)
                    throw std::invalid_argument("--size wants WxH, e.g. 1280x800");
            } else if (a == "--help" || a == "-h") {
                usage();
                rc = 0;
                return false;
            } else {
                throw std::invalid_argument("unknown option " + a);
            }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "onshi-kiosk: %s\n", e.what());
            usage();
            rc = 2;
            return false;
        }
    }
    return true;
}

std::string temp_demo_dir() {
    std::string t = "/tmp/onshi-training-XXXXXX";
    if (!::mkdtemp(t.data())) throw std::runtime_error("cannot create a temporary folder");
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    int rc = 0;
    // ONSHI_LOG_LEVEL=debug shows the start-up timeline (docs/performance.md, "First frame").
    if (const char* level = std::getenv("ONSHI_LOG_LEVEL"); level && std::strcmp(level, "debug") == 0)
        log::set_level(log::Level::Debug);
    if (!parse(argc, argv, o, rc)) return rc;
    startup_phase(o.started, "options read");

    std::vector<std::string> fatal;
    std::unique_ptr<TrainingEnvironment> training;
    config::KioskConfig cfg;
    if (o.demo) {
        try {
            if (o.demo_dir.empty()) o.demo_dir = temp_demo_dir();
            training = std::make_unique<TrainingEnvironment>(o.demo_dir);
            cfg = training->config();
            std::fprintf(stderr, "training mode: ledger and folders in %s\n", o.demo_dir.c_str());
        } catch (const std::exception& e) {
            log::error("training", std::string("training mode could not be prepared: ") + e.what());
            fatal.push_back(text::ja(text::Msg::TrainingSetupFailed, -1, -1, e.what()));
        }
    } else {
        std::string file = o.config_file.empty() ? "/etc/onshi-kiosk/onshi-kiosk.toml" : o.config_file;
        config::ConfigLoad load = config::load_config(file);
        for (const auto& p : load.problems) {
            fatal.push_back(text::ja(text::Msg::ConfigProblem, -1, -1, file, p.where) + ": " + p.message_ja);
            log::error("config", file + " " + p.where + ": " + p.message);
        }
        for (const auto& n : load.notices) log::warn("config", file + " " + n);
        cfg = load.config;
        if (o.fullscreen) cfg.fullscreen = true;
    }

    startup_phase(o.started, "configuration read");
    std::unique_ptr<KioskHost> host;
    if (fatal.empty()) {
        try {
            host = std::make_unique<KioskHost>(cfg, wake_ui);
        } catch (const ledger::LedgerError& e) {
            log::error("kiosk", std::string("ledger: ") + e.what());
            fatal.push_back(text::ja(text::Msg::LedgerProblem, -1, -1, e.message_ja));
        } catch (const std::exception& e) {
            log::error("kiosk", e.what());
            fatal.push_back(text::ja(text::Msg::CannotStartReason, -1, -1, e.what()));
        }
    }

    startup_phase(o.started, "ledger open, OQS folders and card reader started");
    Frontend fe(o, host ? &host->flow() : nullptr);
    fe.set_fatal(fatal);
    // Kiosk actions run after the frame on this worker; their results come back through the host's mailbox.
    // Declared after the host and the training environment: its thread is joined before they go.
    std::unique_ptr<ActionWorker> actions;
    if (host) {
        ActionWorker::Jobs jobs;
        jobs.backup = host->backup_job();
        if (training) {
            fe.set_scenarios(training->scenarios());
            jobs.pick_scenario = [t = training.get()](const std::string& id) {
                t->pick(id);
                return t->picked_label();
            };
            jobs.put_on_face_reader = [t = training.get()] { return t->put_on_face_reader(); };
        }
        actions = std::make_unique<ActionWorker>(std::move(jobs), host->mailbox(),
                                                 [&fe](const ActionResult& r) { fe.take(r); });
        fe.before_frame = [&](View& v, FrameOutput& out) { host->before_frame(v, out); };
        fe.on_action = [&](const KioskAction& a) { return actions->run(a); };
        fe.on_console = [&](const console::Intent& i) { host->console_intent(i); };
    }
    if (!o.script.empty()) {
        auto text = files::read(o.script);
        if (!text) {
            std::fprintf(stderr, "onshi-kiosk: cannot read script %s\n", o.script.c_str());
            return 2;
        }
        try {
            fe.load_script(*text);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "onshi-kiosk: %s: %s\n", o.script.c_str(), e.what());
            return 2;
        }
    }
    if (o.headless) {
        HeadlessContext ctx(o.width, o.height);
        fe.init(1.f);
        return run_headless(fe, o.max_seconds * 60, host != nullptr);
    }
    return run_window(fe);
}
