#include "app/kiosk/fonts.hpp"

#include <filesystem>

#include "core/util/log.hpp"

namespace onshi::kiosk {

static const ImWchar kNumeralRanges[] = {0x0020, 0x007E, 0x25CF, 0x25CF, 0};  // ASCII and ● for masked digits

bool Fonts::build(float scale) {
    scale_ = scale;
    return build_atlas();
}

bool Fonts::build_atlas() {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();  // invalidates every ImFont* handed out before
    io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;

    ImFontGlyphRangesBuilder b;
    b.AddRanges(io.Fonts->GetGlyphRangesJapanese());
    for (ImWchar c : extra_) b.AddChar(c);
    b.AddChar(0x25CF);  // ●
    b.AddChar(0x2460);  // ① … used for numbered guidance
    ranges_.clear();
    b.BuildRanges(&ranges_);

    cjk_loaded_ = std::filesystem::exists(cfg_.path);
    if (cjk_loaded_) {
        ImFontConfig fc;
        fc.FontNo = cfg_.face;
        fc.OversampleH = 1;  // CJK at ≥20 px: 1× halves the atlas with no visible loss
        fc.PixelSnapH = true;
        body_ = io.Fonts->AddFontFromFileTTF(cfg_.path.c_str(), cfg_.body_px * scale_, &fc, ranges_.Data);
        title_ = io.Fonts->AddFontFromFileTTF(cfg_.path.c_str(), cfg_.title_px * scale_, &fc, ranges_.Data);
        numerals_ = io.Fonts->AddFontFromFileTTF(cfg_.path.c_str(), cfg_.numeral_px * scale_, &fc, kNumeralRanges);
        cjk_loaded_ = body_ && title_ && numerals_;
    }
    if (!cjk_loaded_) {
        log::error("fonts", "Japanese font not found at " + cfg_.path + " (install fonts-noto-cjk)");
        io.Fonts->Clear();
        ImFontConfig fc;
        fc.SizePixels = 13.f * 2.f * scale_;
        body_ = title_ = numerals_ = io.Fonts->AddFontDefault(&fc);
    }
    io.Fonts->Build();
    // Each AddFontFromFileTTF kept its own copy of the 19.5 MB collection; the glyphs are in the atlas now,
    // and a rebuild reads the file again, so the copies can go (about 60 MB).
    io.Fonts->ClearInputData();
    io.FontDefault = body_;

    // Whatever is still missing after a build with it requested cannot be drawn by this font.
    for (unsigned c : pending_)
        if (!has_glyph(c)) unrenderable_.insert(c);
    if (!unrenderable_.empty() && !pending_.empty())
        log::warn("fonts", std::to_string(unrenderable_.size()) + " codepoint(s) cannot be drawn by the font");
    pending_.clear();
    if (on_rebuilt) on_rebuilt();
    return cjk_loaded_;
}

bool Fonts::has_glyph(unsigned c) const {
    if (c > 0xFFFF || !body_) return false;
    return body_->FindGlyphNoFallback(ImWchar(c)) != nullptr;
}

void Fonts::need(std::string_view utf8) {
    for_each_codepoint(utf8, [&](unsigned c) {
        if (c < 0x80 || has_glyph(c) || unrenderable_.count(c) || pending_.count(c)) return;
        if (c > 0xFFFF || c == 0xFFFD) {  // Debian's lib uses 16-bit ImWchar: 𠮷 cannot be shown
            unrenderable_.insert(c);
            log::warn("fonts", "codepoint outside the BMP cannot be drawn with 16-bit ImWchar");
            return;
        }
        pending_.insert(c);
    });
}

bool Fonts::rebuild_if_needed() {
    if (pending_.empty()) return false;
    for (unsigned c : pending_) extra_.insert(ImWchar(c));
    log::info("fonts", "adding " + std::to_string(pending_.size()) + " glyph(s) to the atlas");
    build_atlas();
    return true;
}

}  // namespace onshi::kiosk
