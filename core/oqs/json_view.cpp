#include "core/oqs/json_view.hpp"

#include <cctype>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/rules/codes.hpp"
#include "core/rules/date.hpp"

namespace onshi::oqs {
namespace {

// The JSON view holds only valid UTF-8, so dump() cannot throw: decode_xml guarantees it for files;
// a message built in memory with broken bytes shows U+FFFD where they were.
std::string utf8(std::string_view s) {
    std::string out;
    for (;;) {
        size_t bad = first_invalid_utf8(s);
        if (bad == std::string_view::npos) {
            out += s;
            return out;
        }
        out += s.substr(0, bad);
        out += "\uFFFD";
        s.remove_prefix(bad + 1);
    }
}

Json text(const Text& t) { return t ? Json(utf8(*t)) : Json(nullptr); }

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

// Insurer numbers are padded with spaces (ASCII or U+3000) in front and ASCII spaces behind.
Json trimmed(const Text& t) {
    if (!t) return nullptr;
    std::string_view v = *t;
    for (;;) {
        if (v.substr(0, 1) == " ")
            v.remove_prefix(1);
        else if (v.substr(0, 3) == "\u3000")
            v.remove_prefix(3);
        else
            break;
    }
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return Json(utf8(v));
}

Json label(std::string_view table, const Text& code) {
    if (!code) return nullptr;
    auto l = rules::code_label(table, *code);
    return l ? Json(std::string(*l)) : Json(utf8(*code));
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
    if (e.leaf()) return utf8(e.text);
    Json j = Json::object();
    std::vector<std::string> keys;
    keys.reserve(e.children.size());
    std::unordered_map<std::string_view, size_t> count;
    for (const Element& c : e.children) keys.push_back(utf8(c.name));
    for (const std::string& k : keys) ++count[k];
    for (size_t i = 0; i < e.children.size(); ++i) {
        const std::string& k = keys[i];
        auto it = j.find(k);
        if (it == j.end()) {
            if (count[k] > 1)
                j[k] = Json::array({element_json(e.children[i])});
            else
                j[k] = element_json(e.children[i]);
        } else {
            it->push_back(element_json(e.children[i]));
        }
    }
    return j;
}

Json result_json(const QualificationResult& r) {
    Json j;
    j["status"] = status_key(r.status);
    j["label"] = utf8(r.label());
    if (r.validity) {
        Json v;
        v["code"] = utf8(*r.validity);
        v["label"] = label(rules::oqscd::QualificationValidity, r.validity);
        j["validity"] = v;
    } else {
        j["validity"] = nullptr;
    }
    if (r.error) {
        Json e;
        e["code"] = utf8(r.error->code());
        e["message"] = utf8(r.error->message());
        e["detail"] = utf8(r.error->detail());
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
                              ? Json(status_key(whole.status))
                              : Json(nullptr);
            d["error"] = whole.status == Status::Error && whole.header->segment_of_result.value_or("1") != "1"
                             ? result_json(whole)["error"]
                             : Json(nullptr);
            Json units = Json::array();
            for (const auto& u : m.body.units) units.push_back(result_json(qualification_result(m, u)));
            d["units"] = units;
            break;
        }
        default: {
            // Requests and acknowledgements carry no qualification; only errors are derived.
            QualificationResult r = qualification_result(m);
            bool failed =
                r.header->segment_of_result.value_or("1") != "1" || m.body.processing_result_status.value_or("1") != "1";
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
