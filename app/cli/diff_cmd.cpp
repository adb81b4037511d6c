// `onshi diff` and `onshi match`: an OQS answer file against the 患者原簿, as JSON.
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "app/cli/cli.hpp"
#include "core/diff/patient_match.hpp"
#include "core/diff/qualification_diff.hpp"
#include "core/oqs/error.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"

namespace {
namespace fs = std::filesystem;
using namespace onshi;
namespace cli = onshi::cli;

// A 資格確認 answer: siquc01res or the card reader's face result.
oqs::QualificationResult read_result(const std::string& path) {
    const std::string name = fs::path(path).filename().string();
    auto kind = oqs::kind_from_file_name(name);
    if (!kind || (*kind != oqs::MessageKind::Siquc01Res && *kind != oqs::MessageKind::Face))
        throw cli::UsageError(name + ": not a 資格確認 answer (OQSsiquc01res_….xml or OQSsiquc01res_face_….xml)");
    // A regular file within the codec's size limit only: never blocks on a FIFO or reads a device forever.
    const oqs::DecodeOptions opt;
    auto read = files::read_regular(path, opt.max_bytes);
    if (!read.ok()) throw cli::UsageError(read.message_en);
    try {
        return oqs::qualification_result(oqs::parse_file(read.bytes, *kind, opt).message);
    } catch (const oqs::OqsError& e) {
        throw cli::UsageError(name + ": " + e.what());
    }
}

size_t record_arg(cli::Args& args) {
    auto r = args.option("--record");
    if (!r) return 0;
    return size_t(cli::parse_integer("--record", *r, 0, 9999));
}

ledger::LedgerStore open_ledger(cli::Args& args) {
    std::string path = args.required_option("--ledger");
    ledger::LedgerStore::Options opt;
    opt.create = false;    // a diff never creates a ledger
    opt.read_only = true;  // nor writes to one
    return ledger::LedgerStore::open(path, opt);
}

Json status_json(const oqs::QualificationResult& r) {
    return {{"status", oqs::status_key(r.status)}, {"status_label", r.label()}};
}

int diff_cmd(cli::Args& args) {
    auto store = open_ledger(args);
    const std::string karte = args.required_option("--karte");
    const std::string file = args.required_option("--result");
    const size_t index = record_arg(args);
    args.expect_end();
    auto patient = store.patient(karte);
    if (!patient) {
        std::fprintf(stderr, "onshi diff: no patient with カルテ番号 %s\n", karte.c_str());
        return cli::kFailed;
    }
    const auto result = read_result(file);
    const auto d = diff::build_diff(&*patient, result, index);
    Json rows = Json::array();
    for (const auto& row : d.rows)
        rows.push_back({{"field", ledger::column_of(row.field)},
                        {"label", row.label},
                        {"current", row.current},
                        {"online", row.online},
                        {"tier", rules::tier_name(row.tier)},
                        {"overwrite", row.overwrite},
                        {"differs", row.differs},
                        {"carried", row.online_carried},
                        {"reason", row.reason}});
    Json out = {
        {"classification", diff::classification_key(d.classification)}, {"rows", rows}, {"switch_date", d.switch_date}};
    out.update(status_json(result));
    out["karte"] = karte;
    out["offer_medical_info"] = d.offer_medical_info;
    out["reference_number"] = d.reference_number;
    out["guidance"] = text::ja(d.guidance);
    std::printf("%s\n", out.dump(1, ' ', false, Json::error_handler_t::replace).c_str());
    return cli::kOk;
}

const char* kind_key(diff::MatchResult::Kind k) {
    switch (k) {
        case diff::MatchResult::Kind::Linked: return "linked";
        case diff::MatchResult::Kind::Choose: return "choose";
        case diff::MatchResult::Kind::None: return "none";
    }
    return "none";
}

int match_cmd(cli::Args& args) {
    auto store = open_ledger(args);
    const std::string file = args.required_option("--result");
    const size_t index = record_arg(args);
    args.expect_end();
    const auto result = read_result(file);
    const auto m = diff::match_patient(store, result, index);
    Json candidates = Json::array();
    for (const auto& c : m.candidates)
        candidates.push_back({{"karte", c.karte},
                              {"kanji_name", c.kanji_name},
                              {"kana_name", c.kana_name},
                              {"birth", c.birth},
                              {"sex", c.sex},
                              {"tier", rules::tier_name(c.tier)},
                              {"by_reference", c.by_reference},
                              {"reason", c.reason}});
    Json out = {{"kind", kind_key(m.kind)}, {"karte", m.karte}, {"candidates", candidates}};
    out.update(status_json(result));
    std::printf("%s\n", out.dump(1, ' ', false, Json::error_handler_t::replace).c_str());
    return cli::kOk;
}

// Ledger and argument errors print the reason (and the screen's Japanese) and exit 2 / 1.
int guarded(int (*f)(cli::Args&), const char* name, cli::Args& args) {
    try {
        return f(args);
    } catch (const ledger::LedgerError& e) {
        std::fprintf(stderr, "onshi %s: %s\n%s\n", name, e.what(), e.message_ja.c_str());
        return e.code == ledger::ErrorCode::Invalid ? cli::kUsage : cli::kFailed;
    } catch (const std::invalid_argument& e) {
        throw cli::UsageError(e.what());
    }
}

int diff_main(cli::Args& args) { return guarded(diff_cmd, "diff", args); }
int match_main(cli::Args& args) { return guarded(match_cmd, "match", args); }

}  // namespace

ONSHI_COMMAND("diff", "diff --ledger DB --karte N --result FILE [--record I]", diff_main);
ONSHI_COMMAND("match", "match --ledger DB --result FILE [--record I]", match_main);
