#include "reader/emulator/synthetic.hpp"

#include <stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/util/files.hpp"

namespace onshi::emulator {

Grey synthetic_face(std::uint32_t seed, int w, int h) {
    auto rnd = [&seed](int lo, int hi) {
        seed = seed * 1664525u + 1013904223u;
        return lo + static_cast<int>((seed >> 8) % static_cast<std::uint32_t>(hi - lo + 1));
    };
    Grey g{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h)};
    int bg = rnd(170, 225), skin = rnd(120, 190), hair = rnd(10, 90);
    double cx = w / 2.0 + rnd(-6, 6), cy = h * 0.42, rx = w * rnd(26, 32) / 100.0, ry = h * rnd(27, 32) / 100.0;
    double hair_line = cy - ry * rnd(35, 70) / 100.0;
    int eye_dx = rnd(16, 24), eye_y = static_cast<int>(cy - ry * 0.1), mouth_w = rnd(14, 26);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            double dx = (x - cx) / rx, dy = (y - cy) / ry;
            double d = dx * dx + dy * dy;
            int v = bg - y / 8;
            double sx = (x - cx) / (w * 0.45), sy = (y - h * 1.05) / (h * 0.3);  // shoulders
            if (sx * sx + sy * sy < 1.0) v = hair + 40;
            if (d < 1.0)
                v = y < hair_line ? hair : skin - static_cast<int>(d * 25);
            else if (d < 1.15 && y < cy)
                v = hair;
            int ex1 = static_cast<int>(cx) - eye_dx, ex2 = static_cast<int>(cx) + eye_dx;
            if ((std::abs(x - ex1) < 6 || std::abs(x - ex2) < 6) && std::abs(y - eye_y) < 3) v = 30;
            if (std::abs(x - cx) < mouth_w && std::abs(y - (cy + ry * 0.5)) < 2) v = 60;
            if (std::abs(x - cx) < 3 && y > eye_y + 6 && y < cy + ry * 0.3) v = skin - 35;  // nose
            g.px[static_cast<std::size_t>(y) * w + x] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
        }
    return g;
}

namespace {
std::vector<std::uint32_t> code_points(const std::string& s) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        std::uint32_t cp = n == 1 ? c : c & (0x3F >> (n - 1));
        for (int k = 1; k < n && i + k < s.size(); ++k) cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(n);
    }
    return out;
}

const std::string* font_bytes() {
    static const std::optional<std::string> font =
        files::read("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    return font ? &*font : nullptr;
}
}  // namespace

Grey render_text(const std::string& utf8, int height) {
    auto cps = code_points(utf8);
    int w = std::max(8, static_cast<int>(cps.size()) * height + 4);
    Grey g{w, height, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * height, 255)};
    const std::string* font = font_bytes();
    stbtt_fontinfo info{};
    auto* data = font ? reinterpret_cast<const unsigned char*>(font->data()) : nullptr;
    bool have = data && stbtt_InitFont(&info, data, stbtt_GetFontOffsetForIndex(data, 0));
    float scale = have ? stbtt_ScaleForPixelHeight(&info, static_cast<float>(height) * 0.9f) : 0.f;
    int ascent = 0, descent = 0, gap = 0;
    if (have) stbtt_GetFontVMetrics(&info, &ascent, &descent, &gap);
    int pen = 2;
    for (auto cp : cps) {
        if (!have) {  // no font: an outlined box per character keeps the layout honest
            for (int y = 2; y < height - 2; ++y)
                for (int x = pen + 1; x < pen + height - 2; ++x)
                    if (y == 2 || y == height - 3 || x == pen + 1 || x == pen + height - 3)
                        g.px[static_cast<std::size_t>(y) * w + x] = 0;
            pen += height;
            continue;
        }
        int adv = 0, lsb = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        stbtt_GetCodepointHMetrics(&info, static_cast<int>(cp), &adv, &lsb);
        stbtt_GetCodepointBitmapBox(&info, static_cast<int>(cp), scale, scale, &x0, &y0, &x1, &y1);
        int bw = x1 - x0, bh = y1 - y0;
        if (bw > 0 && bh > 0) {
            std::vector<unsigned char> bmp(static_cast<std::size_t>(bw) * bh);
            stbtt_MakeCodepointBitmap(&info, bmp.data(), bw, bh, bw, scale, scale, static_cast<int>(cp));
            int base = static_cast<int>(static_cast<float>(ascent) * scale);
            for (int y = 0; y < bh; ++y)
                for (int x = 0; x < bw; ++x) {
                    int px = pen + x0 + x, py = base + y0 + y;
                    if (px >= 0 && px < w && py >= 0 && py < height && bmp[static_cast<std::size_t>(y) * bw + x] > 110)
                        g.px[static_cast<std::size_t>(py) * w + px] = 0;  // 1-bit, like the card
                }
        }
        pen += static_cast<int>(static_cast<float>(adv) * scale);
    }
    int used = std::clamp(pen + 2, 8, w);
    Grey out{used, height, std::vector<std::uint8_t>(static_cast<std::size_t>(used) * height)};
    for (int y = 0; y < height; ++y)
        std::copy_n(g.px.begin() + static_cast<std::ptrdiff_t>(y) * w, used,
                    out.px.begin() + static_cast<std::ptrdiff_t>(y) * used);
    return out;
}

}  // namespace onshi::emulator
