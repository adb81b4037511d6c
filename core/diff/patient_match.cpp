// match_patient: the ledger patient an OQS record belongs to (照会番号 first, then birth + sex + name).
#include "core/diff/patient_match.hpp"

#include <algorithm>

#include "core/diff/values.hpp"

namespace onshi::diff {
namespace {
using rules::Tier;

struct Scored {
    Candidate c;
    Tier kana = Tier::Different;
};

// Kana (the search key) and kanji together: one disagreeing name caps the pair at Probable, so a
// patient whose other name differs is never linked without staff.
Scored score(const ledger::Patient& p, const oqs::QualificationRecord& r) {
    Scored s;
    s.c.karte = p.karte;
    s.c.kanji_name = p.kanji_name;
    s.c.kana_name = p.kana_name;
    s.c.birth = p.birth;
    s.c.sex = p.sex;
    const std::string kana = r.name_kana.value_or(""), kanji = r.name.value_or("");
    const bool has_kana = !p.kana_name.empty() && !kana.empty();
    const bool has_kanji = !p.kanji_name.empty() && !kanji.empty();
    const Tier tk = has_kana ? rules::compare_kana_names(p.kana_name, kana).tier : Tier::Different;
    const Tier tj = has_kanji ? rules::compare_kanji_names(p.kanji_name, kanji).tier : Tier::Different;
    s.kana = tk;
    if (has_kana && has_kanji) {
        const Tier best = std::min(tk, tj), worst = std::max(tk, tj);
        s.c.tier = worst != Tier::Different ? best : best <= Tier::Normalized ? Tier::Probable : Tier::Different;
    } else if (has_kana || has_kanji) {
        s.c.tier = has_kana ? tk : tj;
    }
    s.c.reason = std::string("same birth date and sex; kana ") + (has_kana ? rules::tier_name(tk) : "missing") +
                 ", kanji " + (has_kanji ? rules::tier_name(tj) : "missing");
    return s;
}

bool karte_less(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;  // カルテ番号 are digit strings
}

}  // namespace

MatchResult match_patient(const ledger::LedgerStore& store, const oqs::QualificationResult& result,
                          size_t record_index) {
    MatchResult m;
    const oqs::QualificationRecord* rec = detail::record_at(result, record_index);
    if (!rec) return m;

    const std::string ref = rec->reference_number.value_or("");
    if (!ref.empty()) {
        const std::string karte = store.karte_for_reference(ref);
        if (auto p = karte.empty() ? std::nullopt : store.patient(karte)) {
            Candidate c = score(p->patient, *rec).c;
            c.by_reference = true;
            c.reason = "照会番号 " + ref + " is linked to this patient";
            m.kind = MatchResult::Kind::Linked;
            m.karte = karte;
            m.candidates.push_back(std::move(c));
            return m;
        }
    }

    const std::string birth = detail::iso_from_oqs(rec->birthdate);
    if (birth.empty()) return m;  // nothing to search by: 新患 or staff search by hand
    const std::string sex = rec->sex1.value_or("");
    std::vector<Scored> found;
    ledger::SearchQuery q;
    q.birth = birth;
    for (const auto& s : store.search(q, 1000)) {
        // 性別 filters only when both sides are known (男/女); 未設定 on either side keeps the patient.
        const bool known = (sex == "1" || sex == "2") && (s.patient.sex == "1" || s.patient.sex == "2");
        if (known && s.patient.sex != sex) continue;
        Scored sc = score(s.patient, *rec);
        if (sc.c.tier != Tier::Different) found.push_back(std::move(sc));
    }
    std::sort(found.begin(), found.end(), [](const Scored& a, const Scored& b) {
        if (a.c.tier != b.c.tier) return a.c.tier < b.c.tier;
        if (a.kana != b.kana) return a.kana < b.kana;
        return karte_less(a.c.karte, b.c.karte);
    });
    for (auto& s : found) m.candidates.push_back(std::move(s.c));
    if (m.candidates.size() == 1 && m.candidates[0].tier <= Tier::Normalized) {
        m.kind = MatchResult::Kind::Linked;
        m.karte = m.candidates[0].karte;
    } else if (!m.candidates.empty()) {
        m.kind = MatchResult::Kind::Choose;
    }
    return m;
}

}  // namespace onshi::diff
