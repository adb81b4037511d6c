// libFuzzer target: the BER-TLV parser and the structures built on it (card face EF 0002, AP certificate EF 0004).
#include <cstddef>
#include <cstdint>
#include <span>

#include "reader/mynumber/authenticity.hpp"
#include "reader/mynumber/card_face.hpp"
#include "reader/mynumber/tlv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> in(data, size);
    using namespace onshi::reader;
    try {
        for (const auto& t : parse_tlv_list(in)) {
            if (t.whole.size() != t.header + t.value.size()) __builtin_trap();
            (void)parse_tlv_list(t.value);
        }
    } catch (const TlvError&) {}
    (void)tlv_total_size(in);
    try {
        CardFace f = parse_card_face(in, false);
        if (f.signed_digests.size() != 96) __builtin_trap();
    } catch (const TlvError&) {
    } catch (const CardError&) {}
    (void)parse_ap_certificate(in);
    (void)key_from_tlv(in);
    return 0;
}
