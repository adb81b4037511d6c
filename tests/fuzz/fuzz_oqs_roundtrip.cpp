// libFuzzer target: bytes → decode → QualificationResult → serialize → decode again → JSON view.
// Every input must end in a message or the codec's own OqsError. A decoded message holds only valid
// UTF-8 of XML characters, its JSON view dumps without the error handler's help, and what serialize
// writes for it decodes again to the same message (docs/security.md, "OQS XML messages").
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/oqs/error.hpp"
#include "core/oqs/json_view.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"

using namespace onshi::oqs;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_oqs_roundtrip: %s\n", what);
    std::abort();
}

void check_text(const Element& e) {
    if (first_non_xml_char(e.name) != std::string_view::npos) fail("an element name is not UTF-8 XML text");
    if (first_non_xml_char(e.text) != std::string_view::npos) fail("a text is not UTF-8 XML text");
    for (const Element& c : e.children) check_text(c);
}

void check_result(const QualificationResult& r) {
    if (first_invalid_utf8(r.label()) != std::string_view::npos) fail("a status label is not UTF-8");
    (void)result_json(r).dump();
}

// Writes `m` in `e` and reads it back: the same message, and the same tree as write_message.
void round_trip(const Message& m, Encoding e, bool may_not_fit) {
    std::string bytes;
    try {
        bytes = serialize(m, e);
    } catch (const OqsError& err) {
        // Only a character the target encoding cannot carry (a decoded &#x1F600; in a Shift_JIS file).
        if (may_not_fit && err.kind == ErrorKind::Encoding) return;
        std::fprintf(stderr, "%s\n", err.what());
        fail("serialize refused a decoded message");
    }
    DecodeOptions opt;
    opt.check_character_code = false;  // the header still names the encoding the file was read in
    ParsedFile again;
    try {
        again = parse_file(bytes, m.kind, opt);
    } catch (const OqsError& err) {
        std::fprintf(stderr, "%s\n", err.what());
        fail("what serialize wrote does not decode");
    }
    if (!(again.message == m)) fail("serialize then decode changed the message");
    if (!(again.document.root == write_message(m))) fail("serialize then decode changed the tree");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    // The first byte picks the message kind, so every table is reached.
    MessageKind kind = size ? MessageKind(data[0] % 14) : MessageKind::Face;
    if (size) bytes.remove_prefix(1);
    ParsedFile f;
    try {
        f = parse_file(bytes, kind);
    } catch (const OqsError&) {
        return 0;
    }
    check_text(f.document.root);
    check_text(write_message(f.message));

    check_result(qualification_result(f.message));
    for (const BulkConfirmUnit& u : f.message.body.units) check_result(qualification_result(f.message, u));
    (void)parse_json(f).dump();  // throws on invalid UTF-8: the view must never see any

    round_trip(f.message, Encoding::Utf8, false);
    if (f.document.encoding != Encoding::Utf8) round_trip(f.message, f.document.encoding, true);
    return 0;
}
