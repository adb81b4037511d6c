// The config loader: a wrong file must come back as problems with a place and both languages, never as a
// crash and never as a default standing in for what the clinic wrote.
#include "tests/support/temp_dir.hpp"
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "core/config/config_json.hpp"
#include "core/config/kiosk_config.hpp"
#include "core/config/schema.hpp"

using namespace onshi::config;
namespace fs = std::filesystem;

namespace {

const std::string kCode = "[clinic]\nmedical_institution_code = \"1312345678\"\n";

// A scratch folder per test case, removed afterwards.
using TempDir = onshi::test::TempDir;

void require_one_problem(const ConfigLoad& r, const std::string& where_prefix) {
    INFO("problems:\n" << to_json(r.problems).dump(2));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].where.rfind(where_prefix, 0) == 0);
    CHECK(!r.problems[0].message.empty());
    CHECK(!r.problems[0].message_ja.empty());
}

}  // namespace

TEST_CASE("the shipped default config parses clean") {
    ConfigLoad r = load_config(fs::path(ONSHI_SOURCE_DIR) / "assets/config/onshi-kiosk.toml");
    INFO(to_json(r.problems).dump(2));
    REQUIRE(r.ok());
    CHECK(r.config.medical_institution_code == "1312345678");
    // It states every key, so the file documents the whole schema: its values equal the struct defaults.
    KioskConfig d;
    d.medical_institution_code = r.config.medical_institution_code;
    CHECK(to_json(r.config) == to_json(d));
}

TEST_CASE("only the clinic code is required, everything else has its default") {
    ConfigLoad r = parse_config(kCode);
    REQUIRE(r.ok());
    KioskConfig d;
    CHECK(r.config.oqs_root == d.oqs_root);
    CHECK(r.config.passcode_iterations == 600000);
    CHECK(r.config.rotation == 0);

    ConfigLoad empty = parse_config("");
    require_one_problem(empty, "clinic.medical_institution_code");
}

TEST_CASE("values are read") {
    ConfigLoad r = parse_config(kCode + R"(
[oqs]
root = "/mnt/oqs"
encoding = "Shift_JIS"
timeout_seconds = 120
face_wait_seconds = 240
auto_query = false
bulk_poll_seconds = 45
[reader]
pattern = "SONY"
face_tries_floor = 3
[ledger]
path = "/data/l.sqlite"
backup_dir = "/data/bk"
backup_keep_days = 30
[timeouts]
staff_idle_seconds = 61
done_seconds = 11
[passcode]
min_digits = 7
max_digits = 7
max_failures = 3
lockout_minutes = 15
iterations = 700000
[screen]
width = 1280
height = 800
rotation = 270
fullscreen = false
)");
    INFO(to_json(r.problems).dump(2));
    REQUIRE(r.ok());
    const KioskConfig& c = r.config;
    CHECK(c.oqs_root == "/mnt/oqs");
    CHECK(c.oqs_encoding == "shift_jis");
    CHECK(c.oqs_timeout_seconds == 120);
    CHECK(c.face_wait_seconds == 240);
    CHECK_FALSE(c.auto_query);
    CHECK(c.bulk_poll_seconds == 45);
    CHECK(c.reader_pattern == "SONY");
    CHECK(c.face_tries_floor == 3);
    CHECK(c.ledger_path == "/data/l.sqlite");
    CHECK(c.backup_dir == "/data/bk");
    CHECK(c.backup_keep_days == 30);
    CHECK(c.staff_idle_seconds == 61);
    CHECK(c.done_seconds == 11);
    CHECK(c.passcode_min_digits == 7);
    CHECK(c.passcode_max_digits == 7);
    CHECK(c.passcode_max_failures == 3);
    CHECK(c.passcode_lockout_minutes == 15);
    CHECK(c.passcode_iterations == 700000);
    CHECK(c.width == 1280);
    CHECK(c.height == 800);
    CHECK(c.rotation == 270);
    CHECK_FALSE(c.fullscreen);
}

