#pragma once
// Small file helpers shared by the OQS transport, the ledger backups and the CLI.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

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

// Writes `bytes` so readers never see a half-written file and a killed writer leaves nothing behind:
// an unnamed O_TMPFILE in the same folder, fsynced, then linked in (straight to `path` when it does not
// exist yet; else under `path.tmp-PID`, renamed over `path` at once). Where the filesystem has no
// O_TMPFILE, the data goes to `path.tmp-PID` first (remove_stale_temps cleans what a kill leaves).
// The folder is fsynced after the rename. Throws std::runtime_error on failure.
void write_atomic(const std::filesystem::path& path, std::string_view bytes, unsigned mode = 0644);

// Removes regular files named `NAME.tmp-PID` in `dir` whose process no longer runs (left by a killed
// write_atomic or backup). Never follows symbolic links; returns how many were removed.
size_t remove_stale_temps(const std::filesystem::path& dir);

}  // namespace onshi::files
