#pragma once
// OQS 業務コード (別紙5-1) OQSCD001–OQSCD036, with the Japanese labels the screens show.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace onshi::rules {

struct CodeEntry {
    std::string_view code;
    std::string_view label;
};

struct CodeTable {
    std::string_view id;       // "OQSCD006"
    std::string_view element;  // "QualificationValidity"
    std::string_view name;     // "資格有効性"
    std::span<const CodeEntry> entries;
};

std::span<const CodeTable> code_tables();
// "OQSCD006" or "6" / "006"; nullptr when unknown.
const CodeTable* code_table(std::string_view id);

struct CodeLookup {
    bool known_table = false;
    bool known_code = false;
    std::string label;  // the label, or "不明なコード（OQSCD006: 7）" for the screen
};
// Exact code first; an all-digit code also matches ignoring leading zeros ("1" ≡ "01").
CodeLookup lookup_code(std::string_view table_id, std::string_view code);
std::optional<std::string_view> code_label(std::string_view table_id, std::string_view code);

// Table ids the other modules name.
namespace oqscd {
inline constexpr std::string_view LimitConsent = "OQSCD001";
inline constexpr std::string_view ReferenceClassification = "OQSCD002";
inline constexpr std::string_view SegmentOfResult = "OQSCD003";
inline constexpr std::string_view ProcessingResultStatus = "OQSCD004";
inline constexpr std::string_view CharacterCode = "OQSCD005";
inline constexpr std::string_view QualificationValidity = "OQSCD006";
inline constexpr std::string_view Sex = "OQSCD007";
inline constexpr std::string_view ReasonOfLoss = "OQSCD008";
inline constexpr std::string_view PersonalFamily = "OQSCD009";
inline constexpr std::string_view InsuredCardClassification = "OQSCD010";
inline constexpr std::string_view LimitCertificateClassification = "OQSCD011";
inline constexpr std::string_view LimitCertificateFlag = "OQSCD012";
inline constexpr std::string_view SpecificDiseaseCategory = "OQSCD013";
inline constexpr std::string_view Preschool = "OQSCD015";
inline constexpr std::string_view ConsentFlag = "OQSCD016";
inline constexpr std::string_view PrescriptionIssue = "OQSCD017";
}  // namespace oqscd

}  // namespace onshi::rules
