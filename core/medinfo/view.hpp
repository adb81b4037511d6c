#pragma once
// The 薬剤・健診 page as a model (no ImGui): the medication history by month, newest first, with the medicines
// that matter before an extraction highlighted, and the 特定健診 values by year with a trend per item. The
// draw functions are app/kiosk/screens/medinfo.cpp. What is highlighted and why: docs/medinfo.md.
#include <optional>
#include <string>
#include <vector>

#include "core/ledger/ledger_store.hpp"
#include "core/oqs/medinfo.hpp"

namespace onshi::medinfo {

enum class Highlight {
    None,
    Anticoagulant,   // 抗凝固薬: bleeding after an extraction
    Bisphosphonate,  // ビスホスホネート製剤: 顎骨壊死 (MRONJ)
    Antiresorptive,  // デノスマブ (not a bisphosphonate, the same MRONJ risk)
};
const char* highlight_label(Highlight h);  // "抗凝固薬", "ビスホスホネート", "骨吸収抑制薬（デノスマブ）", ""
// By 一般名 (IngreN) and 薬品名 (DrugN), then by the YJ code's 薬効分類 (333: 血液凝固阻止剤).
Highlight classify(const oqs::medinfo::DrugLine& d);

struct DrugRow {
    std::string date;         // 調剤日 (DiDate, else PrDate), YYYYMMDD
    std::string name, ingredient, code;
    std::string dose;         // "2錠 １日１回朝食後"
    std::string days;         // Times as sent ("14")
    std::string institution;  // 処方元 (PrlsHNm), else the 医療機関 (MeTrDiHNm)
    std::string pharmacy;     // MeTrDiHNm when it differs from the prescriber
    Highlight highlight = Highlight::None;
};

struct MonthGroup {
    std::string month;  // YYYYMM
    std::string label;  // 令和6年4月
    std::vector<DrugRow> rows;
};

struct DrugView {
    std::vector<MonthGroup> months;  // newest first; inside a month, newest date first
    std::vector<std::string> highlighted;  // distinct highlighted medicine names, for the banner
    bool any(Highlight h) const;
    std::vector<std::pair<std::string, Highlight>> flags;  // name → kind, one per distinct name
};
DrugView drug_view(const oqs::medinfo::DrugAnswer& a);

struct TrendItem {
    std::string code, name, unit;
    std::vector<std::string> texts;               // per year of CheckupView::years ("" when not measured)
    std::vector<std::optional<double>> values;    // numeric values for the chart
    double min = 0, max = 0;                      // over the numeric values (equal when fewer than two)
};
struct CheckupView {
    std::vector<std::string> years;  // oldest first ("2021")
    std::vector<TrendItem> items;    // in first-seen order
};
CheckupView checkup_view(const oqs::medinfo::CheckupAnswer& a);

// "202404" → "令和6年4月"; "20240415" → "令和6年4月15日"; anything else as it is.
std::string wareki_month(const std::string& yyyymm);
std::string wareki_day(const std::string& yyyymmdd);

// The page's data for one patient: the newest stored answer of each kind, parsed (a PDF is kept as bytes).
struct PatientMedinfo {
    std::optional<ledger::MedinfoRecord> drug_record, checkup_record;
    std::optional<DrugView> drugs;         // from an XML answer
    std::optional<CheckupView> checkups;   // from an XML answer
    std::string error_en;                  // a stored answer that no longer parses (never expected)
};
PatientMedinfo load_patient(const ledger::LedgerStore& store, const std::string& karte);

}  // namespace onshi::medinfo
