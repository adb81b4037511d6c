#include "core/medinfo/view.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "core/oqs/error.hpp"
#include "core/rules/date.hpp"
#include "core/rules/wareki.hpp"

namespace onshi::medinfo {
namespace {
namespace om = oqs::medinfo;

// 一般名 / 薬品名 fragments (full-width katakana as OQS sends them). Every bisphosphonate's 一般名 ends in
// 「ドロン酸」 (アレンドロン酸, リセドロン酸, ミノドロン酸, イバンドロン酸, エチドロン酸, ゾレドロン酸, パミドロン酸);
// brand names cover answers whose IngreN is empty. docs/medinfo.md explains the choice.
constexpr const char* kAnticoagulantNames[] = {
    "ワルファリン", "ワーファリン", "アピキサバン", "エリキュース", "リバーロキサバン", "イグザレルト",
    "エドキサバン", "リクシアナ",   "ダビガトラン", "プラザキサ",   "ヘパリン",         "フォンダパリヌクス",
};
constexpr const char* kBisphosphonateNames[] = {
    "ドロン酸", "フォサマック", "ボナロン",   "アクトネル", "ベネット", "ボノテオ",
    "リカルボン", "ボンビバ",   "ダイドロネル", "ゾメタ",     "リクラスト",
};
constexpr const char* kAntiresorptiveNames[] = {"デノスマブ", "プラリア", "ランマーク"};

bool contains_any(const std::string& s, const auto& list) {
    for (const char* n : list)
        if (s.find(n) != std::string::npos) return true;
    return false;
}

// A 12-character YJ code (digits, then a letter at the 8th place): its first three digits are the 薬効分類.
bool yj_class(const std::string& code, std::string_view prefix) {
    if (code.size() != 12) return false;
    for (size_t i = 0; i < 7; ++i)
        if (code[i] < '0' || code[i] > '9') return false;
    return code.compare(0, prefix.size(), prefix) == 0;
}

std::optional<double> number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    double v = 0;
    const char* b = text.data();
    const char* e = b + text.size();
    auto r = std::from_chars(b, e, v);
    if (r.ec != std::errc() || r.ptr != e) return std::nullopt;
    return v;
}

}  // namespace

const char* highlight_label(Highlight h) {
    switch (h) {
        case Highlight::Anticoagulant: return "抗凝固薬";
        case Highlight::Bisphosphonate: return "ビスホスホネート";
        case Highlight::Antiresorptive: return "骨吸収抑制薬（デノスマブ）";
        case Highlight::None: break;
    }
    return "";
}

Highlight classify(const om::DrugLine& d) {
    const std::string text = d.ingredient + " " + d.name;
    if (contains_any(text, kAnticoagulantNames)) return Highlight::Anticoagulant;
    if (contains_any(text, kBisphosphonateNames)) return Highlight::Bisphosphonate;
    if (contains_any(text, kAntiresorptiveNames)) return Highlight::Antiresorptive;
    if (yj_class(d.code, "333")) return Highlight::Anticoagulant;  // 血液凝固阻止剤
    return Highlight::None;
}

bool DrugView::any(Highlight h) const {
    return std::any_of(flags.begin(), flags.end(), [&](const auto& f) { return f.second == h; });
}

std::string wareki_month(const std::string& m) {
    if (m.size() != 6) return m;
    auto d = rules::Date::from_oqs(m + "01");
    if (!d) return m;
    std::string w = rules::format_wareki(*d);  // "令和6年4月1日"
    auto pos = w.rfind("月");
    return pos == std::string::npos ? m : w.substr(0, pos + std::string("月").size());
}

std::string wareki_day(const std::string& d) {
    auto date = rules::Date::from_oqs(d.substr(0, 8));
    if (!date) return d;
    std::string w = rules::format_wareki(*date);
    return w.empty() ? d : w;
}

