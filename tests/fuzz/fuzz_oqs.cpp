// libFuzzer target: arbitrary bytes through the OQS file parser (declaration sniffing, ICU, pugixml,
// the message tables and the derived JSON). Every input must end in a message or an OqsError, and
// parse_message (the fast path for plain XML, then the DOM) must give what parse_file gives: the same
// message or the same error.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
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
    std::string tree_outcome = "ok", direct_outcome = "ok";
    ParsedFile f;
    Message direct;
    try {
        f = parse_file(bytes, kind);
    } catch (const OqsError& e) {
        tree_outcome = e.what();
    }
    try {
        if (tree_outcome == "ok") {
            (void)parse_json(f).dump();
            (void)serialize(f.message, f.document.encoding);
        }
    } catch (const OqsError&) {
    }
    try {
        direct = parse_message(bytes, kind);
    } catch (const OqsError& e) {
        direct_outcome = e.what();
    }
    if (direct_outcome != tree_outcome || (tree_outcome == "ok" && !(direct == f.message))) {
        std::fprintf(stderr, "fuzz_oqs: parse_message gave \"%s\", parse_file \"%s\"\n", direct_outcome.c_str(),
                     tree_outcome.c_str());
        std::abort();
    }
    return 0;
}
