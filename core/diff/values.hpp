#pragma once
// Internal to core/diff: one field's value on each side in the ledger's form, its display and its tier.
#include <string>

#include "core/ledger/overwrite_plan.hpp"
#include "core/ledger/types.hpp"
#include "core/oqs/result.hpp"
#include "core/rules/compare.hpp"

namespace onshi::diff::detail {

struct OnlineValue {
    std::string value;     // what 上書き stores (ISO dates, digits-only postal, unpadded 保険者番号 …)
    std::string raw;       // as OQS sent it (the tier is taken against this: half-width kana stays Normalized)
    bool carried = false;  // OQS sent a usable value
    std::string problem;   // why a value that was sent is not usable (e.g. a date that does not exist)
};

OnlineValue online_value(const oqs::QualificationRecord& r, ledger::Field f);
std::string current_value(const ledger::Patient& p, const ledger::InsuranceCard* card, ledger::Field f);
// The screen's form: dates in 和暦, 性別 男/女, 続柄 本人/家族; anything unreadable shown as stored.
std::string display(ledger::Field f, const std::string& value);
// Tier of `current` (ledger) against the OQS value; both non-empty. Names, numbers and 詳細情報 take
// OnlineValue::raw; dates and codes take OnlineValue::value (already in the ledger's form).
rules::Comparison compare_field(ledger::Field f, const std::string& current, const std::string& online);

// 詳細情報 from OQS: 負担割合 (e.g. "3割") and 限度額適用区分 ("区分ウ"), "" when OQS sent neither.
std::string detail_text(const oqs::QualificationRecord& r);
std::string ratio_code(const oqs::QualificationRecord& r);  // "010" … or ""
std::string limit_flag(const oqs::QualificationRecord& r);  // "A03" … or ""

// The chosen record; nullptr when the answer carries none; std::invalid_argument when out of range.
const oqs::QualificationRecord* record_at(const oqs::QualificationResult& result, size_t index);

std::string iso_from_oqs(const oqs::Text& yyyymmdd);  // "" when absent or not a real day

}  // namespace onshi::diff::detail
