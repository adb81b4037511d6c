#pragma once
// The 薬剤・健診 page (core/medinfo/page.hpp) drawn: 薬剤 by month with the extraction-relevant highlights,
// 特定健診 values by year with a small trend chart per item (ImDrawList), a PDF answer as its rendered page
// through the Ui's texture hook. Intents go back as medinfo::PageIntent.
#include <vector>

#include "app/kiosk/ui.hpp"
#include "core/medinfo/page.hpp"

namespace onshi::kiosk {

void draw_medinfo(const medinfo::PageState& page, std::vector<medinfo::PageIntent>& intents, Ui& ui);

// The colour of a highlight's strip and row background.
ImU32 medinfo_highlight_color(medinfo::Highlight h);

}  // namespace onshi::kiosk
