#pragma once
// The row journal behind every audit entry: each insert/update/delete inside a change records the rows
// before and after, so undo can put them back exactly and refuses when later edits touched the same rows.
#include <string>
#include <string_view>

#include "core/ledger/sql.hpp"
#include "core/util/json.hpp"

namespace onshi::ledger {

class Journal {
public:
    explicit Journal(sql::Db& db) : db_(db) {}

    // Inserts `row` (column → value) and returns the new row's id.
    Json insert(std::string_view table, const Json& row);
    // Sets the given columns; only columns whose value really changes are written and recorded.
    void update(std::string_view table, const Json& id, const Json& changes);
    void remove(std::string_view table, const Json& id);

    // Reverses a recorded journal (newest op first), recording the reversal in this journal.
    // LedgerError(Conflict) when a row no longer looks as the journal left it.
    void reverse(const Json& ops);

    const Json& ops() const { return ops_; }
    // ops().dump(), the same text, written faster (the audit row's `changes`).
    std::string ops_text() const;
    // Reads one row as column → value; null when missing.
    Json row(std::string_view table, const Json& id);

private:
    Json columns(const std::string& table, const Json& id, const Json& changes);
    sql::Db& db_;
    Json ops_ = Json::array();
};

}  // namespace onshi::ledger