DrugView drug_view(const om::DrugAnswer& a) {
    DrugView v;
    std::map<std::string, MonthGroup, std::greater<>> by_month;
    for (const auto& m : a.months) {
        for (const auto& d : m.dates)
            for (const auto& g : d.drugs) {
                DrugRow r;
                r.date = d.dispensed.empty() ? d.prescribed : d.dispensed;
                std::string month = m.month.empty() ? r.date.substr(0, 6) : m.month;
                r.name = g.name;
                r.ingredient = g.ingredient;
                r.code = g.code;
                r.dose = g.quantity + g.unit + (g.usage.empty() ? "" : " " + g.usage);
                r.days = g.times;
                r.institution = m.prescriber_name.empty() ? m.institution_name : m.prescriber_name;
                if (!m.prescriber_name.empty() && m.institution_name != m.prescriber_name) r.pharmacy = m.institution_name;
                r.highlight = classify(g);
                if (r.highlight != Highlight::None) {
                    const std::string& key = g.name.empty() ? g.ingredient : g.name;
                    if (std::none_of(v.flags.begin(), v.flags.end(), [&](const auto& f) { return f.first == key; }))
                        v.flags.push_back({key, r.highlight});
                }
                MonthGroup& mg = by_month[month];
                mg.month = month;
                mg.rows.push_back(std::move(r));
            }
    }
    for (auto& [k, mg] : by_month) {
        mg.label = wareki_month(mg.month);
        std::stable_sort(mg.rows.begin(), mg.rows.end(),
                         [](const DrugRow& x, const DrugRow& y) { return x.date > y.date; });
        v.months.push_back(std::move(mg));
    }
    for (const auto& f : v.flags) v.highlighted.push_back(f.first);
    return v;
}

CheckupView checkup_view(const om::CheckupAnswer& a) {
    CheckupView v;
    std::vector<const om::Checkup*> sorted;
    for (const auto& c : a.checkups) sorted.push_back(&c);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const om::Checkup* x, const om::Checkup* y) { return x->effective < y->effective; });
    // One column a checkup (two in one year keep both, the year repeated).
    for (const om::Checkup* c : sorted) v.years.push_back(c->effective.substr(0, 4));
    for (size_t col = 0; col < sorted.size(); ++col)
        for (const auto& it : sorted[col]->items) {
            const std::string key = it.code.empty() ? it.name : it.code;
            auto found = std::find_if(v.items.begin(), v.items.end(), [&](const TrendItem& t) {
                return (t.code.empty() ? t.name : t.code) == key;
            });
            if (found == v.items.end()) {
                TrendItem t;
                t.code = it.code;
                t.name = it.name;
                t.unit = it.unit;
                t.texts.assign(sorted.size(), "");
                t.values.assign(sorted.size(), std::nullopt);
                v.items.push_back(std::move(t));
                found = v.items.end() - 1;
            }
            found->texts[col] = it.value.empty() ? it.value_name : it.value;
            found->values[col] = number(it.value);
        }
    for (auto& t : v.items) {
        bool first = true;
        for (const auto& x : t.values)
            if (x) {
                t.min = first ? *x : std::min(t.min, *x);
                t.max = first ? *x : std::max(t.max, *x);
                first = false;
            }
    }
    return v;
}

PatientMedinfo load_patient(const ledger::LedgerStore& store, const std::string& karte) {
    PatientMedinfo p;
    auto newest = [&](const char* kind) -> std::optional<ledger::MedinfoRecord> {
        auto rows = store.medinfo_list(karte, kind, false, 1);
        if (rows.empty()) return std::nullopt;
        return store.medinfo(rows.front().id);
    };
    p.drug_record = newest("yzk");
    p.checkup_record = newest("tkk");
    try {
        if (p.drug_record && p.drug_record->format == "xml") p.drugs = drug_view(om::parse_drug(p.drug_record->raw));
        if (p.checkup_record && p.checkup_record->format == "xml")
            p.checkups = checkup_view(om::parse_checkup(p.checkup_record->raw));
    } catch (const oqs::OqsError& e) {
        p.error_en = e.what();
    }
    return p;
}

}  // namespace onshi::medinfo
