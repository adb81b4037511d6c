// OQS record ⇄ ledger values, field by field (see values.hpp).
#include "core/diff/values.hpp"

#include "core/rules/codes.hpp"
#include "core/rules/date.hpp"
#include "core/rules/numbers.hpp"
#include "core/rules/wareki.hpp"

namespace onshi::diff::detail {
namespace {
using ledger::Field;
using rules::Comparison;
using rules::Tier;

std::string text(const oqs::Text& t) { return t.value_or(""); }

// Leading and trailing ASCII / full-width spaces (OQS pads some values); the inside is kept as sent.
std::string trim_spaces(std::string s) {
    static const std::string kIdeographic = "\u3000";
    for (bool again = true; again;) {
        again = false;
        if (!s.empty() && s.back() == ' ')
            s.pop_back(), again = true;
        else if (s.ends_with(kIdeographic))
            s.resize(s.size() - kIdeographic.size()), again = true;
        if (!s.empty() && s.front() == ' ')
            s.erase(0, 1), again = true;
        else if (s.starts_with(kIdeographic))
            s.erase(0, kIdeographic.size()), again = true;
    }
    return s;
}

std::string digits_only(const std::string& s) {
    std::string out;
    for (char c : rules::nfkc(s))
        if (c >= '0' && c <= '9') out.push_back(c);
    return out;
}

std::string strip_zeros(const std::string& s) {
    const size_t p = s.find_first_not_of('0');
    return p == std::string::npos ? (s.empty() ? s : "0") : s.substr(p);
}

Comparison same(Tier t, const char* ja, const char* en) { return {t, rules::Note{ja, en}}; }

// 記号 / 番号 / 枝番: 全角・半角, separators and leading zeros do not make a card different.
Comparison compare_part(const std::string& a, const std::string& b) {
    if (a == b) return same(Tier::Exact, "一致しています。", "identical");
    const std::string ka = rules::card_part_key(a), kb = rules::card_part_key(b);
    if (ka == kb || strip_zeros(ka) == strip_zeros(kb))
        return same(Tier::Normalized, "全角・半角、区切り文字、先頭の 0 の違いを除いて一致しています。",
                    "equal after NFKC, separators and leading zeros");
    return same(Tier::Different, "一致しません。", "differs");
}

// Ledger 詳細情報 is free text typed over the years ("1割上限18,000円[後期]"); it agrees with OQS when it
// names the same 負担割合 and 限度額区分, or when the card's stored codes are the ones OQS sent.
Comparison compare_detail(const std::string& current, const std::string& raw) {
    if (current == raw) return same(Tier::Exact, "一致しています。", "identical");
    const std::string cur = rules::nfkc(current);
    bool all_named = true;
    size_t start = 0;
    const std::string on = rules::nfkc(raw);
    while (start < on.size()) {
        size_t sp = on.find(' ', start);
        if (sp == std::string::npos) sp = on.size();
        std::string part = on.substr(start, sp - start);
        if (part.rfind("区分", 0) == 0) part = part.substr(std::string("区分").size());
        if (!part.empty() && cur.find(part) == std::string::npos) all_named = false;
        start = sp + 1;
    }
    if (all_named)
        return same(Tier::Normalized, "負担割合・限度額区分が同じです（書き方の違いのみ）。",
                    "the ledger text names the same 負担割合 and 限度額区分");
    return same(Tier::Different, "負担割合または限度額区分が異なります。", "負担割合 or 限度額区分 differs");
}

}  // namespace

std::string iso_from_oqs(const oqs::Text& yyyymmdd) {
    if (!yyyymmdd) return "";
    auto d = rules::Date::from_oqs(*yyyymmdd);
    return d ? d->iso() : "";
}

std::string ratio_code(const oqs::QualificationRecord& r) {
    // 後期高齢者 / 高齢受給者: the recipient certificate's ratio wins over the card's.
    if (r.elderly_recipient && r.elderly_recipient->contribution_ratio &&
        !r.elderly_recipient->contribution_ratio->empty())
        return *r.elderly_recipient->contribution_ratio;
    return text(r.insured_partial_contribution_ratio);
}

std::string limit_flag(const oqs::QualificationRecord& r) {
    return r.limit_application ? text(r.limit_application->classification_flag) : "";
}

std::string detail_text(const oqs::QualificationRecord& r) {
    std::string out;
    const std::string ratio = digits_only(ratio_code(r));
    // OQS sends 負担割合 as three digits in tenths of a percent step: "010" 1割 … "030" 3割.
    if (!ratio.empty()) {
        const int tenth = ratio.size() <= 3 ? std::stoi(ratio) : 0;
        if (tenth > 0 && tenth % 10 == 0 && tenth <= 100)
            out = std::to_string(tenth / 10) + "割";
        else
            out = "負担割合" + ratio;
    }
    const std::string flag = limit_flag(r);
    if (!flag.empty()) {
        auto label = rules::code_label(rules::oqscd::LimitCertificateFlag, flag);
        if (!out.empty()) out += " ";
        out += "区分" + (label ? std::string(*label) : flag);
    }
    return out;
}

OnlineValue online_value(const oqs::QualificationRecord& r, Field f) {
    OnlineValue v;
    auto date = [&](const oqs::Text& t) {
        v.raw = trim_spaces(text(t));
        v.value = iso_from_oqs(v.raw);
        if (!v.raw.empty() && v.value.empty()) v.problem = "not a real day: '" + v.raw + "'";
    };
    switch (f) {
        case Field::KanaName:
            v.raw = text(r.name_kana);
            v.value = trim_spaces(rules::nfkc(v.raw));  // the ledger keeps kana full-width
            break;
        case Field::KanjiName:
            v.raw = text(r.name);
            v.value = trim_spaces(v.raw);
            break;
        case Field::Sex:
            v.raw = trim_spaces(text(r.sex1));
            v.value = v.raw;
            break;
        case Field::Birth: date(r.birthdate); break;
        case Field::Postal:
            v.raw = text(r.post_number);
            v.value = digits_only(v.raw);
            break;
        case Field::Address:
            v.raw = text(r.address);
            v.value = trim_spaces(v.raw);
            break;
        case Field::InsurerNumber: {
            v.raw = text(r.insurer_number);
            const std::string key = rules::insurer_key(v.raw);  // OQS pads 6-digit 国保 numbers with spaces
            v.value = key.empty() ? trim_spaces(v.raw) : key;
            break;
        }
        case Field::Kigo:
            v.raw = text(r.insured_card_symbol);
            v.value = trim_spaces(v.raw);
            break;
        case Field::Bango:
            v.raw = text(r.insured_identification_number);
            v.value = trim_spaces(v.raw);
            break;
        case Field::Edaban:
            v.raw = text(r.insured_branch_number);
            v.value = trim_spaces(v.raw);
            break;
        case Field::Relationship:
            v.raw = trim_spaces(text(r.personal_family_classification));
            v.value = v.raw;
            break;
        case Field::InsuredName:
            v.raw = text(r.insured_name);
            v.value = trim_spaces(v.raw);
            break;
        case Field::Detail:
            v.raw = detail_text(r);
            v.value = v.raw;
            break;
        case Field::ValidFrom: date(r.insured_card_valid_date); break;
        case Field::ValidUntil: date(r.insured_card_expiration_date); break;
        case Field::IssuedOn: date(r.insured_certificate_issuance_date); break;
        case Field::LimitFrom: date(r.limit_application ? r.limit_application->valid_start_date : std::nullopt); break;
        case Field::LimitUntil: date(r.limit_application ? r.limit_application->valid_end_date : std::nullopt); break;
    }
    if (f == Field::Sex && !v.value.empty() && v.value != "1" && v.value != "2" && v.value != "3") {
        v.problem = "unknown Sex1 code '" + v.value + "'";
        v.value.clear();
    }
    v.carried = !v.value.empty();
    return v;
}

std::string current_value(const ledger::Patient& p, const ledger::InsuranceCard* c, Field f) {
    switch (f) {
        case Field::KanaName: return p.kana_name;
        case Field::KanjiName: return p.kanji_name;
        case Field::Sex: return p.sex;
        case Field::Birth: return p.birth;
        case Field::Postal: return p.postal;
        case Field::Address: return p.address;
        default: break;
    }
    if (!c) return "";
    switch (f) {
        case Field::InsurerNumber: return c->insurer_number;
        case Field::Kigo: return c->kigo;
        case Field::Bango: return c->bango;
        case Field::Edaban: return c->edaban;
        case Field::Relationship: return c->relationship;
        case Field::InsuredName: return c->insured_name;
        case Field::Detail: return c->detail;
        case Field::ValidFrom: return c->valid_from;
        case Field::ValidUntil: return c->valid_until;
        case Field::IssuedOn: return c->issued_on;
        case Field::LimitFrom: return c->limit_from;
        case Field::LimitUntil: return c->limit_until;
        default: return "";
    }
}

std::string display(Field f, const std::string& value) {
    if (value.empty()) return value;
    if (ledger::is_date_field(f)) {
        auto d = rules::Date::from_iso(value);
        std::string w = d ? rules::format_wareki(*d) : "";
        return w.empty() ? value : w;
    }
    if (f == Field::Sex) {
        auto l = rules::code_label(rules::oqscd::Sex, value);
        return l ? std::string(*l) : value;
    }
    if (f == Field::Relationship) {
        auto l = rules::code_label(rules::oqscd::PersonalFamily, value);
        return l ? std::string(*l) : value;
    }
    return value;
}

Comparison compare_field(Field f, const std::string& current, const std::string& raw) {
    switch (f) {
        case Field::KanaName: return rules::compare_kana_names(current, raw);
        case Field::KanjiName:
        case Field::InsuredName:
        case Field::Address: return rules::compare_kanji_names(current, raw);  // ● from OQS → Probable
        case Field::Kigo:
        case Field::Bango:
        case Field::Edaban: return compare_part(current, raw);
        case Field::Detail: return compare_detail(current, raw);
        case Field::InsurerNumber: {
            if (current == raw) return same(Tier::Exact, "一致しています。", "identical");
            const std::string a = rules::insurer_key(current), b = rules::insurer_key(raw);
            if (!a.empty() && a == b)
                return same(Tier::Normalized, "空白・全角の違いを除いて一致しています。",
                            "equal once OQS's space padding and width are removed");
            return same(Tier::Different, "保険者番号が一致しません。", "保険者番号 differs");
        }
        case Field::Postal: {
            if (current == raw) return same(Tier::Exact, "一致しています。", "identical");
            if (digits_only(current) == digits_only(raw))
                return same(Tier::Normalized, "ハイフンの有無を除いて一致しています。", "equal apart from the hyphen");
            return same(Tier::Different, "郵便番号が一致しません。", "郵便番号 differs");
        }
        default: break;
    }
    // Codes and dates: the raw value was already turned into the ledger's form by the caller.
    if (current == raw) return same(Tier::Exact, "一致しています。", "identical");
    return same(Tier::Different, "一致しません。", "differs");
}

}  // namespace onshi::diff::detail
