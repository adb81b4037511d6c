#include "core/ledger/packed_text.hpp"

#include <lz4.h>

#include <cstdint>
#include <vector>

#include "core/ledger/error.hpp"

namespace onshi::ledger::packed {
namespace {

// The stored form: one tag byte, the text's length in 4 bytes (little-endian), then the text as one LZ4 block.
constexpr char kLz4Block = 1;
constexpr size_t kHeader = 5;

LedgerError damaged(const std::string& why) {
    return LedgerError(ErrorCode::Corrupt, "ledger file is damaged: a stored answer " + why,
                       "患者原簿のファイルが破損しています。管理者に連絡してください。");
}

}  // namespace

std::optional<std::string> pack(std::string_view text) {
    if (text.size() < kPackFrom || text.size() > kMaxText) return std::nullopt;
    // LZ4's state (16 kB) once a thread; it is reset for each text.
    thread_local std::vector<char> state(static_cast<size_t>(LZ4_sizeofState()));
    std::string out(text.size() - 1, '\0');  // a form this long or longer saves nothing
    if (out.size() <= kHeader) return std::nullopt;
    const int n = LZ4_compress_fast_extState(state.data(), text.data(), out.data() + kHeader, int(text.size()),
                                             int(out.size() - kHeader), 1);
    if (n <= 0) return std::nullopt;  // does not fit: not smaller
    const auto size = uint32_t(text.size());
    out[0] = kLz4Block;
    for (size_t i = 0; i < 4; ++i) out[1 + i] = char((size >> (8 * i)) & 0xFF);
    out.resize(kHeader + size_t(n));
    return out;
}

std::string unpack(std::string_view stored) {
    if (stored.size() <= kHeader || stored[0] != kLz4Block) throw damaged("is not in a form this program wrote");
    uint32_t size = 0;
    for (size_t i = 0; i < 4; ++i) size |= uint32_t(uint8_t(stored[1 + i])) << (8 * i);
    if (size > kMaxText) throw damaged("claims more than " + std::to_string(kMaxText >> 20) + " MiB");
    std::string out(size, '\0');
    // The safe decoder reads and writes only inside the buffers, and tells a block that does not fill exactly
    // `size` bytes (cut short, altered, followed by other bytes) by its result.
    const int n = LZ4_decompress_safe(stored.data() + kHeader, out.data(), int(stored.size() - kHeader), int(size));
    if (n < 0 || uint32_t(n) != size) throw damaged("does not decode to its length");
    return out;
}

}  // namespace onshi::ledger::packed
