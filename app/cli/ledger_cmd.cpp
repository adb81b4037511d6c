// `onshi ledger`: the 患者原簿 from the command line, as JSON (export-csv: CSV).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "app/cli/check_json.hpp"
#include "app/cli/cli.hpp"
#include "app/cli/ledger_args.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/ledger/sample.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"

namespace {
using namespace onshi::ledger;
using onshi::Json;
namespace cli = onshi::cli;

Json to_json(const InsuranceCard& c, const std::string& label) {
    return {{"label", label},
            {"id", c.id},
            {"insurer_number", c.insurer_number},
            {"kigo", c.kigo},
            {"bango", c.bango},
            {"edaban", c.edaban},
            {"relationship", c.relationship},
            {"insured_name", c.insured_name},
            {"detail", c.detail},
            {"valid_from", c.valid_from},
            {"valid_until", c.valid_until},
            {"issued_on", c.issued_on},
            {"acquired_on", c.acquired_on},
            {"limit_from", c.limit_from},
            {"limit_until", c.limit_until},
            {"card_checked_on", c.card_checked_on},
            {"closed_on", c.closed_on}};
}

// With its status and the 院内患者 column text, as every command prints a check.
Json to_json(const QualificationCheck& c) { return cli::check_json(c); }

Json to_json(const Patient& p) {
    return {{"karte", p.karte},
            {"kanji_name", p.kanji_name},
            {"kana_name", p.kana_name},
            {"sex", p.sex},
            {"birth", p.birth},
            {"postal", p.postal},
            {"address", p.address},
            {"phones", {{"home", p.phones.home}, {"contact", p.phones.contact}, {"mobile", p.phones.mobile}}}};
}

Json to_json(const PatientSummary& s) {
    Json j = to_json(s.patient);
    j["insurer_number"] = s.insurer_number;
    j["latest_check"] = s.latest_check ? to_json(*s.latest_check) : Json();
    return j;
}

Json to_json(const PatientRecord& r) {
    Json j = to_json(r.patient);
    j["cards"] = Json::array();
    int past = 0;
    for (const auto& c : r.cards)
        j["cards"].push_back(to_json(c, c.closed_on.empty() ? "現在" : "過" + std::to_string(++past)));
    j["kouhi"] = Json::array();
    for (const auto& k : r.kouhi)
        j["kouhi"].push_back({{"futansha_number", k.futansha_number},
                              {"jukyusha_number", k.jukyusha_number},
                              {"valid_from", k.valid_from},
                              {"valid_until", k.valid_until},
                              {"note", k.note}});
    j["kaigo"] = Json::array();
    for (const auto& k : r.kaigo)
        j["kaigo"].push_back({{"insurer_number", k.insurer_number},
                              {"insured_number", k.insured_number},
                              {"care_level", k.care_level},
                              {"valid_from", k.valid_from},
                              {"valid_until", k.valid_until}});
    j["reference_number"] = r.reference_number();
    j["links"] = Json::array();
    for (const auto& l : r.links)
        j["links"].push_back(
            {{"reference_number", l.reference_number}, {"linked_at", l.linked_at}, {"unlinked_at", l.unlinked_at}});
    j["consents"] = Json::array();
    for (const auto& c : r.consents)
        j["consents"].push_back(
            {{"kind", c.kind}, {"value", c.value}, {"given_at", c.given_at}, {"expires_at", c.expires_at}});
    j["latest_check"] = r.latest_check ? to_json(*r.latest_check) : Json();
    return j;
}

// One CSV cell. A cell that a spreadsheet would run as a formula (= + - @, or a leading tab or CR) gets a
// leading apostrophe, so an exported name or address can never execute (docs/security.md).
std::string csv(const std::string& cell) {
    std::string v = cell;
    if (!v.empty() && std::string_view("=+-@\t\r").find(v.front()) != std::string_view::npos) v.insert(0, 1, '\'');
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// Writes the export to a new file: created here with mode 0600 (O_EXCL, never through a symbolic link,
// never over an existing file). False, with the reason on stderr, when it cannot.
bool write_new_private(const std::string& file, const std::string& bytes) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        std::fprintf(stderr, "onshi ledger: cannot create %s: %s%s\n", file.c_str(), std::strerror(errno),
                     errno == EEXIST ? " (refusing to overwrite; choose a new name)" : "");
        return false;
    }
    ::fchmod(fd, 0600);
    size_t done = 0;
    bool ok = true;
    while (ok && done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            ok = false;
        else
            done += size_t(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok) {
        std::fprintf(stderr, "onshi ledger: cannot write %s: %s\n", file.c_str(), std::strerror(errno));
        ::unlink(file.c_str());
    }
    return ok;
}


void print(const Json& j) { std::printf("%s\n", j.dump(2).c_str()); }

int run(cli::Args& args) {
    std::filesystem::path path = args.option("--ledger").value_or(default_ledger_path().string());
    std::string sub =
        args.next("subcommand (init|import-sample|show|history|search|today|export-csv|backup|undo|audit|migrate)");
    LedgerStore::Options opt;
    opt.create = sub == "init";  // every other command needs an existing ledger
    opt.read_only = sub == "show" || sub == "history" || sub == "search" || sub == "today" || sub == "export-csv" ||
                    sub == "backup" || sub == "audit";
    if (sub == "init") {
        args.expect_end();
        auto db = LedgerStore::open(path, opt);
        print({{"ledger", db.path().string()}, {"integrity", db.integrity_check()}});
        return cli::kOk;
    }
    if (sub == "import-sample") {
        std::string file = args.option("--file").value_or(default_sample_path().string());
        std::string staff = args.option("--staff").value_or("import");
        args.expect_end();
        // A sample ledger is a few hundred kB; the bound keeps a FIFO or a huge file from hanging the import.
        auto text = onshi::files::read_regular(file, 64u << 20);
        if (!text.ok()) throw cli::UsageError("cannot read " + text.message_en);
        Json data = Json::parse(text.bytes, nullptr, false);
        if (data.is_discarded()) throw cli::UsageError(file + " is not JSON");
        auto db = LedgerStore::open(path, opt);
        auto n = import_sample(db, data, staff, std::filesystem::path(file).parent_path());  // medinfo files beside it
        print({{"patients", n.patients}, {"cards", n.cards}, {"checks", n.checks}, {"staff", n.staff},
               {"medinfo", n.medinfo}});
        return cli::kOk;
    }
    if (sub == "show") {
        std::string karte = args.next("KARTE");
        args.expect_end();
        auto db = LedgerStore::open(path, opt);
        auto r = db.patient(karte);
        if (!r) {
            std::fprintf(stderr, "onshi ledger: no patient with カルテ番号 %s\n", karte.c_str());
            return cli::kFailed;
        }
        print(to_json(*r));
        return cli::kOk;
    }
    if (sub == "history") {
        HistoryQuery q;
        q.from = args.option("--from").value_or("");
        q.to = args.option("--to").value_or("");
        q.validity = args.option("--validity").value_or("");
        if (auto m = args.option("--method")) {
            q.method = check_method_from_code(*m);
            if (!q.method) throw cli::UsageError("--method is visual, face, pin, card or query");
        }
        size_t cap = 10000;
        if (auto c = args.option("--cap")) cap = size_t(cli::parse_integer("--cap", *c, 1, 1000000));
        // The options first: the next free word is KARTE, never an option's value.
        q.karte = args.next_optional().value_or("");
        args.expect_end();
        auto db = LedgerStore::open(path, opt);
        auto h = db.history(q, cap);
        Json rows = Json::array();
        for (const auto& c : h.rows) rows.push_back(to_json(c));
        print({{"too_many", h.too_many}, {"message_ja", h.message_ja}, {"rows", rows}});
        return h.too_many ? cli::kFailed : cli::kOk;
    }
    if (sub == "search" || sub == "today") {
        std::vector<PatientSummary> found;
        if (sub == "search") {
            SearchQuery q{args.option("--karte").value_or(""), args.option("--kana").value_or(""),
                          args.option("--birth").value_or("")};
            args.expect_end();
            found = LedgerStore::open(path, opt).search(q);
        } else {
            std::string date = args.option("--date").value_or("");
            args.expect_end();
            found = LedgerStore::open(path, opt).today(date);
        }
        Json out = Json::array();
        for (const auto& s : found) out.push_back(to_json(s));
        print(out);
        return cli::kOk;
    }
    if (sub == "export-csv") {
        auto out_file = args.option("--out");
        args.expect_end();
        auto db = LedgerStore::open(path, opt);
        // UTF-8 with a BOM, so Excel in Japanese opens the names as UTF-8 rather than Shift_JIS.
        std::string out =
            "\xEF\xBB\xBF"
            "karte,kanji_name,kana_name,sex,birth,postal,address,insurer_number,kigo,bango,edaban,"
            "valid_from,valid_until,card_checked_on,reference_number,last_checked_at,last_validity\n";
        for (const auto& karte : db.kartes()) {
            auto r = db.patient(karte);
            if (!r) continue;  // removed between the two reads
            const InsuranceCard* c = r->current_card();
            InsuranceCard none;
            if (!c) c = &none;
            const auto& p = r->patient;
            for (const std::string& v :
                 {p.karte, p.kanji_name, p.kana_name, p.sex, p.birth, p.postal, p.address, c->insurer_number, c->kigo,
                  c->bango, c->edaban, c->valid_from, c->valid_until, c->card_checked_on, r->reference_number()})
                out += csv(v) + ",";
            out += (r->latest_check ? csv(r->latest_check->checked_at) : "") + "," +
                   (r->latest_check ? csv(r->latest_check->validity) : "") + "\n";
        }
        if (out_file) return write_new_private(*out_file, out) ? cli::kOk : cli::kFailed;
        std::fwrite(out.data(), 1, out.size(), stdout);
        return cli::kOk;
    }
    if (sub == "backup") {
        std::filesystem::path dir = args.next("DIR");
        bool daily = args.flag("--daily");
        args.expect_end();
        auto db = LedgerStore::open(path, opt);
        std::filesystem::create_directories(dir);
        if (daily) {
            auto f = db.daily_backup(dir);
            print({{"backup", f ? f->string() : ""}, {"written", f.has_value()}});
        } else {
            std::string stamp = db.now();
            for (char& ch : stamp)
                if (ch == ':') ch = '-';
            auto f = dir / ("ledger-" + stamp + ".sqlite");
            db.backup_to(f);
            print({{"backup", f.string()}, {"written", true}});
        }
        return cli::kOk;
    }
    if (sub == "undo") {
        std::string staff = args.required_option("--staff");
        const std::int64_t id = cli::parse_integer("AUDIT_ID", args.next("AUDIT_ID"), 1, INT64_MAX);
        args.expect_end();
        auto db = LedgerStore::open(path, opt);
        cli::require_active_staff(db, staff, "--staff");
        print({{"undone", id}, {"audit_id", db.undo(id, staff)}});
        return cli::kOk;
    }
    if (sub == "migrate") {
        // A clinic's SQLite 原簿 into an empty PostgreSQL database, then counted and checksummed table by table
        // (docs/ledger-postgres.md, "Moving a SQLite ledger to PostgreSQL"). Stop every kiosk first.
        const std::string from = args.required_option("--from");
        const std::string to = args.required_option("--to");
        const std::string password_file = args.option("--password-file").value_or("");
        args.expect_end();
        if (from.rfind("sqlite:", 0) != 0 || from.size() == 7)
            throw cli::UsageError("--from must be sqlite:PATH, the SQLite ledger file to copy");
        LedgerStore::Options ro;
        ro.read_only = true;
        auto src = LedgerStore::open(from.substr(7), ro);
        LedgerStore::Options target;
        target.create = true;  // an empty database gets the ledger's tables first
        target.password_file = password_file;
        auto dst = LedgerStore::open(to, target);
        const auto report = src.copy_to(dst);
        Json tables = Json::array();
        int64_t rows = 0;
        for (const auto& t : report.tables) {
            tables.push_back({{"table", t.table}, {"rows", t.rows}, {"sha256", t.sha256}});
            rows += t.rows;
        }
        print({{"from", src.path().string()}, {"to", dst.path().string()}, {"rows", rows}, {"verified", true},
               {"tables", tables}});
        return cli::kOk;
    }
    if (sub == "audit") {
        std::string karte = args.next_optional().value_or("");
        args.expect_end();
        Json out = Json::array();
        for (const auto& a : LedgerStore::open(path, opt).audit_log(karte, 1000))
            out.push_back({{"id", a.id},
                           {"at", a.at},
                           {"staff_id", a.staff_id},
                           {"action", a.action},
                           {"karte", a.karte},
                           {"summary", a.summary},
                           {"undo_of", a.undo_of ? Json(*a.undo_of) : Json()},
                           {"undone_by", a.undone_by ? Json(*a.undone_by) : Json()}});
        print(out);
        return cli::kOk;
    }
    throw cli::UsageError("unknown subcommand: " + sub);
}

int ledger_cmd(cli::Args& args) {
    try {
        return run(args);
    } catch (const LedgerError& e) {
        std::fprintf(stderr, "onshi ledger: %s (%s)\n%s\n", e.what(), to_string(e.code), e.message_ja.c_str());
        return e.code == ErrorCode::Invalid ? cli::kUsage : cli::kFailed;
    }
}
}  // namespace

ONSHI_COMMAND(
    "ledger",
    "ledger [--ledger PATH|URL] init|import-sample [--file F]|show KARTE|history [KARTE] [--from D] [--to D]|"
    "search [--karte K] [--kana KANA] [--birth D]|today [--date D]|export-csv [--out FILE]|backup DIR [--daily]|"
    "undo AUDIT_ID --staff ID|audit [KARTE]|migrate --from sqlite:PATH --to URL [--password-file F]",
    ledger_cmd);