TEST_CASE("every validation rule reports one problem at its key") {
    struct Case {
        const char* toml;   // appended to a valid [clinic]
        const char* where;  // expected prefix of `where`
    };
    const Case cases[] = {
        {"[oqs]\nroot = \"srv/oqs\"", "oqs.root (line"},
        {"[oqs]\nroot = \"\"", "oqs.root"},
        {"[oqs]\nroot = 5", "oqs.root"},
        {"[oqs]\nencoding = \"euc-jp\"", "oqs.encoding"},
        {"[oqs]\ntimeout_seconds = 0", "oqs.timeout_seconds"},
        {"[oqs]\ntimeout_seconds = -5", "oqs.timeout_seconds"},
        {"[oqs]\ntimeout_seconds = \"60\"", "oqs.timeout_seconds"},
        {"[oqs]\ntimeout_seconds = 60.0", "oqs.timeout_seconds"},
        {"[oqs]\ntimeout_seconds = 99999999999999", "oqs.timeout_seconds"},
        {"[oqs]\nface_wait_seconds = 9", "oqs.face_wait_seconds"},
        {"[oqs]\nface_wait_seconds = 3601", "oqs.face_wait_seconds"},
        {"[oqs]\nface_wait_seconds = \"300\"", "oqs.face_wait_seconds"},
        {"[oqs]\nauto_query = \"yes\"", "oqs.auto_query"},
        {"[oqs]\nauto_query = 1", "oqs.auto_query"},
        {"[oqs]\nbulk_poll_seconds = 0", "oqs.bulk_poll_seconds"},
        {"[oqs]\nbulk_poll_seconds = 601", "oqs.bulk_poll_seconds"},
        {"[reader]\npattern = 1", "reader.pattern"},
        {"[reader]\nface_tries_floor = 0", "reader.face_tries_floor"},
        {"[reader]\ntrust_store = \"/etc/x.pem\"", "reader.trust_store"},
        {"[reader]\ntrust_store = [\"/nonexistent/ca.pem\"]", "reader.trust_store[0]"},
        {"[reader]\ntrust_store = [\"ca.pem\"]", "reader.trust_store[0]"},
        {"[reader]\ntrust_store = [1]", "reader.trust_store[0]"},
        {"[ledger]\npath = \"ledger.sqlite\"", "ledger.path"},
        {"[ledger]\nbackup_dir = \"./backup\"", "ledger.backup_dir"},
        {"[ledger]\nbackup_keep_days = 0", "ledger.backup_keep_days"},
        {"[timeouts]\nstaff_idle_seconds = 0", "timeouts.staff_idle_seconds"},
        {"[timeouts]\ndone_seconds = 0", "timeouts.done_seconds"},
        {"[passcode]\nmin_digits = 5", "passcode.min_digits"},
        {"[passcode]\nmax_digits = 9", "passcode.max_digits"},
        {"[passcode]\nmin_digits = 8\nmax_digits = 6", "passcode.min_digits"},
        {"[passcode]\nmax_failures = 0", "passcode.max_failures"},
        {"[passcode]\nlockout_minutes = 0", "passcode.lockout_minutes"},
        {"[passcode]\niterations = 599999", "passcode.iterations"},
        {"[screen]\nwidth = -1", "screen.width"},
        {"[screen]\nwidth = 1280", "screen.width"},
        {"[screen]\nwidth = 100\nheight = 100", "screen.width"},
        {"[screen]\nrotation = 45", "screen.rotation"},
        {"[screen]\nrotation = 360", "screen.rotation"},
        {"[screen]\nfullscreen = \"yes\"", "screen.fullscreen"},
        {"[oqs]\ntimout_seconds = 30", "oqs.timout_seconds (line"},
        {"[oqs]\nencoding = \"utf-8\"\n[ooqs]\nroot = \"/x\"", "ooqs"},
    };
    for (const Case& c : cases) {
        SECTION(c.toml) { require_one_problem(parse_config(kCode + c.toml), c.where); }
    }
}

