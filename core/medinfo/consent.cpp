#include "core/medinfo/consent.hpp"

#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"
#include "core/util/clock.hpp"

namespace onshi::medinfo {
namespace {

const oqs::Consent* consent_of(const oqs::QualificationRecord& r, const std::string& element) {
    if (element == "PharmacistsInfo") return &r.pharmacists;
    if (element == "DiagnosisInfo") return &r.diagnosis;
    return &r.specific_health_checkups;
}

const char* label_of(const std::string& element) {
    if (element == "PharmacistsInfo") return "薬剤情報";
    if (element == "DiagnosisInfo") return "診療情報";
    return "特定健診情報";
}

// "YYYYMMDD" means the whole day; anything else must be YYYYMMDDHHmmss.
std::string normalised_time(const std::string& t) {
    if (t.size() == 8) return t + "235959";
    return t;
}

// A check's raw_xml holds the answer's characters in UTF-8 (a Shift_JIS face file is stored converted, its
// declaration unchanged): read as UTF-8 whatever the declaration and CharacterCodeIdentifier say.
oqs::Message parse_stored(const std::string& raw) {
    oqs::DecodeOptions opt;
    opt.check_character_code = false;
    std::string text = raw;
    const size_t end = text.find("?>");
    if (text.rfind("<?xml", 0) == 0 && end != std::string::npos) {
        const size_t enc = text.find("encoding=", 0);
        if (enc != std::string::npos && enc < end && enc + 10 < text.size()) {
            const char quote = text[enc + 9];
            const size_t close = text.find(quote, enc + 10);
            if (close != std::string::npos && close < end) text.replace(enc + 10, close - enc - 10, "UTF-8");
        }
    }
    return oqs::parse_message(text, oqs::MessageKind::Face, opt);
}

ConsentStatus status_for(const ledger::LedgerStore& store, const std::string& karte, const std::string& element,
                         int64_t now_ms) {
    ConsentStatus s;
    s.element = element;
    for (const auto& c : store.answered_checks(karte)) {
        if (c.status == "processing" || c.status == "error") continue;
        oqs::Message m;
        try {
            m = parse_stored(c.raw_xml);
        } catch (const oqs::OqsError&) {
            continue;  // not a qualification answer (or damaged): it says nothing about consent
        }
        const oqs::Consent* found = nullptr;
        if (m.body.results)
            for (const auto& r : *m.body.results)
                if (const oqs::Consent* x = consent_of(r, element); x->flag && !found) found = x;
        if (!found) continue;  // e.g. a 単件照会 answer: no consent element, look further back
        s.check_id = c.id;
        s.checked_at = c.checked_at;
        s.flag = *found->flag;
        s.given_at = found->time.value_or("");
        s.available_until = found->available_until.value_or("");
        break;
    }
    const std::string what = label_of(element);
    if (s.check_id == 0 || (s.flag != "1" && s.flag != "2")) {
        s.verdict = ConsentVerdict::NotGiven;
        s.reason_en = std::string("no ") + element + " consent recorded for カルテ番号 " + karte;
        s.message_ja = what + "の閲覧同意がありません。";
        return s;
    }
    const std::string until = normalised_time(s.available_until);
    const bool time_ok = until.size() == 14 && until.find_first_not_of("0123456789") == std::string::npos;
    if (s.flag == "1" && time_ok && util::format_local_compact(now_ms) < until) {
        s.verdict = ConsentVerdict::Valid;
        return s;
    }
    s.verdict = ConsentVerdict::Expired;
    s.reason_en = "the " + element + " consent's viewing period has expired" +
                  (s.available_until.empty() ? " (no AvailableTime recorded)" : " (AvailableTime " + s.available_until + ")");
    s.message_ja = "閲覧の有効期限が切れています";
    return s;
}

}  // namespace

ConsentStatus consent_status(const ledger::LedgerStore& store, const std::string& karte, oqs::medinfo::InfoKind kind,
                             int64_t now_ms, bool with_diagnosis) {
    if (kind == oqs::medinfo::InfoKind::Checkup) return status_for(store, karte, "SpecificHealthCheckupsInfo", now_ms);
    ConsentStatus drug = status_for(store, karte, "PharmacistsInfo", now_ms);
    if (!drug.valid() || !with_diagnosis) return drug;
    ConsentStatus diagnosis = status_for(store, karte, "DiagnosisInfo", now_ms);
    return diagnosis.valid() ? drug : diagnosis;
}

}  // namespace onshi::medinfo
