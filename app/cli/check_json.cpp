#include "app/cli/check_json.hpp"

#include "core/intake/column_text.hpp"

namespace onshi::cli {

Json check_json(const ledger::QualificationCheck& c) {
    Json j = {{"id", c.id},
              {"karte", c.karte},
              {"checked_at", c.checked_at},
              {"method", ledger::to_code(c.method)},
              {"method_ja", ledger::to_japanese(c.method)},
              {"validity", c.validity},
              {"processing_status", c.processing_status},
              {"result_code", c.result_code},
              {"message", c.message},
              {"staff_id", c.staff_id},
              {"status", intake::status_of(c)},
              {"status_word", intake::status_word(c)},
              {"column_text", intake::column_text(c)},
              {"visual_reason", c.visual_reason}};
    if (c.card_id) j["card_id"] = c.card_id;
    if (!c.request.empty()) j["request"] = c.request;
    if (!c.raw_xml.empty()) j["raw_xml"] = c.raw_xml;
    return j;
}

}  // namespace onshi::cli