TEST_CASE("the clinic code: 10 ASCII digits with a prefecture 01-47") {
    for (const char* bad : {"131234567", "13123456789", "13１2345678", "abcdefghij", "0012345678", "4812345678"}) {
        SECTION(bad) {
            require_one_problem(parse_config(std::string("[clinic]\nmedical_institution_code = \"") + bad + "\"\n"),
                                "clinic.medical_institution_code (line 2)");
        }
    }
    SECTION("a number instead of a string") {
        require_one_problem(parse_config("[clinic]\nmedical_institution_code = 1312345678\n"),
                            "clinic.medical_institution_code");
    }
    CHECK(parse_config("[clinic]\nmedical_institution_code = \"4731234567\"\n").ok());
}

TEST_CASE("an unknown key is a problem with a suggestion, not a silent default") {
    ConfigLoad r = parse_config(kCode + "[oqs]\ntimout_seconds = 30\n");
    require_one_problem(r, "oqs.timout_seconds (line 4)");
    CHECK(r.problems[0].message.find("did you mean 'timeout_seconds'") != std::string::npos);
    require_one_problem(parse_config(kCode + "debug = true\n"), "clinic.debug (line 3)");
    require_one_problem(parse_config("debug = true\n" + kCode), "debug (line 1)");
    ConfigLoad not_table = parse_config("oqs = 1\n" + kCode);
    require_one_problem(not_table, "oqs (line 1)");
    CHECK(not_table.problems[0].message.find("[oqs]") != std::string::npos);
}

TEST_CASE("a syntax error gives line and column") {
    ConfigLoad r = parse_config(kCode + "[oqs]\ntimeout_seconds = = 3\n");
    require_one_problem(r, "line 4, column ");
    CHECK(r.problems[0].message.rfind("TOML syntax error", 0) == 0);
    CHECK(r.problems[0].message_ja.find("4 行目") != std::string::npos);

    ConfigLoad dup = parse_config(kCode + "[clinic]\n");  // redefined table
    require_one_problem(dup, "line 3");
    ConfigLoad bad_utf8 = parse_config(kCode + "[reader]\npattern = \"\xff\xfe\"\n");
    require_one_problem(bad_utf8, "line 4");
}

namespace {
std::string repeat(const std::string& s, size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (size_t i = 0; i < n; ++i) out += s;
    return out;
}
void require_nesting_problem(const ConfigLoad& r, const std::string& where) {
    require_one_problem(r, where);
    CHECK(r.problems[0].message.find("nested more than 64 levels") != std::string::npos);
    CHECK(r.problems[0].message_ja.find("入れ子が深すぎます") != std::string::npos);
}
}  // namespace

// toml++ recurses once per dotted segment and header part: 40,000 of them overflowed the stack and crashed
// `onshi config check` and the kiosk (a restart loop instead of the config-problem screen).
TEST_CASE("deep dotted keys, headers and inline nesting are refused before the TOML parser") {
    const size_t deep = 40000;
    require_nesting_problem(parse_config(kCode + "[oqs]\n" + "a" + repeat(".a", deep) + " = 1\n"), "line 4");
    require_nesting_problem(parse_config(kCode + "[" + repeat("a.", deep) + "a]\n"), "line 3");
    require_nesting_problem(parse_config(kCode + "[[" + repeat("t.", deep) + "t]]\n"), "line 3");
    require_nesting_problem(parse_config(kCode + "x = " + repeat("{a=", deep) + "1" + repeat("}", deep) + "\n"),
                            "line 3");
    require_nesting_problem(parse_config(kCode + "x = " + repeat("[", deep) + repeat("]", deep) + "\n"), "line 3");
    require_nesting_problem(parse_config(kCode + "x = {" + repeat("b.", deep) + "c = 1}\n"), "line 3");
    require_nesting_problem(parse_config(kCode + "x = [{" + repeat("b.", deep) + "c = [1]}]\n"), "line 3");
    // Quoted segments are segments too; a dot inside the quotes is not.
    require_nesting_problem(parse_config(kCode + "[" + repeat("\"a.b\".", deep) + "z]\n"), "line 3");

    // The limit is the total: header, key and inline levels add up.
    ConfigLoad at_limit = parse_config(kCode + "[" + repeat("s.", 59) + "s]\n" + "a.b.c = {d = 1}\n");
    for (const auto& p : at_limit.problems) CHECK(p.message.find("nested") == std::string::npos);
    CHECK_FALSE(at_limit.ok());  // an unknown section, reported by the checker as usual
    require_nesting_problem(parse_config(kCode + "[" + repeat("s.", 59) + "s]\n" + "a.b.c = {d = [1]}\n"), "line 4");
}

