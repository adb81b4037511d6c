// Table-driven mapping between the XML and the message structs: one table a struct, in the element
// order of the terminal's own messages, so reading and writing cannot drift apart. Reading works on
// the Element tree and, without building that tree, on the checked pugixml DOM of a DecodedXml or the
// fast path's PlainTree (parse_message): all go through the same templates, so they cannot disagree.
#include "core/oqs/messages.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <pugixml.hpp>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "core/oqs/error.hpp"

namespace onshi::oqs {
namespace {

// The kinds of node a message is read from: an Element, or an element of a DecodedXml's DOM, …
using Dom = pugi::xml_node;
std::string_view name_of(const Element& e) { return e.name; }
std::string_view name_of(const Dom& n) { return n.name(); }
bool leaf_of(const Element& e) { return e.leaf(); }
bool leaf_of(const Dom& n) {
    for (Dom c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element) return false;
    return true;
}
const std::string& text_of(const Element& e) { return e.text; }
std::string text_of(const Dom& n) { return dom_text(n); }
const Element& element_of(const Element& e) { return e; }
Element element_of(const Dom& n) { return dom_tree(n); }
const Element* ref_of(const Element& e) { return &e; }  // a child kept while its siblings are read
Dom ref_of(const Dom& n) { return n; }
const Element& deref(const Element* e) { return *e; }
const Dom& deref(const Dom& n) { return n; }
// … or an element of the fast path's PlainTree (xml_codec.hpp, decode_plain).
struct Plain {
    const PlainTree* tree = nullptr;
    std::uint32_t index = 0;
    const PlainNode& node() const { return tree->nodes[index]; }
    explicit operator bool() const { return tree != nullptr; }
};
std::string_view name_of(const Plain& n) { return n.node().name; }
bool leaf_of(const Plain& n) { return n.node().first_child == 0; }
std::string_view text_of(const Plain& n) { return n.node().text; }
Element element_of(const Plain& n) {
    Element e{std::string(n.node().name), std::string(n.node().text), {}};
    for (std::uint32_t c = n.node().first_child; c; c = n.tree->nodes[c].next_sibling)
        e.children.push_back(element_of(Plain{n.tree, c}));
    return e;
}
Plain ref_of(const Plain& n) { return n; }
const Plain& deref(const Plain& n) { return n; }
template <class F>
void for_each_child(const Plain& n, F&& f) {
    for (std::uint32_t c = n.node().first_child; c; c = n.tree->nodes[c].next_sibling) f(Plain{n.tree, c});
}
template <class F>
void for_each_child(const Element& e, F&& f) {
    for (const Element& c : e.children) f(c);
}
template <class F>
void for_each_child(const Dom& n, F&& f) {
    for (Dom c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element) f(c);
}

template <class S>
struct Entry {
    const char* name;
    Text& (*leaf)(S&) = nullptr;                  // a leaf text, or …
    void (*read)(S&, const Element&) = nullptr;   // … a group: read one occurrence
    void (*write)(const S&, Element&) = nullptr;  //             append all occurrences
    void (*read_dom)(S&, const Dom&) = nullptr;   //             read one occurrence from the DOM
    void (*read_plain)(S&, const Plain&) = nullptr;  //          … or from a PlainTree
};

// A group entry: `read` is a generic lambda, instantiated for every kind of node.
template <class S, class R, class W>
Entry<S> group(const char* name, R read, W write) {
    Entry<S> e{name};
    e.read = read;
    e.read_dom = read;
    e.read_plain = read;
    e.write = write;
    return e;
}

// a == b, inline: element names are mostly 8 to 50 bytes, compared eight at a time (the last eight may
// overlap the ones before), so matching a child to its table entry calls no memcmp.
bool same_name(std::string_view a, std::string_view b) {
    const size_t n = a.size();
    if (n != b.size()) return false;
    if (n < 8) return std::memcmp(a.data(), b.data(), n) == 0;
    auto word = [](const char* p) {
        std::uint64_t w;
        std::memcpy(&w, p, sizeof w);
        return w;
    };
    for (size_t i = 0; i + 8 < n; i += 8)
        if (word(a.data() + i) != word(b.data() + i)) return false;
    return word(a.data() + n - 8) == word(b.data() + n - 8);
}

template <class S>
struct Table {
    std::vector<Entry<S>> entries;
    std::vector<std::string_view> names;
    std::unordered_map<std::string_view, size_t> index;
    explicit Table(std::vector<Entry<S>> e) : entries(std::move(e)) {
        for (size_t i = 0; i < entries.size(); ++i) {
            index.emplace(entries[i].name, i);
            names.emplace_back(entries[i].name);
        }
    }
    // Children come in table order, often with some left out: look ahead of the last match before hashing
    // the name.
    const Entry<S>* find(std::string_view name, size_t& hint) const {
        for (size_t i = hint, end = std::min(entries.size(), hint + 12); i < end; ++i)
            if (same_name(names[i], name)) return &entries[hint = i];
        auto it = index.find(name);
        if (it == index.end()) return nullptr;
        hint = it->second;
        return &entries[it->second];
    }
};

#define LEAF(S, xml, member)                        \
    Entry<S> {                                      \
        xml, [](S& s) -> Text& { return s.member; } \
    }

[[noreturn]] void malformed(const std::string& what) { throw OqsError(ErrorKind::Malformed, what); }

template <class S, class N>
void read_struct(const N& e, S& s, const Table<S>& t) {
    // A group written as "<MessageBody>\n</MessageBody>" is empty: its whitespace is indentation.
    if (leaf_of(e) && text_of(e).find_first_not_of(" \t\r\n") != std::string::npos)
        malformed("<" + std::string(name_of(e)) + "> holds text where elements were expected");
    size_t hint = 0;
    for_each_child(e, [&](const N& c) {
        const Entry<S>* en = t.find(name_of(c), hint);
        if (!en) {
            s.extra.push_back(element_of(c));
            return;
        }
        if (en->leaf) {
            if (!leaf_of(c)) malformed("<" + std::string(name_of(c)) + "> should hold text, not elements");
            Text& v = en->leaf(s);
            if (v)
                s.extra.push_back(element_of(c));  // an unexpected repeat is kept, not lost
            else
                v.emplace(text_of(c));
            ++hint;
        } else if constexpr (std::is_same_v<N, Element>) {
            en->read(s, c);
        } else if constexpr (std::is_same_v<N, Dom>) {
            en->read_dom(s, c);
        } else {
            en->read_plain(s, c);
        }
    });
}

template <class S>
void write_struct(const S& s, Element& out, const Table<S>& t) {
    for (const Entry<S>& en : t.entries) {
        if (en.leaf) {
            const Text& v = en.leaf(const_cast<S&>(s));
            if (v) out.add(en.name, *v);
        } else {
            en.write(s, out);
        }
    }
    for (const Element& x : s.extra) out.children.push_back(x);
}

template <class S>
Element write_as(const char* name, const S& s, const Table<S>& t) {
    Element e{name, {}, {}};
    write_struct(s, e, t);
    return e;
}

// A list container (e.g. SpecificDiseasesCertificateList) of repeated `item` elements.
template <class S, class N>
std::vector<S> read_list(const N& e, const char* item, const Table<S>& t) {
    std::vector<S> out;
    for_each_child(e, [&](const N& c) {
        if (name_of(c) != item)
            malformed("<" + std::string(name_of(e)) + "> holds <" + std::string(name_of(c)) + ">, expected <" + item +
                      ">");
        read_struct(c, out.emplace_back(), t);
    });
    return out;
}

#define CONSENT(S, prefix, member)                                                   \
    LEAF(S, prefix "ConsFlg", member.flag), LEAF(S, prefix "ConsTime", member.time), \
        LEAF(S, prefix "AvailableTime", member.available_until)

const Table<MessageHeader>& header_table() {
    using S = MessageHeader;
    static const Table<S> t({
        LEAF(S, "ProcessExecutionTime", process_execution_time),
        LEAF(S, "QualificationConfirmationDate", qualification_confirmation_date),
        LEAF(S, "MedicalInstitutionCode", medical_institution_code),
        LEAF(S, "InsurerNumber", insurer_number),  // YZK/TKK requests only
        LEAF(S, "InsuranceCardSymbol", insurance_card_symbol),
        LEAF(S, "InsuredPersonIdentificationNumber", insured_person_identification_number),
        LEAF(S, "BranchNumber", branch_number),
        LEAF(S, "ArbitraryFileIdentifier", arbitrary_file_identifier),
        LEAF(S, "ReferenceClassification", reference_classification),
        LEAF(S, "ReceptionNumber", reception_number),
        LEAF(S, "SegmentOfResult", segment_of_result),
        LEAF(S, "ErrorCode", error_code),
        LEAF(S, "ErrorMessage", error_message),
        LEAF(S, "NumberOfProcessingResult", number_of_processing_result),
        LEAF(S, "NumberOfNormalProcessing", number_of_normal_processing),
        LEAF(S, "NumberOfError", number_of_error),
        LEAF(S, "CharacterCodeIdentifier", character_code_identifier),
    });
    return t;
}

const Table<SearchInfo>& search_table() {
    using S = SearchInfo;
    static const Table<S> t({
        LEAF(S, "InsurerNumber", insurer_number),
        LEAF(S, "InsuredCardSymbol", insured_card_symbol),
        LEAF(S, "InsuredIdentificationNumber", insured_identification_number),
        LEAF(S, "InsuredBranchNumber", insured_branch_number),
        LEAF(S, "Birthdate", birthdate),
        LEAF(S, "LimitApplicationCertificateRelatedConsFlg", limit_application_certificate_related_cons_flg),
        LEAF(S, "ArbitraryIdentifier", arbitrary_identifier),
        LEAF(S, "ConsentDateFrom", consent_date_from),
        LEAF(S, "ConsentDateTo", consent_date_to),
        LEAF(S, "ExaminationDateFrom", examination_date_from),
        LEAF(S, "ExaminationDateTo", examination_date_to),
        LEAF(S, "MedicalTreatmentMonth", medical_treatment_month),
        LEAF(S, "MedicalTreatmentFlag", medical_treatment_flag),
    });
    return t;
}

const Table<ElderlyRecipientCertificateInfo>& elderly_table() {
    using S = ElderlyRecipientCertificateInfo;
    static const Table<S> t({
        LEAF(S, "ElderlyRecipientCertificateDate", date),
        LEAF(S, "ElderlyRecipientValidStartDate", valid_start_date),
        LEAF(S, "ElderlyRecipientValidEndDate", valid_end_date),
        LEAF(S, "ElderlyRecipientContributionRatio", contribution_ratio),
    });
    return t;
}

const Table<LimitApplicationCertificateInfo>& limit_table() {
    using S = LimitApplicationCertificateInfo;
    static const Table<S> t({
        LEAF(S, "LimitApplicationCertificateClassification", classification),
        LEAF(S, "LimitApplicationCertificateClassificationFlag", classification_flag),
        LEAF(S, "LimitApplicationCertificateDate", date),
        LEAF(S, "LimitApplicationCertificateValidStartDate", valid_start_date),
        LEAF(S, "LimitApplicationCertificateValidEndDate", valid_end_date),
        LEAF(S, "LimitApplicationCertificateLongTermDate", long_term_date),
    });
    return t;
}

const Table<SpecificDiseasesCertificateInfo>& disease_table() {
    using S = SpecificDiseasesCertificateInfo;
    static const Table<S> t({
        LEAF(S, "SpecificDiseasesDiseaseCategory", disease_category),
        LEAF(S, "SpecificDiseasesCertificateDate", date),
        LEAF(S, "SpecificDiseasesValidStartDate", valid_start_date),
        LEAF(S, "SpecificDiseasesValidEndDate", valid_end_date),
        LEAF(S, "SpecificDiseasesSelfPay", self_pay),
    });
    return t;
}

const Table<MedicalTicketInfo>& ticket_table() {
    using S = MedicalTicketInfo;
    static const Table<S> t({
        LEAF(S, "TicketType", ticket_type),
        LEAF(S, "MedicalTicketValidDate", valid_date),
        LEAF(S, "MedicalTicketExpirationDate", expiration_date),
        LEAF(S, "IssueNumber", issue_number),
        LEAF(S, "MedicalTreatmentMonth", medical_treatment_month),
        LEAF(S, "DesignatedMedicalInstitutionCode", designated_medical_institution_code),
        LEAF(S, "DesignatedMedicalInstitutionFlag", designated_medical_institution_flag),
        LEAF(S, "DesignatedMedicalInstitutionName", designated_medical_institution_name),
        LEAF(S, "PrescriptionIssuerMedicalInstitutionCode", prescription_issuer_medical_institution_code),
        LEAF(S, "PrescriptionIssuerMedicalInstitutionName", prescription_issuer_medical_institution_name),
        LEAF(S, "InjuryName1", injury_name1),
        LEAF(S, "InjuryName2", injury_name2),
        LEAF(S, "InjuryName3", injury_name3),
        LEAF(S, "MedicalTreatmentType", medical_treatment_type),
        LEAF(S, "SelfPayAmount", self_pay_amount),
        LEAF(S, "DistrictContactName", district_contact_name),
        LEAF(S, "HandlingContactName", handling_contact_name),
        LEAF(S, "SingleOrCombinedUse", single_or_combined_use),
        LEAF(S, "StatusOfSocialInsurance", status_of_social_insurance),
        LEAF(S, "ConsistencyFlag", consistency_flag),
        LEAF(S, "StatusOfInfecton", status_of_infection),  // sic, as the spec spells it
        LEAF(S, "StatusOfElderlyMedicalCare", status_of_elderly_medical_care),
        LEAF(S, "StatusOfPrefecturalExpenses", status_of_prefectural_expenses),
        LEAF(S, "Remarks1", remarks1),
        LEAF(S, "Remarks2", remarks2),
        LEAF(S, "Remarks3", remarks3),
    });
    return t;
}

const Table<QualificationRecord>& record_table() {
    using S = QualificationRecord;
    static const Table<S> t({
        LEAF(S, "InsuredCardClassification", insured_card_classification),
        LEAF(S, "InsurerNumber", insurer_number),
        LEAF(S, "InsuredCardSymbol", insured_card_symbol),
        LEAF(S, "InsuredIdentificationNumber", insured_identification_number),
        LEAF(S, "InsuredBranchNumber", insured_branch_number),
        LEAF(S, "PersonalFamilyClassification", personal_family_classification),
        LEAF(S, "InsuredName", insured_name),
        LEAF(S, "Name", name),
        LEAF(S, "NameOfOther", name_of_other),
        LEAF(S, "NameKana", name_kana),
        LEAF(S, "NameOfOtherKana", name_of_other_kana),
        LEAF(S, "Sex1", sex1),
        LEAF(S, "Sex2", sex2),
        LEAF(S, "Birthdate", birthdate),
        LEAF(S, "Address", address),
        LEAF(S, "PostNumber", post_number),
        LEAF(S, "QualificationDate", qualification_date),
        LEAF(S, "DisqualificationDate", disqualification_date),
        LEAF(S, "InsuredCertificateIssuanceDate", insured_certificate_issuance_date),
        LEAF(S, "InsuredCardValidDate", insured_card_valid_date),
        LEAF(S, "InsuredCardExpirationDate", insured_card_expiration_date),
        LEAF(S, "InsuredPartialContributionRatio", insured_partial_contribution_ratio),
        LEAF(S, "PreschoolClassification", preschool_classification),
        LEAF(S, "ReasonOfLoss", reason_of_loss),
        LEAF(S, "InsurerName", insurer_name),
        group<S>(
            "ElderlyRecipientCertificateInfo",
            [](S& s, const auto& e) {
                if (s.elderly_recipient) malformed("repeated <ElderlyRecipientCertificateInfo>");
                read_struct(e, s.elderly_recipient.emplace(), elderly_table());
            },
            [](const S& s, Element& out) {
                if (s.elderly_recipient)
                    out.children.push_back(
                        write_as("ElderlyRecipientCertificateInfo", *s.elderly_recipient, elderly_table()));
            }),
        LEAF(S, "LimitApplicationCertificateRelatedConsFlg", limit_application_consent.flag),
        LEAF(S, "LimitApplicationCertificateRelatedConsTime", limit_application_consent.time),
        group<S>(
            "LimitApplicationCertificateRelatedInfo",
            [](S& s, const auto& e) {
                if (s.limit_application) malformed("repeated <LimitApplicationCertificateRelatedInfo>");
                read_struct(e, s.limit_application.emplace(), limit_table());
            },
            [](const S& s, Element& out) {
                if (s.limit_application)
                    out.children.push_back(
                        write_as("LimitApplicationCertificateRelatedInfo", *s.limit_application, limit_table()));
            }),
        LEAF(S, "SpecificDiseasesCertificateRelatedConsFlg", specific_diseases_consent.flag),
        LEAF(S, "SpecificDiseasesCertificateRelatedConsTime", specific_diseases_consent.time),
        group<S>(
            "SpecificDiseasesCertificateList",
            [](S& s, const auto& e) {
                if (s.specific_diseases) malformed("repeated <SpecificDiseasesCertificateList>");
                s.specific_diseases = read_list(e, "SpecificDiseasesCertificateInfo", disease_table());
            },
            [](const S& s, Element& out) {
                if (!s.specific_diseases) return;
                Element& l = out.add("SpecificDiseasesCertificateList");
                for (const auto& d : *s.specific_diseases)
                    l.children.push_back(write_as("SpecificDiseasesCertificateInfo", d, disease_table()));
            }),
        CONSENT(S, "SpecificHealthCheckupsInfo", specific_health_checkups),
        CONSENT(S, "PharmacistsInfo", pharmacists),
        CONSENT(S, "DiagnosisInfo", diagnosis),
        CONSENT(S, "OperationInfo", operation),
        CONSENT(S, "DiagnosisName", diagnosis_name),
        CONSENT(S, "InfectiousInfo", infectious),
        CONSENT(S, "AllergyInfo", allergy),
        CONSENT(S, "ContraindicationInfo", contraindication),
        CONSENT(S, "TestInfo", test),
        CONSENT(S, "PrescriptionInfo", prescription),
        LEAF(S, "PrescriptionIssueSelect", prescription_issue_select),
        LEAF(S, "LimitApplicationCertificateChanged", limit_application_certificate_changed),
        LEAF(S, "ReferenceNumber", reference_number),
        LEAF(S, "ArbitraryIdentifier", arbitrary_identifier),
        LEAF(S, "QualificationConfirmationKey", qualification_confirmation_key),
        LEAF(S, "PublicExpenseNumber", public_expense_number),
        LEAF(S, "BeneficiaryNumber", beneficiary_number),
        LEAF(S, "WelfareOfficeName", welfare_office_name),
        group<S>(
            "PublicExpenseResultList",
            [](S& s, const auto& e) {
                if (s.medical_tickets) malformed("repeated <PublicExpenseResultList>");
                s.medical_tickets = read_list(e, "MedicalTicketInfo", ticket_table());
            },
            [](const S& s, Element& out) {
                if (!s.medical_tickets) return;
                Element& l = out.add("PublicExpenseResultList");
                for (const auto& m : *s.medical_tickets)
                    l.children.push_back(write_as("MedicalTicketInfo", m, ticket_table()));
            }),
    });
    return t;
}

const Table<BulkConfirmUnit>& unit_table() {
    using S = BulkConfirmUnit;
    static const Table<S> t({
        group<S>(
            "QualificationConfirmSearchInfo",
            [](S& s, const auto& e) {
                if (s.search) malformed("repeated <QualificationConfirmSearchInfo> in <BulkConfirmUnit>");
                read_struct(e, s.search.emplace(), search_table());
            },
            [](const S& s, Element& out) {
                if (s.search)
                    out.children.push_back(write_as("QualificationConfirmSearchInfo", *s.search, search_table()));
            }),
        LEAF(S, "ReferenceNumber", reference_number),
        LEAF(S, "ProcessingResultStatus", processing_result_status),
        LEAF(S, "ProcessingResultCode", processing_result_code),
        LEAF(S, "ProcessingResultMessage", processing_result_message),
        LEAF(S, "QualificationValidity", qualification_validity),
        group<S>(
            "ResultOfQualificationConfirmation",
            [](S& s, const auto& e) { read_struct(e, s.results.emplace_back(), record_table()); },
            [](const S& s, Element& out) {
                for (const auto& r : s.results)
                    out.children.push_back(write_as("ResultOfQualificationConfirmation", r, record_table()));
            }),
    });
    return t;
}

const Table<ReferenceRegistration>& registration_table() {
    using S = ReferenceRegistration;
    static const Table<S> t({
        LEAF(S, "ReferenceNumber", reference_number),
        LEAF(S, "InsurerNumber", insurer_number),
        LEAF(S, "InsuredCardSymbol", insured_card_symbol),
        LEAF(S, "InsuredIdentificationNumber", insured_identification_number),
        LEAF(S, "InsuredBranchNumber", insured_branch_number),
    });
    return t;
}

const Table<MessageBody>& body_table() {
    using S = MessageBody;
    static const Table<S> t({
        group<S>(
            "QualificationConfirmSearchInfo",
            [](S& s, const auto& e) { read_struct(e, s.search.emplace_back(), search_table()); },
            [](const S& s, Element& out) {
                for (const auto& q : s.search)
                    out.children.push_back(write_as("QualificationConfirmSearchInfo", q, search_table()));
            }),
        group<S>(
            "ReferenceNumberRegistrationInfo",
            [](S& s, const auto& e) {
                if (s.registration) malformed("repeated <ReferenceNumberRegistrationInfo>");
                read_struct(e, s.registration.emplace(), registration_table());
            },
            [](const S& s, Element& out) {
                if (s.registration)
                    out.children.push_back(
                        write_as("ReferenceNumberRegistrationInfo", *s.registration, registration_table()));
            }),
        LEAF(S, "ReceptionNumber", reception_number),
        LEAF(S, "ReceptionDateTime", reception_date_time),
        LEAF(S, "ProcessingResultStatus", processing_result_status),
        LEAF(S, "ProcessingResultCode", processing_result_code),
        LEAF(S, "ProcessingResultMessage", processing_result_message),
        LEAF(S, "QualificationValidity", qualification_validity),
        LEAF(S, "PrescriptionIssueSelect", prescription_issue_select),
        LEAF(S, "ReferenceNumber", reference_number),
        group<S>(
            "ResultList",
            [](S& s, const auto& e) {
                if (s.results) malformed("repeated <ResultList>");
                s.results = read_list(e, "ResultOfQualificationConfirmation", record_table());
            },
            [](const S& s, Element& out) {
                if (!s.results) return;
                Element& l = out.add("ResultList");
                for (const auto& r : *s.results)
                    l.children.push_back(write_as("ResultOfQualificationConfirmation", r, record_table()));
            }),
        group<S>(
            "BulkConfirmUnit", [](S& s, const auto& e) { read_struct(e, s.units.emplace_back(), unit_table()); },
            [](const S& s, Element& out) {
                for (const auto& u : s.units) out.children.push_back(write_as("BulkConfirmUnit", u, unit_table()));
            }),
    });
    return t;
}

struct KindName {
    MessageKind kind;
    const char* name;
};
constexpr KindName kKinds[] = {
    {MessageKind::Siquc01Req, "OQSsiquc01req"}, {MessageKind::Siquc01Res, "OQSsiquc01res"},
    {MessageKind::Face, "OQSsiquc01res_face"},  {MessageKind::Muquc01Req, "OQSmuquc01req"},
    {MessageKind::Muquc01Res, "OQSmuquc01res"}, {MessageKind::Muquc02Req, "OQSmuquc02req"},
    {MessageKind::Muquc02Res, "OQSmuquc02res"}, {MessageKind::Siimm01Req, "OQSsiimm01req"},
    {MessageKind::Siimm01Res, "OQSsiimm01res"}, {MessageKind::Muhvq01Req, "OQSmuhvq01req"},
    {MessageKind::Muhvq01Res, "OQSmuhvq01res"}, {MessageKind::Muhvq02Req, "OQSmuhvq02req"},
    {MessageKind::Muhvq02Res, "OQSmuhvq02res"}, {MessageKind::YzkSiquc01Req, "YZKsiquc01req"},
    {MessageKind::YzkSiquc01Res, "YZKsiquc01res"}, {MessageKind::TkkSiquc01Req, "TKKsiquc01req"},
    {MessageKind::TkkSiquc01Res, "TKKsiquc01res"},
};

}  // namespace

const char* kind_name(MessageKind k) {
    for (const auto& kn : kKinds)
        if (kn.kind == k) return kn.name;
    return "unknown";
}

std::optional<MessageKind> kind_from_file_name(const std::string& file_name) {
    if (file_name.rfind("OQSsiquc01res_face_", 0) == 0) return MessageKind::Face;
    for (const auto& kn : kKinds) {
        std::string prefix = std::string(kn.name) + "_";
        if (kn.kind != MessageKind::Face && file_name.rfind(prefix, 0) == 0) return kn.kind;
    }
    return std::nullopt;
}

bool is_request(MessageKind k) {
    std::string_view n = kind_name(k);
    return n.size() >= 3 && n.substr(n.size() - 3) == "req";
}

namespace {
template <class N>
Message read_root(const N& root, MessageKind kind) {
    Message m;
    m.kind = kind;
    decltype(ref_of(root)) h{}, b{};
    for_each_child(root, [&](const N& c) {
        if (name_of(c) == "MessageHeader" && !h)
            h = ref_of(c);
        else if (name_of(c) == "MessageBody" && !b)
            b = ref_of(c);
        else
            malformed("unexpected <" + std::string(name_of(c)) + "> under <XmlMsg>");
    });
    if (!h) malformed("no <MessageHeader>");
    if (!b) malformed("no <MessageBody>");
    read_struct(deref(h), m.header, header_table());
    // A bulk message has thousands of units (or search records): room for all of them first, so the
    // vectors never move what was read.
    size_t units = 0, searches = 0;
    for_each_child(deref(b), [&](const N& c) {
        units += name_of(c) == "BulkConfirmUnit";
        searches += name_of(c) == "QualificationConfirmSearchInfo";
    });
    m.body.units.reserve(units);
    m.body.search.reserve(searches);
    read_struct(deref(b), m.body, body_table());
    return m;
}
}  // namespace

Message read_message(const Element& root, MessageKind kind) { return read_root(root, kind); }

Element write_message(const Message& m) {
    Element root{"XmlMsg", {}, {}};
    root.children.push_back(write_as("MessageHeader", m.header, header_table()));
    root.children.push_back(write_as("MessageBody", m.body, body_table()));
    return root;
}

ParsedFile parse_file(std::string_view bytes, MessageKind kind, const DecodeOptions& opt) {
    const DecodedXml x = decode_dom(bytes, opt);
    ParsedFile f;
    f.message = read_root(x.root(), kind);
    f.document.encoding = x.encoding();
    f.document.root = dom_tree(x.root());
    return f;
}

Message parse_message(std::string_view bytes, MessageKind kind, const DecodeOptions& opt) {
    // The fast path first: the plain XML the terminal writes, read in one pass (decode_plain). Otherwise a
    // bulk answer is read one BulkConfirmUnit at a time (decode_units). Either way the units land in the
    // message in file order after the rest of the body, which reads nothing from them, and anything a reader
    // does not take or finds wrong is read again from the whole file, which gives the exact message or error.
    try {
        std::vector<BulkConfirmUnit> units;
        PlainTree tree;
        const bool plain = decode_plain(bytes, opt, "BulkConfirmUnit",
                                        [&](const PlainTree& t, std::uint32_t unit, size_t more) {
                                            // Room for the units the rest of the text seems to hold (they
                                            // are alike), never more than the records allowed.
                                            if (units.size() == units.capacity())
                                                units.reserve(std::min<size_t>(opt.max_records,
                                                                               units.size() + 1 + more + more / 32));
                                            read_struct(Plain{&t, unit}, units.emplace_back(), unit_table());
                                        },
                                        tree);
        if (plain) {
            Message m = read_root(Plain{&tree, 0}, kind);
            if (m.body.units.empty()) {  // every unit was read on the way
                m.body.units = std::move(units);
                return m;
            }
        }
    } catch (const OqsError&) {
    }
    try {
        Message m;
        const bool read = decode_units(
            bytes, opt, "BulkConfirmUnit",
            {[&](const Dom& root, size_t units) {
                 m = read_root(root, kind);
                 m.body.units.reserve(m.body.units.size() + units);
             },
             [&](const Dom& u) { read_struct(u, m.body.units.emplace_back(), unit_table()); }});
        if (read) return m;
    } catch (const OqsError&) {
    }
    return read_root(decode_dom(bytes, opt).root(), kind);
}

std::string serialize(const Message& m, Encoding e) { return encode_xml(write_message(m), e); }

}  // namespace onshi::oqs
