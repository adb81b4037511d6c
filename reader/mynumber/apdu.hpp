#pragma once
// AIDs and the ISO commands the My Number card understands (short APDUs only: vpcd has no extended ones).
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "reader/pcsc/pcsc.hpp"

namespace onshi::reader {

using Aid = std::array<std::uint8_t, 10>;
// Always the full 10 bytes: JICSAP also matches prefixes, which could land in the wrong AP.
inline constexpr Aid kJpkiAid{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
inline constexpr Aid kTextAid{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
inline constexpr Aid kFaceAid{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};

// A status word the protocol did not expect; `step` names the command for the staff message.
struct CardError : std::runtime_error {
    CardError(const std::string& step, std::uint16_t sw);
    CardError(const std::string& message) : std::runtime_error(message), sw(0) {}
    std::uint16_t sw;
};

std::string sw_text(std::uint16_t sw);  // "6A82 file not found"

void select_df(Transport& t, const Aid& aid);
void select_ef(Transport& t, std::uint16_t fid);
// Reads `size` bytes of the selected EF in 256-byte chunks; stops early on a short read (end of file).
Bytes read_binary(Transport& t, std::size_t size);
// Reads a TLV-structured EF: the first bytes, the BER header, then the rest.
Bytes read_tlv_file(Transport& t);

// VERIFY without data on the selected key EF: tries left, no try used.
struct TryCounter {
    int left = 0;
    bool blocked = false;    // 63C0 or 6984/6983
    bool verified = false;   // 9000: already verified in this session
    bool unlimited = false;  // 6300
};
TryCounter query_tries(Transport& t);

}  // namespace onshi::reader
