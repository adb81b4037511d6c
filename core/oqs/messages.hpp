#pragma once
// The OQS messages as structs. Every leaf is a Text (core/oqs/text.hpp): numbers and codes stay text
// ("010", "  123456"), and "absent" differs from "empty". Elements this model does not name are
// kept in `extra`, so a file read and written again loses nothing.
#include <optional>
#include <string>
#include <vector>

#include "core/oqs/element.hpp"
#include "core/oqs/text.hpp"
#include "core/oqs/xml_codec.hpp"

namespace onshi::oqs {

enum class MessageKind {
    Siquc01Req,
    Siquc01Res,
    Face,  // 資格確認 (single) and the card reader's push result
    Muquc01Req,
    Muquc01Res,
    Muquc02Req,
    Muquc02Res,  // 一括照会
    Siimm01Req,
    Siimm01Res,  // 照会番号登録
    Muhvq01Req,
    Muhvq01Res,
    Muhvq02Req,
    Muhvq02Res,  // 訪問診療等 consent list
    YzkSiquc01Req,
    YzkSiquc01Res,  // 薬剤情報 (± 診療情報): the answer is XML or PDF, read by core/oqs/medinfo
    TkkSiquc01Req,
    TkkSiquc01Res,  // 特定健診情報: likewise
};

const char* kind_name(MessageKind k);  // "OQSsiquc01req", …, "OQSsiquc01res_face"
std::optional<MessageKind> kind_from_file_name(const std::string& file_name);
bool is_request(MessageKind k);

// MessageHeader: the union of the header fields of all messages (requests and answers).
struct MessageHeader {
    Text process_execution_time, qualification_confirmation_date, medical_institution_code, arbitrary_file_identifier,
        reference_classification, reception_number, segment_of_result, error_code, error_message,
        number_of_processing_result, number_of_normal_processing, number_of_error, character_code_identifier;
    // YZK/TKK requests carry the card in the header, under their own names (docs/medinfo.md).
    Text insurer_number, insurance_card_symbol, insured_person_identification_number, branch_number;
    std::vector<Element> extra;
    bool operator==(const MessageHeader&) const = default;
};

// QualificationConfirmSearchInfo: the query (siquc01, muquc01 per record, muhvq01 by date range).
struct SearchInfo {
    Text insurer_number, insured_card_symbol, insured_identification_number, insured_branch_number, birthdate,
        limit_application_certificate_related_cons_flg, arbitrary_identifier, consent_date_from, consent_date_to,
        examination_date_from, examination_date_to, medical_treatment_month, medical_treatment_flag;
    std::vector<Element> extra;
    bool operator==(const SearchInfo&) const = default;
};

// *ConsFlg / *ConsTime / *AvailableTime.
struct Consent {
    Text flag, time, available_until;
    bool operator==(const Consent&) const = default;
};

struct ElderlyRecipientCertificateInfo {
    Text date, valid_start_date, valid_end_date, contribution_ratio;
    std::vector<Element> extra;
    bool operator==(const ElderlyRecipientCertificateInfo&) const = default;
};

struct LimitApplicationCertificateInfo {  // 限度額適用認定証
    Text classification, classification_flag, date, valid_start_date, valid_end_date, long_term_date;
    std::vector<Element> extra;
    bool operator==(const LimitApplicationCertificateInfo&) const = default;
};

struct SpecificDiseasesCertificateInfo {  // 特定疾病療養受療証
    Text disease_category, date, valid_start_date, valid_end_date, self_pay;
    std::vector<Element> extra;
    bool operator==(const SpecificDiseasesCertificateInfo&) const = default;
};

struct MedicalTicketInfo {  // 医療扶助 医療券/調剤券
    Text ticket_type, valid_date, expiration_date, issue_number, medical_treatment_month,
        designated_medical_institution_code, designated_medical_institution_flag, designated_medical_institution_name,
        prescription_issuer_medical_institution_code, prescription_issuer_medical_institution_name, injury_name1,
        injury_name2, injury_name3, medical_treatment_type, self_pay_amount, district_contact_name,
        handling_contact_name, single_or_combined_use, status_of_social_insurance, consistency_flag,
        status_of_infection, status_of_elderly_medical_care, status_of_prefectural_expenses, remarks1, remarks2,
        remarks3;
    std::vector<Element> extra;
    bool operator==(const MedicalTicketInfo&) const = default;
};

// ResultOfQualificationConfirmation.
struct QualificationRecord {
    Text insured_card_classification, insurer_number, insured_card_symbol, insured_identification_number,
        insured_branch_number, personal_family_classification, insured_name, name, name_of_other, name_kana,
        name_of_other_kana, sex1, sex2, birthdate, address, post_number, qualification_date, disqualification_date,
        insured_certificate_issuance_date, insured_card_valid_date, insured_card_expiration_date,
        insured_partial_contribution_ratio, preschool_classification, reason_of_loss, insurer_name, reference_number,
        arbitrary_identifier, prescription_issue_select, limit_application_certificate_changed, public_expense_number,
        beneficiary_number, welfare_office_name, qualification_confirmation_key;
    std::optional<ElderlyRecipientCertificateInfo> elderly_recipient;
    Consent limit_application_consent;  // flag + time
    std::optional<LimitApplicationCertificateInfo> limit_application;
    Consent specific_diseases_consent;                                              // flag + time
    std::optional<std::vector<SpecificDiseasesCertificateInfo>> specific_diseases;  // SpecificDiseasesCertificateList
    Consent specific_health_checkups, pharmacists, diagnosis, operation;
    // Triplets added in 2025 (ORCA API): 傷病名, 感染症, アレルギー, 薬剤アレルギー, 検査, 処方.
    Consent diagnosis_name, infectious, allergy, contraindication, test, prescription;
    std::optional<std::vector<MedicalTicketInfo>> medical_tickets;  // PublicExpenseResultList
    std::vector<Element> extra;
    bool operator==(const QualificationRecord&) const = default;
};

// BulkConfirmUnit (muquc02res, muhvq02res).
struct BulkConfirmUnit {
    std::optional<SearchInfo> search;
    Text reference_number, processing_result_status, processing_result_code, processing_result_message,
        qualification_validity;
    std::vector<QualificationRecord> results;
    std::vector<Element> extra;
    bool operator==(const BulkConfirmUnit&) const = default;
};

// ReferenceNumberRegistrationInfo (siimm01).
struct ReferenceRegistration {
    Text reference_number, insurer_number, insured_card_symbol, insured_identification_number, insured_branch_number;
    std::vector<Element> extra;
    bool operator==(const ReferenceRegistration&) const = default;
};

struct MessageBody {
    std::vector<SearchInfo> search;  // QualificationConfirmSearchInfo (1, or n in muquc01req)
    Text processing_result_status, processing_result_code, processing_result_message, qualification_validity,
        prescription_issue_select, reception_number, reception_date_time, reference_number;
    std::optional<std::vector<QualificationRecord>> results;  // ResultList
    std::vector<BulkConfirmUnit> units;
    std::optional<ReferenceRegistration> registration;
    std::vector<Element> extra;
    bool operator==(const MessageBody&) const = default;
};

struct Message {
    MessageKind kind = MessageKind::Siquc01Res;
    MessageHeader header;
    MessageBody body;
    bool operator==(const Message&) const = default;
};

// Tree <-> struct. `read_message` throws OqsError(Malformed) when the shape is wrong.
Message read_message(const Element& xml_msg, MessageKind kind);
Element write_message(const Message& m);

// File bytes <-> struct.
struct ParsedFile {
    Message message;
    Document document;  // the tree as read, for `onshi oqs parse`
};
ParsedFile parse_file(std::string_view bytes, MessageKind kind, const DecodeOptions& opt = {});
// The message alone, without the Element tree (elements the model does not name are still kept in
// `extra`): plain XML in one pass (decode_plain), anything else from the checked DOM. The same message and
// the same OqsError as parse_file.
Message parse_message(std::string_view bytes, MessageKind kind, const DecodeOptions& opt = {});
std::string serialize(const Message& m, Encoding e);

}  // namespace onshi::oqs
