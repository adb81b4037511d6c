#pragma once
// Loads sample ledger data (assets/ledger/sample.json) through LedgerStore, so each row is audited.
#include <filesystem>

#include "core/ledger/ledger_store.hpp"
#include "core/util/json.hpp"

namespace onshi::ledger {

struct ImportCounts {
    int patients = 0, cards = 0, checks = 0, staff = 0;
};

// The first card without "switch_date" is registered with the patient; every later card is a
// 保険証変更 on its switch_date. LedgerError(Invalid) on an unknown key or a bad value.
ImportCounts import_sample(LedgerStore& store, const Json& data, const std::string& staff_id);
std::filesystem::path default_sample_path();  // <source>/assets/ledger/sample.json

}  // namespace onshi::ledger
