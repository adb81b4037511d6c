#pragma once
// BER-TLV as the My Number card writes it: multi-byte tags (FF20, DF21, 5F4E, 7F21 ...) and
// definite lengths in short or long form (81 xx, 82 xx xx, 83 xx xx xx). Filler 00/FF ends a sequence.
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

namespace onshi::reader {

struct TlvError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Tlv {
    std::uint32_t tag = 0;
    std::size_t header = 0;               // bytes of tag + length
    std::span<const std::uint8_t> value;  // points into the parsed buffer
    std::span<const std::uint8_t> whole;  // header + value, as written (what the card hashes)
};

// Parses one TLV at the start of `in`; throws TlvError on truncation or a bad length.
Tlv parse_tlv(std::span<const std::uint8_t> in);

// Header only: total size of the object starting `in` (for reading a file in two steps); nullopt when
// `in` is too short to tell or the header is malformed.
std::optional<std::size_t> tlv_total_size(std::span<const std::uint8_t> in);

// All TLVs in `in` one after the other, stopping at 00/FF filler or the end.
std::vector<Tlv> parse_tlv_list(std::span<const std::uint8_t> in);

const Tlv* find_tag(const std::vector<Tlv>& list, std::uint32_t tag);

// Encoding, for the emulator and the tests.
void append_tlv(std::vector<std::uint8_t>& out, std::uint32_t tag, std::span<const std::uint8_t> value);

}  // namespace onshi::reader
