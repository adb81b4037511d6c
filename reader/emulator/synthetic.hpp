#pragma once
// Synthetic card-face pictures: a drawn (not real) face, and text rendered with the system CJK font.
#include <cstdint>
#include <string>
#include <vector>

namespace onshi::emulator {

struct Grey {
    int width = 0, height = 0;
    std::vector<std::uint8_t> px;
};

// A cartoon face whose shapes vary with `seed`; no real person.
Grey synthetic_face(std::uint32_t seed, int width = 192, int height = 240);
// One line of black text on white, 1-bit like the card (Noto Sans CJK; a box per glyph if the font is missing).
Grey render_text(const std::string& utf8, int height);

}  // namespace onshi::emulator
