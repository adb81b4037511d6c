#pragma once
// Synthetic 薬剤情報 / 特定健診情報 answers for the simulated terminal, the training ledger, the tests and the
// benchmarks: the XML shape core/oqs/medinfo reads (docs/medinfo.md) and a small PDF written by hand (one
// Helvetica font, text and rules; no third-party code). Nothing here is real data.
#include <cstdint>
#include <string>
#include <vector>

#include "core/oqs/medinfo.hpp"
#include "core/oqs/xml_codec.hpp"

namespace onshi::oqs::medinfo {

struct SyntheticPerson {
    PatientHeader header;  // Name, KanaName, Birth (YYYYMMDD), AdmGendCode
    uint32_t seed = 1;     // picks the medicines and the values; the same seed gives the same file
};

struct SyntheticOptions {
    std::string end_month;  // YYYYMM of the newest month
    int months = 12;        // history length (薬剤)
    int years = 5;          // checkups (特定健診), one a year ending in end_month's year
    std::string medical_institution_code, arbitrary_file_identifier;  // echoed in the header when not empty
    Encoding encoding = Encoding::Utf8;
};

std::string synthetic_drug_xml(const SyntheticPerson& p, const SyntheticOptions& o);
std::string synthetic_checkup_xml(const SyntheticPerson& p, const SyntheticOptions& o);
// A refusal as the terminal writes it: ResultCode other than 1 and MessageContents.
std::string error_xml(InfoKind kind, const std::string& result_code, const std::string& message, Encoding e);

// A PDF 1.4 file: one A4 page per 48 lines (ASCII; other characters are written as '?'), a title and a rule.
std::string simple_pdf(const std::string& title, const std::vector<std::string>& lines);
// The PDF form of the synthetic answers (drug codes, quantities and values in ASCII).
std::string synthetic_drug_pdf(const SyntheticPerson& p, const SyntheticOptions& o);
std::string synthetic_checkup_pdf(const SyntheticPerson& p, const SyntheticOptions& o);

}  // namespace onshi::oqs::medinfo
