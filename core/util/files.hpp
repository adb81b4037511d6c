#pragma once
// Small file helpers shared by the OQS transport, the ledger backups and the CLI.
#include <filesystem>
#include <optional>
#include <string>

namespace onshi::files {

// Whole file as bytes; nullopt when it cannot be opened.
std::optional<std::string> read(const std::filesystem::path& path);

// Writes to a temporary name in the same folder, fsyncs, then renames over `path`,
// so readers never see a half-written file. Throws std::runtime_error on failure.
void write_atomic(const std::filesystem::path& path, const std::string& bytes, unsigned mode = 0644);

}  // namespace onshi::files