TEST_CASE("the nesting scan skips strings and comments") {
    const std::string noise = repeat("[{a.", 30000);
    std::string text =
        kCode + "# " + noise + "\n[reader]  # " + noise + "\npattern = \"" + noise + "\\\"" + noise + "\"\n";
    text += "[oqs]\nroot = '/srv/" + repeat("x.", 30000) + "'\nencoding = \"\"\"utf-8\"\"\"\n";
    text += "[ledger]\npath = \"\"\"/var/lib/\n" + noise + "\"\"\"\nbackup_dir = '''\n" + noise + "'''\n";
    ConfigLoad r = parse_config(text);
    INFO(to_json(r.problems).dump(2).substr(0, 2000));
    // Every string parsed; the only problem is the literal path that does not start with /.
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].where == "ledger.backup_dir (line 12)");
    CHECK(r.config.reader_pattern.size() == 2 * noise.size() + 1);
    CHECK(r.config.ledger_path.string() == "/var/lib/\n" + noise);
    // Floats, dates and a trailing comma in values are not nesting.
    CHECK(parse_config(kCode + "[screen]\nfullscreen = false\n# x = [1.5, 2.5, 1979-05-27T07:32:00Z,]\n").ok());
    ConfigLoad floats = parse_config(kCode + "x = [1.5, 2.5, 1979-05-27T07:32:00Z, {a.b = 1.0},]\n");
    REQUIRE(floats.problems.size() == 1);
    CHECK(floats.problems[0].message.rfind("unknown key 'x' in [clinic]", 0) == 0);
}

TEST_CASE("a config file over the size limit is refused without reading it whole") {
    TempDir t;
    ConfigLoad big = parse_config(kCode + "# " + std::string(kMaxConfigBytes, 'x') + "\n");
    require_one_problem(big, "file");
    CHECK(big.problems[0].message_ja.find("大きすぎます") != std::string::npos);
    fs::path file = t.write("big.toml", kCode + "# " + std::string(kMaxConfigBytes, 'x') + "\n");
    require_one_problem(load_config(file), "file");
    fs::path deep = t.write("deep.toml", kCode + "[oqs]\n" + "a" + repeat(".a", 40000) + " = 1\n");
    require_nesting_problem(load_config(deep), "line 4");
}

TEST_CASE("all problems come back together") {
    ConfigLoad r = parse_config(
        "[clinic]\nmedical_institution_code = \"12\"\n[oqs]\ntimeout_seconds = 0\n[screen]\nrotation = 1\nfoo = 2\n");
    REQUIRE(r.problems.size() == 4);
}

TEST_CASE("load_config: missing file, a folder, an unreadable file, a good file") {
    TempDir t;
    ConfigLoad missing = load_config(t.path / "nope.toml");
    require_one_problem(missing, (t.path / "nope.toml").string());
    CHECK(missing.problems[0].message.find("not found") != std::string::npos);

    require_one_problem(load_config(t.path), t.path.string());

    fs::path good = t.write("good.toml", kCode);
    CHECK(load_config(good).ok());

    if (geteuid() != 0) {  // root reads anything
        fs::permissions(good, fs::perms::none);
        require_one_problem(load_config(good), good.string());
    }
}

