#pragma once
// Small file helpers shared by the OQS transport, the ledger backups and the CLI.
#include <filesystem>
#include <optional>
#include <string>

namespace onshi::files {

// Whole file as bytes; nullopt when it cannot be opened.
std::optional<std::string> read(const std::filesystem::path& path);

// Reading a file that someone else controls (the shared OQS folders, a path on the command line).
// Opens with O_NOFOLLOW | O_NONBLOCK, checks the *descriptor* with fstat (no stat-then-open race),
// accepts only a regular file, and reads at most `max_bytes`. Never blocks on a FIFO or a device.
enum class ReadError { None, Missing, Symlink, NotRegular, TooLarge, Io };
struct BoundedRead {
    std::string bytes;
    ReadError error = ReadError::None;
    std::string message_en;  // one line for logs and the CLI; "" when ok
    bool ok() const { return error == ReadError::None; }
};
BoundedRead read_regular(const std::filesystem::path& path, size_t max_bytes);

// Writes to a temporary name in the same folder, fsyncs, then renames over `path`,
// so readers never see a half-written file. Throws std::runtime_error on failure.
void write_atomic(const std::filesystem::path& path, const std::string& bytes, unsigned mode = 0644);

}  // namespace onshi::files
