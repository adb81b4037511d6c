#pragma once
// PatientMatch: which ledger patient an OQS record belongs to. 照会番号 first; otherwise candidates by
// birth date + sex + kana key, ranked by tier. Never links automatically when there is more than one
// candidate or only a probable one: staff choose.
#include <string>
#include <vector>

#include "core/ledger/ledger_store.hpp"
#include "core/oqs/result.hpp"
#include "core/rules/compare.hpp"

namespace onshi::diff {

struct Candidate {
    std::string karte;
    std::string kanji_name, kana_name, birth, sex;
    rules::Tier tier = rules::Tier::Different;  // name tier against the OQS record
    std::string reason;
    bool by_reference = false;  // found through the 照会番号
};

struct MatchResult {
    enum class Kind {
        Linked,  // by 照会番号, or exactly one Exact/Normalized candidate: `karte` is the patient
        Choose,  // several, or only probable ones: staff pick from `candidates` (or 新患)
        None,    // nobody matches: 新患
    } kind = Kind::None;
    std::string karte;
    std::vector<Candidate> candidates;  // best first
};

// Looks up the ledger (read-only). `record_index` picks one of the result's records.
MatchResult match_patient(const ledger::LedgerStore& store, const oqs::QualificationResult& result,
                          size_t record_index = 0);

}  // namespace onshi::diff
