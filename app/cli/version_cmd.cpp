// `onshi version`: prints the version and the libraries it was built against, as JSON.
#include <openssl/opensslv.h>
#include <sqlite3.h>
#include <unicode/uversion.h>

#include <cstdio>

#include "app/cli/cli.hpp"
#include "core/util/json.hpp"

namespace {
int version_cmd(onshi::cli::Args& args) {
    args.expect_end();
    onshi::Json j;
    j["onshi"] = ONSHI_VERSION;
    j["sqlite"] = sqlite3_libversion();
    j["icu"] = U_ICU_VERSION;
    j["openssl"] = OPENSSL_VERSION_TEXT;
    std::printf("%s\n", j.dump().c_str());
    return onshi::cli::kOk;
}
}  // namespace

ONSHI_COMMAND("version", "version", version_cmd);
