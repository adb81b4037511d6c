// YZK/TKK requests and answers (docs/medinfo.md). The answers are walked on the checked DOM of decode_dom:
// the size, element, depth, character and encoding rules of every OQS file hold before a record is read.
#include "core/oqs/medinfo.hpp"

#include <pugixml.hpp>

#include "core/oqs/error.hpp"
#include "core/rules/numbers.hpp"

namespace onshi::oqs::medinfo {
namespace {

using Node = pugi::xml_node;

bool digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

bool valid_month(const std::string& m) {
    if (m.size() != 6 || !digits(m)) return false;
    int month = std::stoi(m.substr(4));
    return month >= 1 && month <= 12;
}

// The 電子処方箋 (Sh…) and 調剤結果 (Cz…) blocks repeat the レセプト block's element names, in some sources with
// the block's two-letter prefix: both spellings are read.
std::string_view bare(std::string_view name, std::string_view prefix) {
    if (!prefix.empty() && name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix) {
        std::string_view rest = name.substr(prefix.size());
        if (!rest.empty() && rest[0] >= 'A' && rest[0] <= 'Z') return rest;
    }
    return name;
}

template <class F>
void for_children(const Node& n, F&& f) {
    for (Node c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element) f(c);
}

// The first element named `name` anywhere below `n` (depth-first, the DOM is depth-bounded by decode_dom).
Node find_first(const Node& n, std::string_view name) {
    for (Node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        if (name == c.name()) return c;
        if (Node d = find_first(c, name)) return d;
    }
    return {};
}

template <class F>
void for_each_named(const Node& n, std::string_view name, F&& f) {
    for (Node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        if (name == c.name())
            f(c);
        else
            for_each_named(c, name, f);
    }
}

std::string text(const Node& n) { return n ? dom_text(n) : std::string(); }

struct Budget {
    std::size_t left;
    void take(const char* what) {
        if (left == 0) throw OqsError(ErrorKind::TooLarge, std::string("more ") + what + " than the limit allows");
        --left;
    }
};

void read_header(const Node& root, PatientHeader& p, std::string& mic, std::string& afi, const char* info,
                 const char* kana_name, const char* birth_name, const char* sex_name) {
    Node h = root.child("MessageHeader");
    mic = text(h.child("MedicalInstitutionCode"));
    afi = text(h.child("ArbitraryFileIdentifier"));
    Node q = find_first(h ? h : root, info);
    if (!q) return;
    p.name = text(q.child("Name"));
    p.kana = text(q.child(kana_name));
    p.birth = text(q.child(birth_name));
    p.sex = text(q.child(sex_name));
}

DrugLine read_drug(const Node& n, std::string_view prefix) {
    DrugLine d;
    for_children(n, [&](const Node& c) {
        std::string_view k = bare(c.name(), prefix);
        std::string* f = k == "DrugC"    ? &d.code
                         : k == "DrugN"  ? &d.name
                         : k == "IngreN" ? &d.ingredient
                         : k == "Qua1"   ? &d.quantity
                         : k == "Unit"   ? &d.unit
                         : k == "UsageN" ? &d.usage
                         : k == "Times"  ? &d.times
                         : k == "SpInst" ? &d.special_instruction
                         : k == "MeTrIdCl" ? &d.id_class
                                           : nullptr;
        if (f && f->empty()) *f = dom_text(c);
    });
    return d;
}

TreatmentLine read_treatment(const Node& n, std::string_view prefix) {
    TreatmentLine t;
    for_children(n, [&](const Node& c) {
        std::string_view k = bare(c.name(), prefix);
        std::string* f = k == "SinInfN"    ? &t.name
                         : k == "SinInfCd" ? &t.code
                         : k == "MeTrIdCl" ? &t.id_class
                         : k == "Qua1"     ? &t.quantity
                         : k == "Times"    ? &t.times
                         : k == "Unit"     ? &t.unit
                                           : nullptr;
        if (f && f->empty()) *f = dom_text(c);
    });
    return t;
}

MonthRecord read_month(const Node& n, const char* source, std::string_view prefix, Budget& budget) {
    MonthRecord m;
    m.source = source;
    for_children(n, [&](const Node& c) {
        std::string_view k = bare(c.name(), prefix);
        if (k == "DiDateInfs" || k == "DiDateInf") {
            auto one_date = [&](const Node& dn) {
                DispenseDate d;
                for_children(dn, [&](const Node& x) {
                    std::string_view xk = bare(x.name(), prefix);
                    if (xk == "DiDate")
                        d.dispensed = dom_text(x);
                    else if (xk == "PrDate")
                        d.prescribed = dom_text(x);
                    else if (xk == "DrugInfs" || xk == "DrugInf") {
                        auto one_drug = [&](const Node& y) {
                            budget.take("medication lines");
                            d.drugs.push_back(read_drug(y, prefix));
                        };
                        if (xk == "DrugInf")
                            one_drug(x);
                        else
                            for_children(x, [&](const Node& y) {
                                if (bare(y.name(), prefix) == "DrugInf") one_drug(y);
                            });
                    }
                });
                m.dates.push_back(std::move(d));
            };
            if (k == "DiDateInf")
                one_date(c);
            else
                for_children(c, [&](const Node& dn) {
                    if (bare(dn.name(), prefix) == "DiDateInf") one_date(dn);
                });
        } else if (k == "MeTrInfs" || k == "MeTrInf") {
            auto one = [&](const Node& tn) {
                budget.take("treatment lines");
                m.treatments.push_back(read_treatment(tn, prefix));
            };
            if (k == "MeTrInf")
                one(c);
            else
                for_children(c, [&](const Node& tn) {
                    if (bare(tn.name(), prefix) == "MeTrInf") one(tn);
                });
        } else {
            std::string* f = k == "MeTrMonth"   ? &m.month
                             : k == "DiOrg"     ? &m.organisation
                             : k == "MeTrDiHCd" ? &m.institution_code
                             : k == "MeTrDiHNm" ? &m.institution_name
                             : k == "PrlsHCd"   ? &m.prescriber_code
                             : k == "PrlsHNm"   ? &m.prescriber_name
                             : k == "PrIsOrg"   ? &m.issuer
                             : k == "InOut"     ? &m.in_out
                                                : nullptr;
            if (f && f->empty() && c.first_child().type() != pugi::node_element) *f = dom_text(c);
        }
    });
    return m;
}

Json header_json(const PatientHeader& p) {
    return {{"name", p.name}, {"kana", p.kana}, {"birth", p.birth}, {"sex", p.sex}};
}

std::string pad_insurer(const std::string& insurer) {
    std::string s = rules::insurer_for_oqs(insurer);
    if (s.size() != 8) throw OqsError(ErrorKind::Usage, "保険者番号 " + insurer + " is not 6 or 8 digits");
    return s;
}

}  // namespace

const char* kind_code(InfoKind k) { return k == InfoKind::Drug ? "yzk" : "tkk"; }

std::optional<InfoKind> kind_from_code(std::string_view code) {
    if (code == "yzk") return InfoKind::Drug;
    if (code == "tkk") return InfoKind::Checkup;
    return std::nullopt;
}

MessageKind request_kind(InfoKind k) { return k == InfoKind::Drug ? MessageKind::YzkSiquc01Req : MessageKind::TkkSiquc01Req; }
MessageKind answer_kind(InfoKind k) { return k == InfoKind::Drug ? MessageKind::YzkSiquc01Res : MessageKind::TkkSiquc01Res; }

Message make_request(const Query& q, const std::string& mic, const RequestCodes& codes) {
    if (q.number.empty()) throw OqsError(ErrorKind::Usage, "the request needs the 被保険者番号");
    if (!q.branch.empty() && (q.branch.size() != 2 || !digits(q.branch)))
        throw OqsError(ErrorKind::Usage, "枝番 must be 2 digits");
    if (q.symbol.size() > 60 || q.number.size() > 60) throw OqsError(ErrorKind::Usage, "記号 or 番号 too long");
    Message m;
    m.kind = request_kind(q.kind);
    m.header.medical_institution_code = mic;
    m.header.insurer_number = pad_insurer(q.insurer_number);
    if (!q.symbol.empty()) m.header.insurance_card_symbol = q.symbol;
    m.header.insured_person_identification_number = q.number;
    if (!q.branch.empty()) m.header.branch_number = q.branch;
    auto leaf = [&](const char* name, const std::string& value) { m.body.extra.push_back(Element{name, value, {}}); };
    if (q.kind == InfoKind::Drug) {
        for (const auto* month : {&q.start_month, &q.end_month})
            if (!month->empty() && !valid_month(*month))
                throw OqsError(ErrorKind::Usage, "months are YYYYMM, got '" + *month + "'");
        if (!q.start_month.empty() && !q.end_month.empty() && q.start_month > q.end_month)
            throw OqsError(ErrorKind::Usage, "StartDate is after EndDate");
        if (!q.start_month.empty()) leaf("StartDate", q.start_month);
        if (!q.end_month.empty()) leaf("EndDate", q.end_month);
        leaf("FileCategory", q.with_diagnosis ? (q.pdf ? codes.pdf_with_diagnosis : codes.xml_with_diagnosis)
                                              : (q.pdf ? codes.pdf : codes.xml));
    } else {
        if (q.with_diagnosis) throw OqsError(ErrorKind::Usage, "診療情報 comes with 薬剤情報 only");
        leaf("FileCategory", q.pdf ? codes.pdf : codes.xml);
    }
    leaf("PrDiInfClassification", codes.pr_di_inf_classification);
    leaf("MedicalTreatmentFlag", codes.medical_treatment_flag);
    return m;
}

DrugAnswer parse_drug(std::string_view bytes, const Limits& limits) {
    if (looks_like_pdf(bytes)) throw OqsError(ErrorKind::Malformed, "a PDF answer has no records to parse");
    DecodedXml x = decode_dom(bytes, limits.decode);
    Node root = x.root();
    DrugAnswer a;
    a.result_code = text(find_first(root, "ResultCode"));
    a.message = text(find_first(root, "MessageContents"));
    read_header(root, a.patient, a.medical_institution_code, a.arbitrary_file_identifier, "QuaInf", "KanaName", "Birth",
                "AdmGendCode");
    Budget budget{limits.max_lines};
    Node body = root.child("MessageBody");
    if (!body) return a;
    struct Block {
        const char* element;
        const char* source;
        const char* prefix;
    };
    for (const Block& b : {Block{"MeTrMonthInf", "receipt", ""}, Block{"ShPrMonthInf", "prescription", "Sh"},
                           Block{"CzDiMonthInf", "dispensing", "Cz"}})
        for_each_named(body, b.element, [&](const Node& n) {
            budget.take("months");
            a.months.push_back(read_month(n, b.source, b.prefix, budget));
        });
    return a;
}

CheckupAnswer parse_checkup(std::string_view bytes, const Limits& limits) {
    if (looks_like_pdf(bytes)) throw OqsError(ErrorKind::Malformed, "a PDF answer has no records to parse");
    DecodedXml x = decode_dom(bytes, limits.decode);
    Node root = x.root();
    CheckupAnswer a;
    a.result_code = text(find_first(root, "ResultCode"));
    a.message = text(find_first(root, "MessageContents"));
    read_header(root, a.patient, a.medical_institution_code, a.arbitrary_file_identifier, "QualificationsInfo",
                "KanasName", "Birthday", "AdministrativeGenderCode");
    Budget budget{limits.max_lines};
    for_each_named(root, "SpecificHealthCheckupInfo", [&](const Node& n) {
        budget.take("checkups");
        Checkup c;
        c.effective = text(n.child("EffectiveTime"));
        for_each_named(n, "HealthCheckupResultAndQuestionInfo", [&](const Node& i) {
            budget.take("checkup items");
            CheckupItem it;
            it.code = text(i.child("ItemCode"));
            it.name = text(i.child("ItemName"));
            it.data_type = text(i.child("DataType"));
            it.value = text(i.child("DataValue"));
            it.unit = text(i.child("Unit"));
            it.oid = text(i.child("Oid"));
            it.value_name = text(i.child("DataValueName"));
            c.items.push_back(std::move(it));
        });
        a.checkups.push_back(std::move(c));
    });
    return a;
}

bool looks_like_pdf(std::string_view bytes) { return bytes.substr(0, 5) == "%PDF-"; }

Json to_json(const DrugAnswer& a) {
    Json months = Json::array();
    for (const auto& m : a.months) {
        Json dates = Json::array();
        for (const auto& d : m.dates) {
            Json drugs = Json::array();
            for (const auto& g : d.drugs)
                drugs.push_back({{"code", g.code},
                                 {"name", g.name},
                                 {"ingredient", g.ingredient},
                                 {"quantity", g.quantity},
                                 {"unit", g.unit},
                                 {"usage", g.usage},
                                 {"times", g.times},
                                 {"special_instruction", g.special_instruction},
                                 {"id_class", g.id_class}});
            dates.push_back({{"dispensed", d.dispensed}, {"prescribed", d.prescribed}, {"drugs", drugs}});
        }
        Json treatments = Json::array();
        for (const auto& t : m.treatments)
            treatments.push_back({{"name", t.name},
                                  {"code", t.code},
                                  {"id_class", t.id_class},
                                  {"quantity", t.quantity},
                                  {"times", t.times},
                                  {"unit", t.unit}});
        months.push_back({{"source", m.source},
                          {"month", m.month},
                          {"organisation", m.organisation},
                          {"institution_code", m.institution_code},
                          {"institution_name", m.institution_name},
                          {"prescriber_code", m.prescriber_code},
                          {"prescriber_name", m.prescriber_name},
                          {"issuer", m.issuer},
                          {"in_out", m.in_out},
                          {"dates", dates},
                          {"treatments", treatments}});
    }
    return {{"kind", "yzk"},           {"result_code", a.result_code}, {"ok", a.ok()},
            {"message", a.message},    {"patient", header_json(a.patient)}, {"months", months}};
}

Json to_json(const CheckupAnswer& a) {
    Json checkups = Json::array();
    for (const auto& c : a.checkups) {
        Json items = Json::array();
        for (const auto& i : c.items)
            items.push_back({{"code", i.code},
                             {"name", i.name},
                             {"data_type", i.data_type},
                             {"value", i.value},
                             {"unit", i.unit},
                             {"oid", i.oid},
                             {"value_name", i.value_name}});
        checkups.push_back({{"effective", c.effective}, {"items", items}});
    }
    return {{"kind", "tkk"},        {"result_code", a.result_code}, {"ok", a.ok()},
            {"message", a.message}, {"patient", header_json(a.patient)}, {"checkups", checkups}};
}

Json derived_json(std::string_view bytes, InfoKind kind, const Limits& limits) {
    return kind == InfoKind::Drug ? to_json(parse_drug(bytes, limits)) : to_json(parse_checkup(bytes, limits));
}

}  // namespace onshi::oqs::medinfo
