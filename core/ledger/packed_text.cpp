#include "core/ledger/packed_text.hpp"

#include <zlib.h>

#include <algorithm>

#include "core/ledger/error.hpp"

namespace onshi::ledger::packed {
namespace {

// One deflate state a thread, reset for each value: deflateInit allocates ~260 kB, deflateReset clears it.
// Level 1: a 2 kB answer deflates to 711 bytes in ~10 µs, against 668 bytes in ~13 µs at the default level,
// and the time is spent inside the counter's write transaction.
struct Deflater {
    z_stream z{};
    bool ready = false;
    Deflater() { ready = deflateInit(&z, 1) == Z_OK; }
    ~Deflater() {
        if (ready) deflateEnd(&z);
    }
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;
};

LedgerError damaged(const std::string& why) {
    return LedgerError(ErrorCode::Corrupt, "ledger file is damaged: a stored answer " + why,
                       "患者原簿のファイルが破損しています。管理者に連絡してください。");
}

}  // namespace

std::optional<std::string> pack(std::string_view text) {
    if (text.size() < kPackFrom || text.size() > kMaxText) return std::nullopt;
    thread_local Deflater d;
    if (!d.ready || deflateReset(&d.z) != Z_OK) return std::nullopt;  // stored as text: nothing is lost
    std::string out(text.size() - 1, '\0');                           // a stream this long or longer saves nothing
    d.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    d.z.avail_in = uInt(text.size());
    d.z.next_out = reinterpret_cast<Bytef*>(out.data());
    d.z.avail_out = uInt(out.size());
    if (deflate(&d.z, Z_FINISH) != Z_STREAM_END) return std::nullopt;  // out of room: not smaller
    out.resize(d.z.total_out);
    return out;
}

std::string unpack(std::string_view stream) {
    z_stream z{};
    if (inflateInit(&z) != Z_OK)
        throw LedgerError(ErrorCode::Io, "zlib: cannot start inflating", "患者原簿を読めません。");
    struct End {
        z_stream& z;
        ~End() { inflateEnd(&z); }
    } end{z};
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stream.data()));
    z.avail_in = uInt(stream.size());
    std::string out;
    size_t room = stream.size() * 4 + 64;  // answers deflate about threefold
    for (;;) {
        room = std::min(room, kMaxText + 1);
        const size_t done = out.size();
        out.resize(room);
        z.next_out = reinterpret_cast<Bytef*>(out.data() + done);
        z.avail_out = uInt(room - done);
        const int rc = inflate(&z, Z_NO_FLUSH);
        out.resize(room - z.avail_out);
        if (rc == Z_STREAM_END) {
            if (z.avail_in != 0) throw damaged("has bytes after its end");
            return out;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw damaged(std::string("does not inflate (") + (z.msg ? z.msg : "zlib") + ")");
        if (z.avail_out != 0) throw damaged("is cut short");  // all input read, the stream not ended
        if (out.size() > kMaxText) throw damaged("is larger than " + std::to_string(kMaxText >> 20) + " MiB");
        room = out.size() * 2;
    }
}

}  // namespace onshi::ledger::packed
