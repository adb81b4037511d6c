#include "reader/mynumber/tlv.hpp"

namespace onshi::reader {

namespace {
// Returns {tag, tag bytes, value length, header bytes}; nullopt when `in` is too short.
struct Head {
    std::uint32_t tag;
    std::size_t length;
    std::size_t header;
};

std::optional<Head> head(std::span<const std::uint8_t> in) {
    if (in.empty()) return std::nullopt;
    std::size_t i = 0;
    std::uint32_t tag = in[i++];
    if ((tag & 0x1F) == 0x1F) {  // multi-byte tag: continuation bit 8 on the following bytes
        do {
            if (i >= in.size()) return std::nullopt;
            if (i >= 4) throw TlvError("TLV tag longer than 4 bytes");
            tag = tag << 8 | in[i];
        } while (in[i++] & 0x80);
    }
    if (i >= in.size()) return std::nullopt;
    std::size_t len = in[i++];
    if (len == 0x80) throw TlvError("TLV with indefinite length");
    if (len > 0x80) {
        std::size_t n = len & 0x7F;
        if (n > 3) throw TlvError("TLV length field longer than 3 bytes");
        if (i + n > in.size()) return std::nullopt;
        len = 0;
        for (std::size_t k = 0; k < n; ++k) len = len << 8 | in[i++];
    }
    return Head{tag, len, i};
}
}  // namespace

std::optional<std::size_t> tlv_total_size(std::span<const std::uint8_t> in) {
    try {  // found by fuzz_tlv: a malformed header must not escape as an exception here
        auto h = head(in);
        if (!h) return std::nullopt;
        return h->header + h->length;
    } catch (const TlvError&) {
        return std::nullopt;
    }
}

Tlv parse_tlv(std::span<const std::uint8_t> in) {
    auto h = head(in);
    if (!h) throw TlvError("TLV header truncated");
    if (h->length > in.size() - h->header) throw TlvError("TLV value truncated");
    Tlv t;
    t.tag = h->tag;
    t.header = h->header;
    t.value = in.subspan(h->header, h->length);
    t.whole = in.subspan(0, h->header + h->length);
    return t;
}

std::vector<Tlv> parse_tlv_list(std::span<const std::uint8_t> in) {
    std::vector<Tlv> out;
    std::size_t pos = 0;
    // Filler is 00 or FF FF; a lone FF at the end is filler too, but FF10/FF20 are real tags.
    auto filler = [&](std::size_t at) {
        return in[at] == 0x00 || (in[at] == 0xFF && (at + 1 == in.size() || in[at + 1] == 0xFF));
    };
    while (pos < in.size() && !filler(pos)) {
        out.push_back(parse_tlv(in.subspan(pos)));
        pos += out.back().whole.size();
    }
    return out;
}

const Tlv* find_tag(const std::vector<Tlv>& list, std::uint32_t tag) {
    for (const auto& t : list)
        if (t.tag == tag) return &t;
    return nullptr;
}

void append_tlv(std::vector<std::uint8_t>& out, std::uint32_t tag, std::span<const std::uint8_t> value) {
    for (int shift = 24; shift > 0; shift -= 8)
        if (tag >> shift) out.push_back(static_cast<std::uint8_t>(tag >> shift));
    out.push_back(static_cast<std::uint8_t>(tag));
    std::size_t n = value.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else if (n <= 0xFF) {
        out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
    } else if (n <= 0xFFFF) {
        out.insert(out.end(), {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
    } else {
        out.insert(out.end(), {0x83, static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                               static_cast<std::uint8_t>(n)});
    }
    out.insert(out.end(), value.begin(), value.end());
}

}  // namespace onshi::reader
