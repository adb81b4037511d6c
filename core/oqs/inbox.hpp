#pragma once
// Inbox: the files the terminal puts into res/ and face/, taken in safely. A name is noted when inotify
// reports it; it is read once the writer is done (closed or renamed in, or size and time unchanged for
// `settle`), through files::read_regular: never through a symlink, never a FIFO or a device, never more than
// the limit. A file that does not parse yet is read again until `give_up`, then reported. The inbox never
// decides whom a file answers: that is the Matcher's job.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"

namespace onshi::oqs {

struct InboxOptions {
    std::chrono::milliseconds settle{300};
    std::chrono::milliseconds give_up{10000};
    DecodeOptions decode;  // decode.max_bytes bounds every XML read
};

// A .err file is one line of text from the terminal; more than this is not read.
inline constexpr size_t kMaxErrBytes = 64 * 1024;

// One file taken in (or refused).
struct Arrival {
    enum class Kind {
        Xml,      // parsed: `message`
        Err,      // a .err file: `text` is its content as one line
        Raw,      // a YZK/TKK answer (XML or PDF): `raw` holds its bytes, not parsed here
        Refused,  // symlink, FIFO or device, too large, unreadable, or still not a message at give_up
    };
    bool face = false;
    std::string name;
    Kind kind = Kind::Refused;
    std::optional<Message> message;
    std::string text;
    std::string raw;
    ErrorKind error_kind = ErrorKind::Io;
    std::string error;  // Refused: one English line, never the file's content
};

class Inbox {
public:
    using Clock = std::chrono::steady_clock;
    Inbox(std::filesystem::path res_dir, std::filesystem::path face_dir, InboxOptions opt);

    // Names worth a look: printable ASCII (every OQS name is), no dot file, *.xml or *.err in res/ (and *.pdf,
    // the PDF form of a YZK/TKK answer),
    // OQSsiquc01res_face_*.xml in face/.
    static bool wanted(bool face, const std::string& name);

    // `complete`: the writer closed or renamed the file in. `from_scan`: found by a rescan, not an event.
    void note(bool face, const std::string& name, bool complete, bool from_scan = false);
    void rescan();  // every file of res/ and face/ (start, inotify overflow)

    struct Due {
        std::string key;  // "res/<name>" or "face/<name>"
        bool face = false;
        std::string name;
        bool quiet = false;  // found by a rescan: an old answer is no duplicate
    };
    std::vector<Due> due();  // candidates whose time has come
    // Still there and no longer changing? Reschedules a changing file; drops a vanished one.
    bool settled(const Due& d);
    // Reads and parses a settled candidate. nullopt: not a complete message yet (looked at again later).
    std::optional<Arrival> read(const Due& d);
    void drop(const std::string& key);
    long long ms_to_next() const;  // -1 when nothing is waiting

private:
    struct Stamp {
        long long size = -1, mtime_ns = 0;
        bool operator==(const Stamp&) const = default;
    };
    struct Candidate {
        bool face = false, quiet = false, eager = false;
        Stamp last;
        Clock::time_point first_seen, due;
    };
    std::optional<Arrival> retry_or_refuse(const Due& d, ErrorKind kind, const std::string& why);

    std::filesystem::path res_dir_, face_dir_;
    InboxOptions opt_;
    std::map<std::string, Candidate> candidates_;
};

}  // namespace onshi::oqs
