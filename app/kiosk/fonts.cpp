#include "app/kiosk/fonts.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <type_traits>
#include <vector>

#include "core/util/files.hpp"
#include "core/util/log.hpp"

namespace onshi::kiosk {

static const ImWchar kNumeralRanges[] = {0x0020, 0x007E, 0x25CF, 0x25CF, 0};  // ASCII and ● for masked digits

namespace {

namespace fs = std::filesystem;

// The font collection mapped read-only for one build: the three sizes read it in place, and only the pages
// of the face in use are touched. AddFontFromFileTTF read the whole 19.5 MB file into a heap copy for each
// size (docs/performance.md, "Font atlas rebuilds").
class MappedFont {
public:
    explicit MappedFont(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat st {};
        if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= INT32_MAX) {
            void* p = ::mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) {
                data_ = p;
                size_ = size_t(st.st_size);
            }
        }
        ::close(fd);
    }
    ~MappedFont() {
        if (data_) ::munmap(data_, size_);
    }
    MappedFont(const MappedFont&) = delete;
    MappedFont& operator=(const MappedFont&) = delete;
    // ImGui takes a non-const pointer; with FontDataOwnedByAtlas = false it only reads and never frees it.
    void* data() const { return data_; }
    int size() const { return int(size_); }

private:
    void* data_ = nullptr;
    size_t size_ = 0;
};

// The atlas cache file: "ONSHIATL", format, key (every input of the build), the atlas fields a build sets,
// each font's metrics and glyphs, the alpha texture, then an FNV-1a 64 checksum of all before it. Native
// byte order and struct layout: the key names the ImGui version and the glyph and ImWchar sizes.
constexpr char kMagic[8] = {'O', 'N', 'S', 'H', 'I', 'A', 'T', 'L'};
constexpr uint32_t kFormat = 1;
constexpr size_t kMaxCacheBytes = 64u << 20;  // a 1.35-scale atlas is 2048×4094 alpha bytes plus ~1 MB glyphs
constexpr int kMaxTexSide = 16384;
constexpr uint32_t kMaxGlyphs = 65535;  // ImFont indexes glyphs with 16-bit ImWchar
static_assert(std::is_trivially_copyable_v<ImFontGlyph>);

uint64_t fnv1a(const void* data, size_t n, uint64_t h = 0xcbf29ce484222325ull) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

template <class T>
void put(std::string& out, const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// Reads fixed-size values from the cache bytes; `ok` turns false at the first read past the end.
struct Reader {
    std::string_view bytes;
    size_t at = 0;
    bool ok = true;
    template <class T>
    T get() {
        T v{};
        if (!take(&v, sizeof v)) ok = false;
        return v;
    }
    bool take(void* dst, size_t n) {
        if (!ok || bytes.size() - at < n) return ok = false;
        std::memcpy(dst, bytes.data() + at, n);
        at += n;
        return true;
    }
};

struct CachedFont {
    float size, ascent, descent;
    int surface;
    ImWchar fallback, ellipsis, dot;
    ImVector<ImFontGlyph> glyphs;
};

}  // namespace

fs::path atlas_cache_dir(const FontConfig& cfg) {
    if (!cfg.cache) return {};
    if (!cfg.cache_dir.empty()) return cfg.cache_dir;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x == '/') return fs::path(x) / "onshi-kiosk";
    if (const char* h = std::getenv("HOME"); h && *h == '/') return fs::path(h) / ".cache" / "onshi-kiosk";
    return {};
}

fs::path Fonts::cache_file() const {
    fs::path dir = atlas_cache_dir(cfg_);
    if (dir.empty()) return {};
    char name[32];
    std::snprintf(name, sizeof name, "font-atlas-%03d.bin", int(scale_ * 100.f + 0.5f));
    return dir / name;
}

// Everything the built atlas depends on. A different key is a miss: the atlas is built and the file replaced.
std::string Fonts::cache_key() const {
    std::error_code ec;
    const auto size = fs::file_size(cfg_.path, ec);
    const auto mtime = fs::last_write_time(cfg_.path, ec).time_since_epoch().count();
    const ImFontAtlas* a = ImGui::GetIO().Fonts;
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "imgui=%d glyph=%zu wchar=%zu font=%zu face=%d size=%llu mtime=%lld scale=%.6f px=%.3f,%.3f,%.3f "
                  "oversample=1 snap=1 flags=%d pad=%d width=%d ranges=%d:%016llx numerals=%016llx path=",
                  IMGUI_VERSION_NUM, sizeof(ImFontGlyph), sizeof(ImWchar), sizeof(ImFont), cfg_.face,
                  static_cast<unsigned long long>(ec ? 0 : size), static_cast<long long>(mtime), double(scale_),
                  double(cfg_.body_px), double(cfg_.title_px), double(cfg_.numeral_px), int(a->Flags),
                  a->TexGlyphPadding, a->TexDesiredWidth, ranges_.Size,
                  static_cast<unsigned long long>(fnv1a(ranges_.Data, size_t(ranges_.Size) * sizeof(ImWchar))),
                  static_cast<unsigned long long>(fnv1a(kNumeralRanges, sizeof kNumeralRanges)));
    return buf + cfg_.path;
}

