// libFuzzer target: arbitrary bytes through the 薬剤情報 / 特定健診情報 answer parsers (declaration sniffing,
// ICU, pugixml, the Sh/Cz prefixes, the line budget) and the viewer's model built from what they return. Every
// input must end in an answer or an OqsError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/medinfo/view.hpp"
#include "core/oqs/error.hpp"
#include "core/oqs/medinfo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    using namespace onshi;
    // The first byte picks the parser (and a small line budget, so the limit is reached too).
    const uint8_t pick = size ? data[0] : 0;
    if (size) bytes.remove_prefix(1);
    oqs::medinfo::Limits limits;
    if (pick & 2) limits.max_lines = 16;
    try {
        if (pick & 1) {
            auto a = oqs::medinfo::parse_checkup(bytes, limits);
            (void)oqs::medinfo::to_json(a).dump();
            (void)medinfo::checkup_view(a);
        } else {
            auto a = oqs::medinfo::parse_drug(bytes, limits);
            (void)oqs::medinfo::to_json(a).dump();
            (void)medinfo::drug_view(a);
        }
    } catch (const oqs::OqsError&) {
    }
    return 0;
}
