#pragma once
// Long texts stored packed in a SQLite ledger (schema 7): a check's raw OQS answer is ~2 kB of XML that LZ4
// halves, and a row of 2 kB took a page of its own. Such a value is stored as a BLOB (a tag byte, the text's
// length, one LZ4 block) in its TEXT column, which SQLite keeps as it is; every read of a BLOB in a column
// declared TEXT unpacks it (sql::Stmt::text and value), so the rest of the ledger, the journal and its digests
// only ever see the text. LZ4, not zlib: 2 µs a 2 kB answer against 10-16 µs, inside the counter's write
// transaction. PostgreSQL compresses long values itself: nothing is packed there. docs/performance.md,
// "Ledger plan".
#include <optional>
#include <string>
#include <string_view>

namespace onshi::ledger::packed {

// Shorter texts are stored as they are: packing a few hundred bytes saves little.
constexpr size_t kPackFrom = 512;
// A stored value that claims a text larger than this is refused as damaged (no answer comes near it).
constexpr size_t kMaxText = 64u << 20;

// The packed form of `text`, or nullopt when the text is shorter than kPackFrom or does not get smaller.
std::optional<std::string> pack(std::string_view text);

// The text of a form pack() made. A form that is not one, cut short, altered so it does not decode to its
// length, or that claims more than kMaxText throws LedgerError(Corrupt).
std::string unpack(std::string_view stored);

}  // namespace onshi::ledger::packed
