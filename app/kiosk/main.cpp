// onshi-kiosk: the 目視確認 kiosk. See README.md and docs/ui-script.md.
#include <cstdio>
#include <cstring>
#include <string>

#include "app/kiosk/platform.hpp"
#include "core/util/files.hpp"
#include "core/util/log.hpp"

using namespace onshi::kiosk;

static void usage() {
    std::puts(
        "usage: onshi-kiosk [--demo] [--fullscreen] [--size WxH] [--script FILE] [--screenshots DIR]\n"
        "                   [--headless] [--font FILE] [--max-seconds N] [--exit-after S] [--stats]\n"
        "  --demo         training mode (研修モード)\n"
        "  --fullscreen   kiosk mode: fullscreen on the primary monitor, cursor hidden\n"
        "  --script FILE  drive the UI with a step script (docs/ui-script.md), exit when it ends\n"
        "  --headless     run the script without a window or GL (screenshots are skipped)\n"
        "  --exit-after S quit after S seconds; --stats prints frames drawn at exit");
}

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char* name) -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "onshi-kiosk: %s needs a value\n", name);
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--demo") o.demo = true;
        else if (a == "--fullscreen") o.fullscreen = true;
        else if (a == "--headless") o.headless = true;
        else if (a == "--script") o.script = value("--script");
        else if (a == "--screenshots") o.screenshot_dir = value("--screenshots");
        else if (a == "--font") o.font.path = value("--font");
        else if (a == "--max-seconds") o.max_seconds = std::stoi(value("--max-seconds"));
        else if (a == "--exit-after") o.exit_after = std::stod(value("--exit-after"));
        else if (a == "--stats") o.stats = true;
        else if (a == "--size") {
            std::string v = value("--size");
            if (std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 || o.height < 240) {
                std::fprintf(stderr, "onshi-kiosk: --size wants WxH, e.g. 1280x800\n");
                return 2;
            }
        } else if (a == "--help" || a == "-h") {
            usage();
            return 0;
        } else {
            std::fprintf(stderr, "onshi-kiosk: unknown option %s\n", a.c_str());
            usage();
            return 2;
        }
    }

    Frontend fe(o);
    if (!o.script.empty()) {
        auto text = onshi::files::read(o.script);
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
        return run_headless(fe, o.max_seconds * 60);
    }
    return run_window(fe);
}
