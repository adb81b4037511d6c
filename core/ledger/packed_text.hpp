#pragma once
// Long texts stored deflated in a SQLite ledger (schema 7): a check's raw OQS answer is ~2 kB of XML that
// deflates about threefold, and a row of 2 kB took a page of its own. Such a value is stored as a BLOB
// holding a zlib stream (RFC 1950) in its TEXT column, which SQLite keeps as it is; every read of a BLOB in a
// column declared TEXT inflates it (sql::Stmt::text and value), so the rest of the ledger, the journal and
// its digests only ever see the text. PostgreSQL compresses long values itself: nothing is packed there.
// docs/performance.md, "Ledger plan".
#include <optional>
#include <string>
#include <string_view>

namespace onshi::ledger::packed {

// Shorter texts are stored as they are: a zlib stream of a few hundred bytes saves little.
constexpr size_t kPackFrom = 512;
// An inflated value larger than this is refused as damaged (no answer the ledger keeps comes near it).
constexpr size_t kMaxText = 64u << 20;

// The zlib stream of `text`, or nullopt when the text is shorter than kPackFrom or does not get smaller.
std::optional<std::string> pack(std::string_view text);

// The text of a stream pack() made. A stream that is damaged, truncated, followed by other bytes or larger
// than kMaxText throws LedgerError(Corrupt).
std::string unpack(std::string_view stream);

}  // namespace onshi::ledger::packed
