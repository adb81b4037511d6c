#include "reader/mynumber/apdu.hpp"

#include <algorithm>
#include <cstdio>

#include "reader/mynumber/tlv.hpp"

namespace onshi::reader {

std::string sw_text(std::uint16_t sw) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%04X", sw);
    const char* what = "unexpected status";
    if (sw == 0x9000)
        what = "ok";
    else if (sw == 0x6A82)
        what = "file or application not found";
    else if (sw == 0x6A86)
        what = "bad P1/P2";
    else if ((sw & 0xFFF0) == 0x63C0)
        what = "wrong verification number";
    else if (sw == 0x6983 || sw == 0x6984)
        what = "blocked";
    else if (sw == 0x6982)
        what = "security status not satisfied";
    else if (sw == 0x6B00)
        what = "offset beyond the end of the file";
    else if (sw == 0x6700)
        what = "wrong length";
    else if (sw == 0x6D00)
        what = "instruction not supported";
    else if (sw == 0x6985)
        what = "conditions of use not satisfied";
    return std::string(hex) + " " + what;
}

CardError::CardError(const std::string& step, std::uint16_t s)
    : std::runtime_error(step + " failed: " + sw_text(s)), sw(s) {}

void select_df(Transport& t, const Aid& aid) {
    auto r = t.transmit(join({0x00, 0xA4, 0x04, 0x0C, 0x0A}, aid));
    if (!r.ok()) throw CardError("SELECT AP " + to_hex(aid), r.sw);
}

void select_ef(Transport& t, std::uint16_t fid) {
    auto r =
        t.transmit({0x00, 0xA4, 0x02, 0x0C, 0x02, static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)});
    if (!r.ok()) {
        char name[24];
        std::snprintf(name, sizeof name, "SELECT EF %04X", fid);
        throw CardError(name, r.sw);
    }
}

static Response read_at(Transport& t, std::size_t offset, std::size_t n) {
    return t.transmit({0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset),
                       static_cast<std::uint8_t>(n >= 256 ? 0 : n)});
}

Bytes read_binary(Transport& t, std::size_t size) {
    if (size > 0x7FFF + 256) throw CardError("READ BINARY: file larger than short offsets reach");
    Bytes out;
    while (out.size() < size) {
        std::size_t n = std::min<std::size_t>(256, size - out.size());
        auto r = read_at(t, out.size(), n);
        if (r.sw == 0x6B00 || r.sw == 0x6282) break;  // past the end
        if (!r.ok()) throw CardError("READ BINARY", r.sw);
        if (r.data.empty()) break;
        out.insert(out.end(), r.data.begin(), r.data.end());
        if (r.data.size() < n) break;
    }
    return out;
}

Bytes read_tlv_file(Transport& t) {
    Bytes head = read_binary(t, 7);
    auto total = tlv_total_size(head);
    if (!total) throw CardError("the file does not start with a TLV header");
    if (*total <= head.size()) {
        head.resize(*total);
        return head;
    }
    // Continue from offset 7 rather than re-reading the header.
    Bytes out = head;
    while (out.size() < *total) {
        std::size_t n = std::min<std::size_t>(256, *total - out.size());
        auto r = read_at(t, out.size(), n);
        if (!r.ok()) throw CardError("READ BINARY", r.sw);
        if (r.data.empty()) throw CardError("the file is shorter than its TLV header says");
        out.insert(out.end(), r.data.begin(), r.data.end());
    }
    out.resize(*total);
    return out;
}

TryCounter query_tries(Transport& t) {
    auto r = t.transmit({0x00, 0x20, 0x00, 0x80});
    TryCounter c;
    if ((r.sw & 0xFFF0) == 0x63C0) {
        c.left = r.sw & 0x0F;
        c.blocked = c.left == 0;
    } else if (r.sw == 0x6984 || r.sw == 0x6983) {
        c.blocked = true;
    } else if (r.sw == 0x6300) {
        c.unlimited = true;
    } else if (r.sw == 0x9000) {
        c.verified = true;
    } else {
        throw CardError("VERIFY (retry counter query)", r.sw);
    }
    return c;
}

}  // namespace onshi::reader
