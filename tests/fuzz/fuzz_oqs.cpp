// libFuzzer target: arbitrary bytes through the OQS file parser (declaration sniffing, ICU, pugixml,
// the message tables and the derived JSON). Every input must end in a message or an OqsError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/oqs/error.hpp"
#include "core/oqs/json_view.hpp"
#include "core/oqs/messages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    using namespace onshi::oqs;
    // The first byte picks the message kind, so every table is reached.
    MessageKind kind = size ? MessageKind(data[0] % 14) : MessageKind::Face;
    if (size) bytes.remove_prefix(1);
    try {
        ParsedFile f = parse_file(bytes, kind);
        (void)parse_json(f).dump();
        (void)serialize(f.message, f.document.encoding);
    } catch (const OqsError&) {}
    return 0;
}
