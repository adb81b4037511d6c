#pragma once
// The telephone-layout pad: 1-2-3 on top, 訂正 bottom-left, 確定 bottom-right, digits shown as ●.
// Screens draw it; the digits live in the screen-local Entries until 確定 turns them into an intent.
#include <string>

#include "app/kiosk/ui.hpp"

namespace onshi::kiosk {

enum class PadResult { None, Changed, Submit };

struct PinPadSpec {
    size_t min_digits = 6;
    size_t max_digits = 8;
    bool masked = true;      // ● instead of the digits (passcodes); 照合番号B shows digits
    bool enabled = true;     // false while locked out
    bool can_submit = true;  // false while nothing can check the entry yet
    bool backspace = false;  // 訂正 removes the last digit (long entries) instead of clearing
    bool show_entry = true;  // false when the screen shows the digits itself
    float key_px = 96;       // key size at scale 1 (never under 48)
};

// Edits `digits` in place; the ids are key:0 … key:9, key:clear, key:ok.
PadResult pin_pad(Ui& ui, std::string& digits, const PinPadSpec& spec);

}  // namespace onshi::kiosk
