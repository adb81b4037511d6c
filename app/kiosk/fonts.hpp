#pragma once
// The font atlas: Noto Sans CJK JP at two sizes plus a large numeral font.
// Glyphs missing from the Japanese ranges (髙, 﨑 …) are added at run time: screens pass their text
// through need(), and the atlas is rebuilt between frames when something new shows up.
// The start-up atlas is cached on disk (docs/performance.md, "First frame"): a later start with the same
// font file, sizes, ranges, scale and ImGui reads the texture and glyph tables instead of rasterizing.
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "imgui.h"
#include "imgui_internal.h"  // ImTextCharFromUtf8

namespace onshi::kiosk {

struct FontConfig {
    std::string path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    int face = 0;          // face 0 of the TTC is Noto Sans CJK JP
    float body_px = 28.f;  // at scale 1.0 (1280×800)
    float title_px = 46.f;
    float numeral_px = 64.f;
    bool cache = true;                // keep the start-up atlas on disk
    std::filesystem::path cache_dir;  // "" → $XDG_CACHE_HOME/onshi-kiosk, else ~/.cache/onshi-kiosk
};

// The folder the atlas cache goes to for `cfg`; empty when caching is off or no folder can be named.
std::filesystem::path atlas_cache_dir(const FontConfig& cfg);

class Fonts {
public:
    explicit Fonts(FontConfig cfg = {}) : cfg_(std::move(cfg)) {}

    // Builds the atlas for a UI scale. Returns false when the CJK font file is missing
    // (the atlas then holds ImGui's default font only, and the caller shows the problem).
    bool build(float scale);
    // Records the codepoints of `utf8` that the atlas lacks; they are added on the next rebuild.
    void need(std::string_view utf8);
    bool rebuild_pending() const { return !pending_.empty(); }
    // Rebuilds when need() found new codepoints; call outside NewFrame()/Render().
    bool rebuild_if_needed();
    // Called after every rebuild, e.g. to upload the texture again (1.86 does not do it itself).
    std::function<void()> on_rebuilt;

    ImFont* body() const { return body_; }
    ImFont* title() const { return title_; }
    ImFont* numerals() const { return numerals_; }
    float scale() const { return scale_; }
    bool cjk_loaded() const { return cjk_loaded_; }
    bool has_glyph(unsigned codepoint) const;
    size_t extra_glyph_count() const { return extra_.size(); }
    size_t unrenderable_count() const { return unrenderable_.size(); }
    bool from_cache() const { return from_cache_; }  // the last build read the atlas cache
    std::filesystem::path cache_file() const;        // "" when caching is off

private:
    bool build_atlas();
    std::string cache_key() const;
    bool load_cache();  // false (and nothing changed that a build does not redo) on any mismatch or damage
    void save_cache() const;

    FontConfig cfg_;
    float scale_ = 1.f;
    bool cjk_loaded_ = false;
    bool from_cache_ = false;
    ImFont* body_ = nullptr;
    ImFont* title_ = nullptr;
    ImFont* numerals_ = nullptr;
    ImVector<ImWchar> ranges_;         // must outlive the atlas: ImFontConfig keeps the pointer
    std::set<ImWchar> extra_;          // codepoints added on top of the Japanese ranges
    std::set<unsigned> pending_;       // asked for, not yet in the atlas
    std::set<unsigned> unrenderable_;  // outside the BMP (16-bit ImWchar) or absent from the font
};

// UTF-8 → codepoints (invalid bytes become U+FFFD).
template <class F>
void for_each_codepoint(std::string_view s, F&& f) {
    const char* p = s.data();
    const char* end = p + s.size();
    while (p < end) {
        unsigned int c = 0;
        int n = ImTextCharFromUtf8(&c, p, end);
        if (n <= 0) break;
        f(c);
        p += n;
    }
}

}  // namespace onshi::kiosk
