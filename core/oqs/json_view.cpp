#include "core/oqs/json_view.hpp"

#include <cctype>
#include <string_view>
#include <unordered_map>

#include "core/rules/codes.hpp"
#include "core/rules/date.hpp"

namespace onshi::oqs {
namespace {

Json text(const Text& t) { return t ? Json(*t) : Json(nullptr); }

Json date(const Text& t) {
    if (!t) return nullptr;
    auto d = rules::Date::from_oqs(*t);
    return d ? Json(d->iso()) : Json(nullptr);
}

Json date_time(const Text& t) {
    if (!t || t->size() != 14) return nullptr;
    for (char c : *t)
        if (!std::isdigit(static_cast<unsigned char>(c))) return nullptr;
    auto d = rules::Date::from_oqs(t->substr(0, 8));
    if (!d) return nullptr;
    const std::string& s = *t;
    return d->iso() + "T" + s.substr(8, 2) + ":" + s.substr(10, 2) + ":" + s.substr(12, 2);
}

Json trimmed(const Text& t) {
    if (!t) return nullptr;
    auto b = t->find_first_not_of(" \u3000");
    auto e = t->find_last_not_of(' ');
    return b == std::string::npos ? Json("") : Json(t->substr(b, e - b + 1));
}

Json label(std::string_view table, const Text& code) {
    if (!code) return nullptr;
    auto l = rules::code_label(table, *code);
    return l ? Json(std::string(*l)) : Json(*code);
}

Json consent(const Consent& c) {
    Json j;
    j["flag"] = text(c.flag);
    j["time"] = date_time(c.time);
    j["available_until"] = date_time(c.available_until);
    return j;
}

Json record_json(const QualificationRecord& r) {
    Json j;
    j["insurer_number"] = trimmed(r.insurer_number);
    j["symbol"] = text(r.insured_card_symbol);
    j["number"] = text(r.insured_identification_number);
    j["branch"] = text(r.insured_branch_number);
    j["name"] = text(r.name);
    j["name_kana"] = text(r.name_kana);
    j["sex"] = label(rules::oqscd::Sex, r.sex1);
    j["birthdate"] = date(r.birthdate);
    j["qualification_date"] = date(r.qualification_date);
    j["valid_from"] = date(r.insured_card_valid_date);
    j["valid_until"] = date(r.insured_card_expiration_date);
    j["relationship"] = label(rules::oqscd::PersonalFamily, r.personal_family_classification);
    Json c;
    c["pharmacists"] = consent(r.pharmacists);
    c["specific_health_checkups"] = consent(r.specific_health_checkups);
    c["diagnosis"] = consent(r.diagnosis);
    c["operation"] = consent(r.operation);
    c["limit_application"] = consent(r.limit_application_consent);
    c["specific_diseases"] = consent(r.specific_diseases_consent);
    j["consents"] = c;
    return j;
}

}  // namespace

Json element_json(const Element& e) {
    if (e.leaf()) return e.text;
    Json j = Json::object();
    std::unordered_map<std::string_view, size_t> count;
    for (const Element& c : e.children) ++count[c.name];
    for (const Element& c : e.children) {
        auto it = j.find(c.name);
        if (it == j.end()) {
            if (count[c.name] > 1) j[c.name] = Json::array({element_json(c)});
            else j[c.name] = element_json(c);
        } else {
            it->push_back(element_json(c));
        }
    }
    return j;
}

Json result_json(const QualificationResult& r) {
    Json j;
    j["status"] = status_key(r.status);
    j["label"] = r.label();
    if (r.validity) {
        Json v;
        v["code"] = *r.validity;
        v["label"] = label(rules::oqscd::QualificationValidity, r.validity);
        j["validity"] = v;
    } else {
        j["validity"] = nullptr;
    }
    if (r.error) {
        Json e;
        e["code"] = r.error->code();
        e["message"] = r.error->message();
        e["detail"] = r.error->detail();
        j["error"] = e;
    } else {
        j["error"] = nullptr;
    }
    Json rs = Json::array();
    for (const auto& rec : r.records) rs.push_back(record_json(rec));
    j["results"] = rs;
    return j;
}

Json parse_json(const ParsedFile& f) {
    const Element& root = f.document.root;
    Json j;
    j["kind"] = kind_name(f.message.kind);
    j["encoding"] = declaration_name(f.document.encoding);
    const Element* h = root.child("MessageHeader");
    const Element* b = root.child("MessageBody");
    j["header"] = h ? element_json(*h) : Json::object();
    j["body"] = b ? element_json(*b) : Json::object();
    Json results = Json::array();
    if (b) {
        if (const Element* l = b->child("ResultList"))
            for (const Element* r : l->all("ResultOfQualificationConfirmation")) results.push_back(element_json(*r));
        for (const Element* u : b->all("BulkConfirmUnit")) results.push_back(element_json(*u));
    }
    j["results"] = results;

    const Message& m = f.message;
    Json d;
    switch (m.kind) {
        case MessageKind::Siquc01Res:
        case MessageKind::Face: d = result_json(qualification_result(m)); break;
        case MessageKind::Muquc02Res:
        case MessageKind::Muhvq02Res: {
            QualificationResult whole = qualification_result(m, BulkConfirmUnit{});
            d["status"] = whole.status == Status::Querying || whole.status == Status::Error
                              ? Json(status_key(whole.status)) : Json(nullptr);
            d["error"] = whole.status == Status::Error && whole.header.segment_of_result.value_or("1") != "1"
                             ? result_json(whole)["error"] : Json(nullptr);
            Json units = Json::array();
            for (const auto& u : m.body.units) units.push_back(result_json(qualification_result(m, u)));
            d["units"] = units;
            break;
        }
        default: {
            // Requests and acknowledgements carry no qualification; only errors are derived.
            QualificationResult r = qualification_result(m);
            bool failed = r.header.segment_of_result.value_or("1") != "1" ||
                          m.body.processing_result_status.value_or("1") != "1";
            d["status"] = failed ? Json(status_key(r.status)) : Json(nullptr);
            d["validity"] = nullptr;
            d["error"] = failed ? result_json(r)["error"] : Json(nullptr);
            d["results"] = Json::array();
        }
    }
    j["derived"] = d;
    return j;
}

}  // namespace onshi::oqs
