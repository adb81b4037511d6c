#include "core/intake/column_text.hpp"

#include "core/rules/date.hpp"
#include "core/rules/wareki.hpp"

namespace onshi::intake {
namespace {

// 資格有効性 (OQSCD006) of a status, for a check recorded without its validity.
const char* validity_code(const std::string& key) {
    if (key == "valid") return "1";
    if (key == "invalid") return "2";
    if (key == "invalid_new_qualification") return "3";
    if (key == "not_found") return "4";
    if (key == "multiple") return "5";
    if (key == "valid_unregistered") return "6";
    return "";
}

// The label after 【資格有効性:N】, as the manual words it; "" for a status shown without one.
const char* validity_label(const std::string& key) {
    if (key == "invalid") return "無効";
    if (key == "invalid_new_qualification") return "無効（新しい資格あり）";
    if (key == "not_found") return "該当資格なし";
    if (key == "multiple") return "複数該当";
    if (key == "valid_unregistered") return "有効（未登録）";
    return "";
}

std::string confirmation_day(const std::string& checked_at) {
    auto d = rules::Date::from_iso(checked_at.substr(0, 10));
    std::string w = d ? rules::format_wareki(*d) : "";
    return w.empty() ? checked_at.substr(0, 10) : w;
}

}  // namespace

std::string status_of(const ledger::QualificationCheck& c) {
    if (ledger::is_check_status(c.status)) return c.status;
    return ledger::derive_check_status(c.validity, c.processing_status, c.result_code, c.message);
}

std::string status_word(const std::string& key) {
    if (key == "processing") return "照会中";
    if (key == "valid" || key == "valid_unregistered") return "有効";
    if (key == "invalid" || key == "invalid_new_qualification") return "喪失";
    if (key == "not_found") return "該当なし";
    if (key == "multiple") return "複数該当";
    return "エラー";
}

std::string status_word(const ledger::QualificationCheck& c) { return status_word(status_of(c)); }

std::string column_text(const ledger::QualificationCheck& c) {
    const std::string key = status_of(c);
    std::string t = status_word(key) + " 確認日：" + confirmation_day(c.checked_at);
    if (key == "error") {
        if (!c.processing_status.empty()) t += "【処理結果状況:" + c.processing_status + "】";
        if (!c.result_code.empty()) t += "【処理結果コード:" + c.result_code + "】";
        return t;
    }
    if (const std::string label = validity_label(key); !label.empty())
        t += "【資格有効性:" + (c.validity.empty() ? std::string(validity_code(key)) : c.validity) + "】" + label;
    return t;
}

}  // namespace onshi::intake
