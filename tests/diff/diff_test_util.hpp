#pragma once
// Ledgers in temporary folders and OQS records for the diff tests (the seed manual's 資格 一郎).
#include "tests/support/temp_dir.hpp"
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "core/ledger/ledger_store.hpp"
#include "core/oqs/result.hpp"

namespace onshi::diff::test {

using TempDir = onshi::test::TempDir;

inline ledger::LedgerStore open_ledger(const TempDir& d) {
    ledger::LedgerStore::Options o;
    o.clock = [] { return util::parse_local("2021-08-17T09:30:00"); };
    return ledger::LedgerStore::open(d.path / "ledger.sqlite", o);
}

// 資格 一郎 (カルテ 13) as the clinic typed him: 139980 萩う10, full-width kana, with phones, 公費 and 介護.
inline ledger::OverwritePlan ichiro_plan() {
    using ledger::Field;
    ledger::OverwritePlan p;
    p.kind = ledger::PlanKind::RegisterPatient;
    p.karte = "13";
    p.fields = {{Field::KanaName, "シカク イチロウ"},
                {Field::KanjiName, "資格　一郎"},
                {Field::Sex, "1"},
                {Field::Birth, "1960-06-02"},
                {Field::Postal, "1000014"},
                {Field::Address, "東京都千代田区永田町1-99-99"},
                {Field::InsurerNumber, "139980"},
                {Field::Kigo, "萩う10"},
                {Field::Bango, "1639960291x001"},
                {Field::Edaban, "01"},
                {Field::Relationship, "1"},
                {Field::InsuredName, "資格　一郎"},
                {Field::ValidFrom, "2012-04-01"},
                {Field::IssuedOn, "2012-04-01"}};
    return p;
}

inline void set_field(ledger::OverwritePlan& p, ledger::Field f, const std::string& v) {
    for (auto& fv : p.fields)
        if (fv.field == f) {
            fv.value = v;
            return;
        }
    p.fields.push_back({f, v});
}

inline void add_extras(ledger::LedgerStore& db, const std::string& karte) {
    db.set_phones(karte, {"03-1234-5678", "090-0000-1111", "080-2222-3333"}, "S01");
    db.add_kouhi(karte, {0, "54016027", "1234566", "2021-04-01", "2022-03-31", "難病"}, "S01");
    db.add_kaigo(karte, {0, "131016", "0000012345", "要介護1", "2021-04-01", "2024-03-31"}, "S01");
}

// The OQS record for the same card, as OQS sends it: half-width kana, padded 保険者番号, YYYYMMDD.
inline oqs::QualificationRecord ichiro_record() {
    oqs::QualificationRecord r;
    r.insured_card_classification = "01";
    r.insurer_number = "  139980";
    r.insured_card_symbol = "萩う10";
    r.insured_identification_number = "1639960291x001";
    r.insured_branch_number = "01";
    r.personal_family_classification = "1";
    r.insured_name = "資格　一郎";
    r.name = "資格　一郎";
    r.name_kana = "ｼｶｸ ｲﾁﾛｳ";
    r.sex1 = "1";
    r.birthdate = "19600602";
    r.address = "東京都千代田区永田町1-99-99";
    r.post_number = "100-0014";
    r.qualification_date = "20120401";
    r.insured_certificate_issuance_date = "20120401";
    r.insured_card_valid_date = "20120401";
    return r;
}

inline oqs::QualificationResult result_of(oqs::Status s, std::vector<oqs::QualificationRecord> records) {
    oqs::QualificationResult r;
    r.status = s;
    switch (s) {
        case oqs::Status::Valid: r.validity = "1"; break;
        case oqs::Status::Invalid: r.validity = "2"; break;
        case oqs::Status::InvalidNewQualification: r.validity = "3"; break;
        case oqs::Status::NotFound: r.validity = "4"; break;
        case oqs::Status::Multiple: r.validity = "5"; break;
        default: break;
    }
    if (s == oqs::Status::Error)
        r.error = oqs::ErrorInfo{"1", std::nullopt, std::nullopt, "2", "EOQS0001", "照会に必要な項目が不足しています"};
    r.records = std::move(records);
    return r;
}

inline oqs::QualificationResult valid(oqs::QualificationRecord rec) {
    return result_of(oqs::Status::Valid, {std::move(rec)});
}

}  // namespace onshi::diff::test
