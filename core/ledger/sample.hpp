#pragma once
// Loads sample ledger data (assets/ledger/sample.json) through LedgerStore, so each row is audited.
#include <filesystem>

#include "core/ledger/ledger_store.hpp"
#include "core/util/json.hpp"

namespace onshi::ledger {

std::filesystem::path default_sample_path();  // <source>/assets/ledger/sample.json

struct ImportCounts {
    int patients = 0, cards = 0, checks = 0, staff = 0, medinfo = 0;
};

// The first card without "switch_date" is registered with the patient; every later card is a
// 保険証変更 on its switch_date. LedgerError(Invalid) on an unknown key or a bad value.
// A patient's "medinfo" entries ({"kind": "yzk"|"tkk", "file": path}) are stored as fetched 薬剤情報 /
// 特定健診情報 answers; their files are read from `base` (the folder of the sample file).
ImportCounts import_sample(LedgerStore& store, const Json& data, const std::string& staff_id,
                           const std::filesystem::path& base = default_sample_path().parent_path());

}  // namespace onshi::ledger