void Fonts::save_cache() const {
    const fs::path file = cache_file();
    if (file.empty()) return;
    const ImFontAtlas* a = ImGui::GetIO().Fonts;
    if (!a->TexPixelsAlpha8 || a->TexWidth <= 0 || a->TexHeight <= 0) return;
    try {
        std::string out(kMagic, sizeof kMagic);
        put(out, kFormat);
        const std::string key = cache_key();
        put(out, uint32_t(key.size()));
        out += key;
        put(out, a->TexWidth);
        put(out, a->TexHeight);
        put(out, a->TexUvScale);
        put(out, a->TexUvWhitePixel);
        put(out, a->TexUvLines);
        put(out, uint32_t(a->Fonts.Size));
        for (const ImFont* f : a->Fonts) {
            put(out, f->FontSize);
            put(out, f->Ascent);
            put(out, f->Descent);
            put(out, f->MetricsTotalSurface);
            put(out, f->FallbackChar);
            put(out, f->EllipsisChar);
            put(out, f->DotChar);
            put(out, uint32_t(f->Glyphs.Size));
            out.append(reinterpret_cast<const char*>(f->Glyphs.Data), size_t(f->Glyphs.Size) * sizeof(ImFontGlyph));
        }
        out.append(reinterpret_cast<const char*>(a->TexPixelsAlpha8), size_t(a->TexWidth) * size_t(a->TexHeight));
        put(out, fnv1a(out.data(), out.size()));
        // The folder is the kiosk user's own (0700); the file is written whole or not at all, mode 0600.
        fs::create_directories(file.parent_path().parent_path());
        if (::mkdir(file.parent_path().c_str(), 0700) != 0 && errno != EEXIST)
            throw std::runtime_error("cannot create " + file.parent_path().string());
        files::write_atomic(file, out, 0600);
        log::debug("fonts", "atlas cached in " + file.string());
    } catch (const std::exception& e) {
        log::warn("fonts", std::string("cannot write the font atlas cache: ") + e.what());
    }
}

