#pragma once
// The JSON `onshi oqs parse` and `onshi oqs request` print: the tree as read plus a
// `derived` view with dates as YYYY-MM-DD, insurer numbers without padding, and the status.
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"
#include "core/util/json.hpp"

namespace onshi::oqs {

// Element name → key, repeated element → array, leaf → its text.
Json element_json(const Element& e);
Json result_json(const QualificationResult& r);  // {"status","validity","error","results"}
Json parse_json(const ParsedFile& f);            // {"kind","header","body","results","derived"}

}  // namespace onshi::oqs
