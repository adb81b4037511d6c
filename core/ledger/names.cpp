// Codes and Japanese labels of the ledger's enums.
#include <array>

#include "core/ledger/overwrite_plan.hpp"

namespace onshi::ledger {
namespace {
struct FieldInfo {
    const char* ja;
    const char* column;
};
// Same order as enum Field (the row order of the 差分確認 screen).
constexpr std::array<FieldInfo, kFieldCount> kFields = {{
    {"カナ氏名", "kana_name"},
    {"漢字氏名", "kanji_name"},
    {"性別", "sex"},
    {"生年月日", "birth"},
    {"郵便番号", "postal"},
    {"住所", "address"},
    {"保険者番号", "insurer_number"},
    {"被保険者記号", "kigo"},
    {"被保険者番号", "bango"},
    {"被保険者枝番", "edaban"},
    {"被保険者との続柄", "relationship"},
    {"被保険者氏名", "insured_name"},
    {"詳細情報", "detail"},
    {"保険有効開始日", "valid_from"},
    {"保険有効期限", "valid_until"},
    {"交付日", "issued_on"},
    {"限度額開始日", "limit_from"},
    {"限度額終了日", "limit_until"},
}};
}  // namespace

const char* to_japanese(Field f) { return kFields[size_t(f)].ja; }
const char* column_of(Field f) { return kFields[size_t(f)].column; }
bool is_patient_field(Field f) { return int(f) <= int(Field::Address); }
bool is_date_field(Field f) {
    return f == Field::Birth || f == Field::ValidFrom || f == Field::ValidUntil || f == Field::IssuedOn ||
           f == Field::LimitFrom || f == Field::LimitUntil;
}
std::optional<Field> field_from_column(const std::string& column) {
    for (size_t i = 0; i < kFields.size(); ++i)
        if (column == kFields[i].column) return Field(i);
    return std::nullopt;
}

const char* to_code(PlanKind k) {
    switch (k) {
        case PlanKind::RegisterPatient: return "register";
        case PlanKind::OverwriteFields: return "overwrite";
        case PlanKind::SwitchCard: return "switch";
        case PlanKind::ExtendOnly: return "extend";
        case PlanKind::RecordCheckOnly: return "check";
    }
    return "check";
}

const char* to_code(CheckMethod m) {
    switch (m) {
        case CheckMethod::Visual: return "visual";
        case CheckMethod::Face: return "face";
        case CheckMethod::Pin: return "pin";
        case CheckMethod::InsuranceCard: return "card";
        case CheckMethod::Query: return "query";
        case CheckMethod::Bulk: return "bulk";
    }
    return "visual";
}
const char* to_japanese(CheckMethod m) {
    switch (m) {
        case CheckMethod::Visual: return "目視確認";
        case CheckMethod::Face: return "顔認証";
        case CheckMethod::Pin: return "暗証番号";
        case CheckMethod::InsuranceCard: return "保険証";
        case CheckMethod::Query: return "単件照会";
        case CheckMethod::Bulk: return "一括照会";
    }
    return "目視確認";
}
std::optional<CheckMethod> check_method_from_code(const std::string& code) {
    for (auto m : {CheckMethod::Visual, CheckMethod::Face, CheckMethod::Pin, CheckMethod::InsuranceCard,
                   CheckMethod::Query, CheckMethod::Bulk})
        if (code == to_code(m)) return m;
    return std::nullopt;
}

bool is_check_status(const std::string& s) {
    for (const char* k : {"processing", "valid", "invalid", "invalid_new_qualification", "not_found", "multiple",
                          "valid_unregistered", "error"})
        if (s == k) return true;
    return false;
}

// An answer reaches a validity only when ProcessingResultStatus was 1 (or absent); a check with nothing
// recorded yet (or the message 照会中) is still waiting; everything else is an エラー.
std::string derive_check_status(const std::string& validity, const std::string& processing_status,
                                const std::string& result_code, const std::string& message) {
    if (validity.empty() && processing_status.empty() && result_code.empty() &&
        (message.empty() || message == "照会中"))
        return "processing";
    if (processing_status == "1" || processing_status.empty()) {
        if (validity == "1") return "valid";
        if (validity == "2") return "invalid";
        if (validity == "3") return "invalid_new_qualification";
        if (validity == "4") return "not_found";
        if (validity == "5") return "multiple";
        if (validity == "6") return "valid_unregistered";
    }
    return "error";
}

}  // namespace onshi::ledger
