#pragma once
// One exception type for every way an OQS file can be unusable; `what()` is the one-line reason
// the CLI prints and the flow shows, `kind` lets callers and tests tell the faults apart.
#include <stdexcept>
#include <string>

namespace onshi::oqs {

enum class ErrorKind {
    TooLarge,   // over a DecodeOptions limit (bytes, elements, records): refused before the tree is built
    Encoding,   // bytes disagree with the XML declaration, or text a CP932 file cannot carry
    Malformed,  // not well-formed XML, truncated, wrong root or shape, nested too deeply, or a
                // character XML forbids (raw or as a reference such as &#0;)
    Mismatch,   // CharacterCodeIdentifier, MedicalInstitutionCode or ArbitraryFileIdentifier disagree
    Rejected,   // the terminal bounced the request (.err)
    Io,         // the folder or file could not be read or written
    Usage,      // a request the caller built is incomplete or invalid
};

struct OqsError : std::runtime_error {
    OqsError(ErrorKind k, const std::string& what) : std::runtime_error(what), kind(k) {}
    ErrorKind kind;
};

const char* to_string(ErrorKind k);

}  // namespace onshi::oqs
