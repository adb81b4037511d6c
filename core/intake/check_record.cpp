#include "core/intake/check_record.hpp"

#include <cctype>
#include <utility>

#include "core/diff/qualification_diff.hpp"
#include "core/rules/date.hpp"

namespace onshi::intake {

std::string iso_time_from_oqs(const std::string& t) {
    if (t.size() != 14) return "";
    for (char c : t)
        if (!std::isdigit(static_cast<unsigned char>(c))) return "";
    auto d = rules::Date::from_oqs(t.substr(0, 8));
    const int h = std::stoi(t.substr(8, 2)), m = std::stoi(t.substr(10, 2)), s = std::stoi(t.substr(12, 2));
    if (!d || h > 23 || m > 59 || s > 59) return "";
    return d->iso() + "T" + t.substr(8, 2) + ":" + t.substr(10, 2) + ":" + t.substr(12, 2);
}

ledger::NewCheck check_from_result(const oqs::QualificationResult& result) {
    ledger::NewCheck c;
    c.status = oqs::status_key(result.status);
    c.checked_at = iso_time_from_oqs(result.header->process_execution_time.value_or(""));
    diff::CheckOutcome o = diff::check_outcome(result);
    c.validity = std::move(o.validity);
    c.processing_status = std::move(o.processing_status);
    c.result_code = std::move(o.result_code);
    c.message = std::move(o.message);
    return c;
}

}  // namespace onshi::intake
