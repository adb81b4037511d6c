// `onshi check`, `onshi date`, `onshi name compare`, `onshi number compare`: the rules of core/rules.
// Exit 0 ok, 1 the rule failed or warned, 2 malformed input or usage (one-line reason on stderr).
#include <cstdio>
#include <string>

#include "app/cli/cli.hpp"
#include "core/rules/compare.hpp"
#include "core/rules/numbers.hpp"
#include "core/rules/wareki.hpp"
#include "core/util/json.hpp"

namespace {

using namespace onshi;
using namespace onshi::rules;

void print_warnings(const char* cmd, const std::vector<Note>& warnings) {
    for (const auto& w : warnings) std::fprintf(stderr, "onshi %s: warning: %s\n", cmd, w.en.c_str());
}

int check_cmd(cli::Args& args) {
    const std::string what = args.next("insurer|kouhi|recipient|mynumber");
    const std::string value = args.next("VALUE");
    args.expect_end();
    NumberType type;
    if (what == "insurer")
        type = NumberType::Insurer;
    else if (what == "kouhi")
        type = NumberType::KouhiPayer;
    else if (what == "recipient")
        type = NumberType::KouhiRecipient;
    else if (what == "mynumber")
        type = NumberType::MyNumber;
    else
        throw cli::UsageError("unknown kind '" + what + "' (insurer|kouhi|recipient|mynumber)");

    const NumberCheck r = check_number(type, value);
    Json j;
    // A 個人番号 is not echoed: terminal scrollback and shell logs keep what is printed.
    const bool secret = type == NumberType::MyNumber;
    j["input"] = secret ? std::string(r.input.size(), '*') : r.input;
    j["normalized"] = secret ? std::string(r.normalized.size(), '*') : r.normalized;
    j["valid"] = r.valid;
    j["check_digit_ok"] = r.check_digit_ok;
    j["expected_check_digit"] = r.expected_check_digit ? Json(std::string(1, *r.expected_check_digit)) : Json(nullptr);
    j["kind"] = r.kind;
    j["warnings"] = Json::array();
    for (const auto& w : r.warnings) j["warnings"].push_back(w.en);
    std::printf("%s\n", j.dump().c_str());
    if (!r.valid) {
        std::fprintf(stderr, "onshi check: %s\n", r.error ? r.error->en.c_str() : "malformed number");
        return cli::kUsage;
    }
    print_warnings("check", r.warnings);
    return r.check_digit_ok && r.warnings.empty() ? cli::kOk : cli::kFailed;
}

int date_cmd(cli::Args& args) {
    const std::string sub = args.next("wareki|iso");
    const std::string text = args.next(sub == "wareki" ? "YYYY-MM-DD" : "TEXT");
    args.expect_end();
    if (sub == "wareki") {
        const auto d = Date::from_iso(text);
        if (!d) throw cli::UsageError("not a date in YYYY-MM-DD form: " + text);
        const std::string w = format_wareki(*d);
        if (w.empty()) {
            std::fprintf(stderr, "onshi date: %s is before 明治 (1868-01-25); no 和暦 form\n", text.c_str());
            return cli::kFailed;
        }
        std::printf("%s\n", w.c_str());
        return cli::kOk;
    }
    if (sub != "iso") throw cli::UsageError("unknown subcommand '" + sub + "' (wareki|iso)");
    const DateParse p = parse_date_text(text);
    if (!p.date) throw cli::UsageError(p.error ? p.error->en : "not a date");
    std::printf("%s\n", p.date->iso().c_str());
    print_warnings("date", p.warnings);
    return p.warnings.empty() ? cli::kOk : cli::kFailed;
}

int print_comparison(const Comparison& c) {
    Json j;
    j["tier"] = tier_name(c.tier);
    j["reason"] = c.reason.en;
    std::printf("%s\n", j.dump().c_str());
    return c.tier == Tier::Exact || c.tier == Tier::Normalized ? cli::kOk : cli::kFailed;
}

int name_cmd(cli::Args& args) {
    const std::string sub = args.next("compare");
    if (sub != "compare") throw cli::UsageError("unknown subcommand '" + sub + "' (compare)");
    const std::string a = args.next("A"), b = args.next("B");
    args.expect_end();
    return print_comparison(compare_names(a, b));
}

int number_cmd(cli::Args& args) {
    const std::string sub = args.next("compare");
    if (sub != "compare") throw cli::UsageError("unknown subcommand '" + sub + "' (compare)");
    const std::string a = args.next("A"), b = args.next("B");
    args.expect_end();
    return print_comparison(compare_card_numbers(CardNumber::parse(a), CardNumber::parse(b)));
}

}  // namespace

ONSHI_COMMAND("check", "check insurer|kouhi|recipient|mynumber VALUE", check_cmd);
ONSHI_COMMAND("date", "date wareki YYYY-MM-DD | date iso TEXT", date_cmd);
ONSHI_COMMAND("name", "name compare A B", name_cmd);
ONSHI_COMMAND("number", "number compare A B   (A, B: 記号:番号:枝番 or one 記号番号 text)", number_cmd);