bool Fonts::load_cache() {
    const fs::path file = cache_file();
    if (file.empty()) return false;
    files::BoundedRead r = files::read_regular(file, kMaxCacheBytes);
    if (!r.ok()) {
        if (r.error != files::ReadError::Missing) log::warn("fonts", "font atlas cache unreadable: " + r.message_en);
        return false;
    }
    auto damaged = [&](const char* why) {
        log::warn("fonts", "font atlas cache " + file.string() + " " + why + "; building the atlas");
        return false;
    };
    std::string_view bytes = r.bytes;
    if (bytes.size() < sizeof kMagic + 8) return damaged("is truncated");
    uint64_t sum;
    std::memcpy(&sum, bytes.data() + bytes.size() - 8, 8);
    bytes.remove_suffix(8);
    if (fnv1a(bytes.data(), bytes.size()) != sum) return damaged("fails its checksum");
    Reader in{bytes};
    char magic[sizeof kMagic];
    in.take(magic, sizeof magic);
    if (!in.ok || std::memcmp(magic, kMagic, sizeof kMagic) != 0 || in.get<uint32_t>() != kFormat)
        return damaged("is not an atlas cache of this format");
    const uint32_t key_size = in.get<uint32_t>();
    if (!in.ok || key_size > 4096 || bytes.size() - in.at < key_size) return damaged("is damaged");
    if (bytes.substr(in.at, key_size) != cache_key()) {
        log::debug("fonts", "font atlas cache is for another font, size or scale; building the atlas");
        return false;
    }
    in.at += key_size;
    const int w = in.get<int>(), h = in.get<int>();
    const ImVec2 uv_scale = in.get<ImVec2>(), uv_white = in.get<ImVec2>();
    ImVec4 uv_lines[IM_DRAWLIST_TEX_LINES_WIDTH_MAX + 1];
    in.take(uv_lines, sizeof uv_lines);
    const uint32_t count = in.get<uint32_t>();
    if (!in.ok || w <= 0 || h <= 0 || w > kMaxTexSide || h > kMaxTexSide || count != 3) return damaged("is damaged");
    std::vector<CachedFont> fonts(count);
    for (CachedFont& f : fonts) {
        f.size = in.get<float>();
        f.ascent = in.get<float>();
        f.descent = in.get<float>();
        f.surface = in.get<int>();
        f.fallback = in.get<ImWchar>();
        f.ellipsis = in.get<ImWchar>();
        f.dot = in.get<ImWchar>();
        const uint32_t n = in.get<uint32_t>();
        if (!in.ok || n == 0 || n > kMaxGlyphs || !(f.size > 0.f)) return damaged("is damaged");
        f.glyphs.resize(int(n));
        if (!in.take(f.glyphs.Data, size_t(n) * sizeof(ImFontGlyph))) return damaged("is truncated");
    }
    const size_t tex = size_t(w) * size_t(h);
    if (!in.ok || bytes.size() - in.at != tex) return damaged("has a texture of the wrong size");

    // All read and checked: now replace the atlas.
    ImFontAtlas* a = ImGui::GetIO().Fonts;
    a->Clear();
    a->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    ImFont* made[3] = {};
    for (size_t i = 0; i < fonts.size(); ++i) {
        ImFont* f = IM_NEW(ImFont);
        a->Fonts.push_back(f);
        f->ContainerAtlas = a;
        f->FontSize = fonts[i].size;
        f->Ascent = fonts[i].ascent;
        f->Descent = fonts[i].descent;
        f->MetricsTotalSurface = fonts[i].surface;
        f->FallbackChar = fonts[i].fallback;
        f->EllipsisChar = fonts[i].ellipsis;
        f->DotChar = fonts[i].dot;
        f->Glyphs.swap(fonts[i].glyphs);
        f->BuildLookupTable();  // the index tables, exactly as the build made them from the same glyphs
        made[i] = f;
    }
    a->TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(tex));
    std::memcpy(a->TexPixelsAlpha8, bytes.data() + in.at, tex);
    a->TexWidth = w;
    a->TexHeight = h;
    a->TexUvScale = uv_scale;
    a->TexUvWhitePixel = uv_white;
    std::memcpy(a->TexUvLines, uv_lines, sizeof uv_lines);
    a->TexReady = true;
    body_ = made[0];
    title_ = made[1];
    numerals_ = made[2];
    return true;
}

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

    const auto t0 = std::chrono::steady_clock::now();
    cjk_loaded_ = std::filesystem::exists(cfg_.path);
    // Only the start-up atlas is cached: glyphs added at run time are a rebuild of their own.
    const bool cacheable = cjk_loaded_ && extra_.empty();
    from_cache_ = cacheable && load_cache();  // a hit puts the fonts and texture in place, as the build below
    // Mapped until the glyphs are in the atlas (Build below); a cache hit never opens it.
    std::unique_ptr<MappedFont> file;
    if (!from_cache_ && cjk_loaded_) file = std::make_unique<MappedFont>(cfg_.path);
    if (file) cjk_loaded_ = file->data() != nullptr;
    if (file && cjk_loaded_) {
        ImFontConfig fc;
        fc.FontNo = cfg_.face;
        fc.OversampleH = 1;  // CJK at ≥20 px: 1× halves the atlas with no visible loss
        fc.PixelSnapH = true;
        fc.FontDataOwnedByAtlas = false;
        body_ = io.Fonts->AddFontFromMemoryTTF(file->data(), file->size(), cfg_.body_px * scale_, &fc, ranges_.Data);
        title_ = io.Fonts->AddFontFromMemoryTTF(file->data(), file->size(), cfg_.title_px * scale_, &fc, ranges_.Data);
        numerals_ =
            io.Fonts->AddFontFromMemoryTTF(file->data(), file->size(), cfg_.numeral_px * scale_, &fc, kNumeralRanges);
        cjk_loaded_ = body_ && title_ && numerals_;
    }
    if (!cjk_loaded_) {
        log::error("fonts", "Japanese font not found at " + cfg_.path + " (install fonts-noto-cjk)");
        io.Fonts->Clear();
        ImFontConfig fc;
        fc.SizePixels = 13.f * 2.f * scale_;
        body_ = title_ = numerals_ = io.Fonts->AddFontDefault(&fc);
    }
    if (!from_cache_) {
        io.Fonts->Build();
        // The glyphs are in the atlas now: the fonts' input (pointing into the mapping) goes before the mapping.
        io.Fonts->ClearInputData();
        if (cacheable) save_cache();
    }
    file.reset();
    io.FontDefault = body_;
    char took[48];
    std::snprintf(took, sizeof took, " in %.1f ms",
                  std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    log::debug("fonts", std::string(from_cache_ ? "atlas read from the cache" : "atlas built") + took);

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