TEST_CASE("trust store entries must be readable PEM files") {
    TempDir t;
    fs::path pem = t.write("ca.pem", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n");
    fs::path der = t.write("ca.der", std::string("\x30\x82\x01\x22", 4));
    ConfigLoad ok = parse_config(kCode + "[reader]\ntrust_store = [\"" + pem.string() + "\"]\n");
    REQUIRE(ok.ok());
    REQUIRE(ok.config.trust_store.size() == 1);
    CHECK(ok.config.trust_store[0] == pem);

    ConfigLoad bad =
        parse_config(kCode + "[reader]\ntrust_store = [\"" + pem.string() + "\", \"" + der.string() + "\"]\n");
    require_one_problem(bad, "reader.trust_store[1]");
    CHECK(bad.problems[0].message.find("PEM") != std::string::npos);
    ConfigLoad dir = parse_config(kCode + "[reader]\ntrust_store = [\"" + t.path.string() + "\"]\n");
    require_one_problem(dir, "reader.trust_store[0]");
}

TEST_CASE("to_json and the schema name the same keys") {
    onshi::Json j = to_json(KioskConfig{});
    std::set<std::string> from_json;
    for (auto& [sec, keys] : j.items())
        for (auto& [name, v] : keys.items()) {
            (void)v;
            from_json.insert(sec + "." + name);
            CHECK(find_key(sec, name) != nullptr);
        }
    // Every schema key is accepted by the loader (an unknown one would be reported).
    for (const std::string& path : from_json) {
        std::string sec = path.substr(0, path.find('.'));
        CHECK(is_section(sec));
    }
    // …and to_json shows every key of the schema.
    for (const Key& k : keys()) CHECK(from_json.count(k.path()) == 1);
    CHECK(from_json.size() == keys().size());
    CHECK_THROWS_AS(key("oqs", "nope"), std::logic_error);
}

TEST_CASE("a retired key is read past with a notice, whatever its value") {
    // timeouts.patient_idle_seconds: older files hold it; no kiosk step is operated by the patient any more.
    for (const char* value : {"90", "-1", "\"x\""}) {
        ConfigLoad r = parse_config(kCode + "[timeouts]\npatient_idle_seconds = " + value + "\n");
        INFO(value << " " << to_json(r.problems).dump(2));
        CHECK(r.ok());
        REQUIRE(r.notices.size() == 1);
        CHECK(r.notices[0].find("timeouts.patient_idle_seconds") == 0);
        CHECK(r.notices[0].find("retired key, ignored") != std::string::npos);
    }
    ConfigLoad typo = parse_config(kCode + "[timeouts]\npatient_idle_second = 90\n");
    CHECK_FALSE(typo.ok());
    CHECK(typo.notices.empty());
}

TEST_CASE("[ledger] url: a PostgreSQL URI instead of the path, its password only in a 0600 file") {
    TempDir t;
    fs::path pw = t.write("pw", "s3cret\n");
    ::chmod(pw.c_str(), 0600);
    const std::string url = "postgresql://kiosk@db.clinic/onshi?sslmode=verify-full";
    ConfigLoad ok = parse_config(kCode + "[ledger]\nurl = \"" + url + "\"\npassword_file = \"" + pw.string() + "\"\n");
    INFO(to_json(ok.problems).dump(2));
    REQUIRE(ok.ok());
    CHECK(ok.config.ledger_url == url);
    CHECK(ok.config.ledger_password_file == pw);
    CHECK(ok.config.ledger_location() == fs::path(url));
    CHECK(to_json(ok.config)["ledger"]["url"] == url);
    // Without url the SQLite file is the ledger, as before.
    ConfigLoad file = parse_config(kCode + "[ledger]\npath = \"/data/l.sqlite\"\n");
    REQUIRE(file.ok());
    CHECK(file.config.ledger_url.empty());
    CHECK(file.config.ledger_location() == fs::path("/data/l.sqlite"));

    SECTION("not a PostgreSQL URI") {
        require_one_problem(parse_config(kCode + "[ledger]\nurl = \"mysql://db/onshi\"\n"), "ledger.url (line 4)");
    }
    SECTION("a password in the URI is refused, and not repeated in the message") {
        for (const char* bad : {"postgresql://kiosk:s3cret@db/onshi", "postgresql://db/onshi?password=s3cret"}) {
            ConfigLoad r = parse_config(kCode + "[ledger]\nurl = \"" + bad + "\"\n");
            require_one_problem(r, "ledger.url");
            CHECK(r.problems[0].message.find("s3cret") == std::string::npos);
        }
    }
    SECTION("path and url together") {
        require_one_problem(parse_config(kCode + "[ledger]\npath = \"/data/l.sqlite\"\nurl = \"" + url + "\"\n"),
                            "ledger.url");
    }
    SECTION("a password file others may read, a missing one, one without url") {
        ::chmod(pw.c_str(), 0640);
        ConfigLoad r = parse_config(kCode + "[ledger]\nurl = \"" + url + "\"\npassword_file = \"" + pw.string() + "\"\n");
        require_one_problem(r, "ledger.password_file");
        CHECK(r.problems[0].message.find("chmod 600") != std::string::npos);
        require_one_problem(parse_config(kCode + "[ledger]\nurl = \"" + url + "\"\npassword_file = \"" +
                                         (t.path / "none").string() + "\"\n"),
                            "ledger.password_file");
        ::chmod(pw.c_str(), 0600);
        require_one_problem(parse_config(kCode + "[ledger]\npassword_file = \"" + pw.string() + "\"\n"),
                            "ledger.password_file");
        require_one_problem(parse_config(kCode + "[ledger]\nurl = \"" + url + "\"\npassword_file = \"pw\"\n"),
                            "ledger.password_file");
    }
}

// [ledger] retry_max_seconds: the cap of the kiosk's backoff while the ledger server cannot be reached
// (docs/ledger-postgres.md, "When the server is down"): 1 to 600, default 30, a whole number.
// [ledger] answer_timeout_seconds: how long one statement waits for the server's answer ("A server that
// does not answer"): 2 to 600, default 15.
TEST_CASE("ledger.retry_max_seconds and answer_timeout_seconds are read, have their defaults, and a bad value is one clear problem") {
    struct Key {
        const char* name;
        int KioskConfig::*field;
        int low, fallback;
    };
    for (Key k : {Key{"retry_max_seconds", &KioskConfig::ledger_retry_max_seconds, 1, 30},
                  Key{"answer_timeout_seconds", &KioskConfig::ledger_answer_timeout_seconds, 2, 15}}) {
        INFO(k.name);
        CHECK(parse_config(kCode).config.*k.field == k.fallback);
        for (int v : {k.low, 5, 600}) {
            auto r = parse_config(kCode + "[ledger]\n" + k.name + " = " + std::to_string(v));
            INFO(v);
            CHECK(r.problems.empty());
            CHECK(r.config.*k.field == v);
        }
        for (std::string bad : {std::to_string(k.low - 1), std::string("-1"), std::string("601"), std::string("\"30\""),
                                std::string("2.5")}) {
            INFO(bad);
            auto r = parse_config(kCode + "[ledger]\n" + k.name + " = " + bad);
            require_one_problem(r, std::string("ledger.") + k.name);
            const std::string& m = r.problems[0].message;
            CHECK((m.find("must be between " + std::to_string(k.low) + " and 600") != std::string::npos ||
                   m.find("must be an integer") != std::string::npos));
        }
    }
}
