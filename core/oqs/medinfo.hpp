#pragma once
// 薬剤情報 (YZKsiquc01) and 特定健診情報 (TKKsiquc01): the requests and the answers' parsers. The answers
// have a shape of their own (not the 資格確認 element set), so they are read here, straight from the checked
// pugixml DOM with the same DecodeOptions limits as every other OQS file (size, element count, depth, XML
// characters, encoding), plus a bound on the records kept. Element names and the [open] points are in
// docs/medinfo.md.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/oqs/messages.hpp"
#include "core/oqs/xml_codec.hpp"
#include "core/util/json.hpp"

namespace onshi::oqs::medinfo {

enum class InfoKind { Drug, Checkup };  // YZK 薬剤情報等, TKK 特定健診情報 (OQSCD029)
const char* kind_code(InfoKind k);      // "yzk", "tkk"
std::optional<InfoKind> kind_from_code(std::string_view code);
MessageKind request_kind(InfoKind k);
MessageKind answer_kind(InfoKind k);

// FileCategory and PrDiInfClassification are [open] (docs/medinfo.md): the values the public sources send are
// the defaults, and the clinic's configuration can change them.
struct RequestCodes {
    std::string pdf = "1", xml = "2";                                         // 薬剤 and 健診
    std::string pdf_with_diagnosis = "3", xml_with_diagnosis = "4";           // 薬剤 + 診療
    std::string pr_di_inf_classification = "1";
    std::string medical_treatment_flag = "1";                                 // OQSCD028: 1 外来, 2 訪問診療等 …
};

struct Query {
    InfoKind kind = InfoKind::Drug;
    std::string insurer_number;          // 6 or 8 digits; space-padded to 8 on the wire
    std::string symbol, number, branch;  // symbol and branch may be empty
    std::string start_month, end_month;  // YYYYMM, 薬剤 only ("" = not sent)
    bool pdf = false;
    bool with_diagnosis = false;  // 薬剤 only: 薬剤 + 診療情報
};

// Throws OqsError(Usage) when the query cannot be sent (numbers, months).
Message make_request(const Query& q, const std::string& medical_institution_code, const RequestCodes& codes = {});

// ---- answers ---------------------------------------------------------------------------------------
struct PatientHeader {  // QuaInf / QualificationsInfo
    std::string name, kana, birth, sex;
};

struct DrugLine {  // DrugInf
    std::string code, name, ingredient, quantity, unit, usage, times, special_instruction, id_class;
};
struct DispenseDate {  // DiDateInf
    std::string dispensed, prescribed;  // DiDate, PrDate (YYYYMMDD)
    std::vector<DrugLine> drugs;
};
struct TreatmentLine {  // MeTrInf (診療行為)
    std::string name, code, id_class, quantity, times, unit;
};
struct MonthRecord {
    std::string source;  // "receipt" (MeTrMonthInf), "prescription" (ShPrMonthInf), "dispensing" (CzDiMonthInf)
    std::string month;   // MeTrMonth, YYYYMM
    std::string organisation, institution_code, institution_name, prescriber_code, prescriber_name, issuer, in_out;
    std::vector<DispenseDate> dates;
    std::vector<TreatmentLine> treatments;
};
struct DrugAnswer {
    std::string result_code, message;  // ResultCode ("1" = success), MessageContents
    std::string medical_institution_code, arbitrary_file_identifier;  // when the header carries them
    PatientHeader patient;
    std::vector<MonthRecord> months;  // in file order
    bool ok() const { return result_code == "1"; }
};

struct CheckupItem {  // HealthCheckupResultAndQuestionInfo
    std::string code, name, data_type, value, unit, oid, value_name;
};
struct Checkup {  // SpecificHealthCheckupInfo
    std::string effective;  // EffectiveTime (YYYYMMDD…)
    std::vector<CheckupItem> items;
};
struct CheckupAnswer {
    std::string result_code, message;
    std::string medical_institution_code, arbitrary_file_identifier;
    PatientHeader patient;
    std::vector<Checkup> checkups;
    bool ok() const { return result_code == "1"; }
};

struct Limits {
    DecodeOptions decode;
    std::size_t max_lines = 200'000;  // drug, treatment and checkup lines kept, all together
};

// Throws OqsError (TooLarge, Encoding, Malformed) like every parser of OQS files.
DrugAnswer parse_drug(std::string_view bytes, const Limits& limits = {});
CheckupAnswer parse_checkup(std::string_view bytes, const Limits& limits = {});

bool looks_like_pdf(std::string_view bytes);  // "%PDF-" at the start

Json to_json(const DrugAnswer& a);
Json to_json(const CheckupAnswer& a);
// The `derived` block of `onshi oqs parse` for a YZK/TKK answer (XML): the parsed answer.
Json derived_json(std::string_view bytes, InfoKind kind, const Limits& limits = {});

}  // namespace onshi::oqs::medinfo
