#include <catch2/catch.hpp>

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "app/kiosk/fonts.hpp"
#include "app/kiosk/platform.hpp"
#include "core/util/files.hpp"

using namespace onshi::kiosk;

TEST_CASE("fonts: face 0 of the Noto CJK collection is the Japanese face") {
    // fontconfig's own reading of the TTC, so a reordered package is caught here.
    FontConfig cfg;
    std::string cmd = "fc-query -f '%{index}:%{family[0]}\\n' " + cfg.path;
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    REQUIRE(p);
    char line[256];
    std::string first;
    if (std::fgets(line, sizeof line, p.get())) first = line;
    CHECK(first.rfind(std::to_string(cfg.face) + ":Noto Sans CJK JP", 0) == 0);
}

TEST_CASE("fonts: surname glyphs outside the Japanese ranges are added at run time") {
    HeadlessContext ctx(1280, 800);
    Fonts fonts;
    REQUIRE(fonts.build(1.f));
    CHECK(fonts.has_glyph(U'カ'));
    CHECK_FALSE(fonts.has_glyph(0x9AD9));  // 髙
    CHECK_FALSE(fonts.has_glyph(0xFA11));  // 﨑
    int rebuilt = 0;
    fonts.on_rebuilt = [&] { ++rebuilt; };
    fonts.need("髙橋 﨑山 カナ");
    CHECK(fonts.rebuild_pending());
    CHECK(fonts.rebuild_if_needed());
    CHECK(rebuilt == 1);
    CHECK(fonts.has_glyph(0x9AD9));
    CHECK(fonts.has_glyph(0xFA11));
    CHECK(fonts.extra_glyph_count() == 2);
    // Asking again costs nothing: no second rebuild.
    fonts.need("髙﨑");
    CHECK_FALSE(fonts.rebuild_if_needed());
    CHECK(rebuilt == 1);
}

TEST_CASE("fonts: a codepoint outside the BMP is reported, not retried forever") {
    HeadlessContext ctx(1280, 800);
    Fonts fonts;
    REQUIRE(fonts.build(1.f));
    fonts.need("\xF0\xA0\xAE\xB7");  // 𠮷 U+20BB7: Debian's 16-bit ImWchar cannot hold it
    CHECK_FALSE(fonts.rebuild_pending());
    CHECK(fonts.unrenderable_count() == 1);
}

TEST_CASE("fonts: a missing font file is a reported failure with a usable fallback atlas") {
    HeadlessContext ctx(1280, 800);
    FontConfig cfg;
    cfg.path = "/nonexistent/font.ttc";
    Fonts fonts(cfg);
    CHECK_FALSE(fonts.build(1.f));
    CHECK_FALSE(fonts.cjk_loaded());
    CHECK(fonts.body() != nullptr);
}

// The start-up atlas cache (docs/performance.md, "First frame"). GPU-less: the atlas is compared on the CPU.
namespace {

namespace fs = std::filesystem;

struct CacheDir {
    fs::path path;
    CacheDir() {
        std::string t = (fs::temp_directory_path() / "onshi-atlas-XXXXXX").string();
        path = ::mkdtemp(t.data());
        path /= "cache";  // made by the first save, 0700
    }
    ~CacheDir() {
        std::error_code ec;
        fs::remove_all(path.parent_path(), ec);
    }
};

struct Snapshot {
    std::vector<std::vector<ImFontGlyph>> glyphs;
    std::vector<float> sizes, ascents, fallback_advance;
    std::vector<ImWchar> fallback_chars;
    std::string alpha;
    ImVec2 white;
    float text_width = 0;
};

Snapshot snapshot(const Fonts& fonts) {
    ImFontAtlas* a = ImGui::GetIO().Fonts;
    Snapshot s;
    for (ImFont* f : a->Fonts) {
        s.glyphs.emplace_back(f->Glyphs.begin(), f->Glyphs.end());
        s.sizes.push_back(f->FontSize);
        s.ascents.push_back(f->Ascent);
        s.fallback_advance.push_back(f->FallbackAdvanceX);
        s.fallback_chars.push_back(f->FallbackChar);
    }
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    a->GetTexDataAsAlpha8(&px, &w, &h);
    s.alpha.assign(reinterpret_cast<const char*>(px), size_t(w) * size_t(h));
    s.white = a->TexUvWhitePixel;
    s.text_width =
        fonts.body()->CalcTextSizeA(fonts.body()->FontSize, 1e9f, 0.f, "資格確認　カードを置いてください 123").x;
    return s;
}

bool same_glyphs(const std::vector<ImFontGlyph>& x, const std::vector<ImFontGlyph>& y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(ImFontGlyph)) == 0;
}

void check_same(const Snapshot& built, const Snapshot& cached) {
    REQUIRE(built.glyphs.size() == cached.glyphs.size());
    for (size_t i = 0; i < built.glyphs.size(); ++i) CHECK(same_glyphs(built.glyphs[i], cached.glyphs[i]));
    CHECK(built.sizes == cached.sizes);
    CHECK(built.ascents == cached.ascents);
    CHECK(built.fallback_advance == cached.fallback_advance);
    CHECK(built.fallback_chars == cached.fallback_chars);
    CHECK(built.alpha == cached.alpha);
    CHECK(built.white.x == cached.white.x);
    CHECK(built.white.y == cached.white.y);
    CHECK(built.text_width == cached.text_width);
}

FontConfig cached_config(const fs::path& dir) {
    FontConfig cfg;
    cfg.cache_dir = dir;
    return cfg;
}

}  // namespace

TEST_CASE("fonts: the atlas cache is written 0600 and a hit gives the same atlas as a build") {
    HeadlessContext ctx(1280, 800);
    CacheDir dir;
    Fonts first(cached_config(dir.path));
    REQUIRE(first.build(1.f));
    CHECK_FALSE(first.from_cache());
    const fs::path file = first.cache_file();
    REQUIRE(fs::is_regular_file(file));
    CHECK((fs::status(file).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK((fs::status(dir.path).permissions() & fs::perms::all) == fs::perms::owner_all);
    const Snapshot built = snapshot(first);

    Fonts second(cached_config(dir.path));
    REQUIRE(second.build(1.f));
    CHECK(second.from_cache());
    CHECK(second.has_glyph(U'カ'));
    check_same(built, snapshot(second));

    // Glyphs added at run time rebuild from the font file and leave the start-up cache alone.
    const auto before = fs::last_write_time(file);
    second.need("髙");
    REQUIRE(second.rebuild_if_needed());
    CHECK_FALSE(second.from_cache());
    CHECK(second.has_glyph(0x9AD9));
    CHECK(fs::last_write_time(file) == before);
}

TEST_CASE("fonts: a cache for another size or another font file is rebuilt and replaced") {
    HeadlessContext ctx(1280, 800);
    CacheDir dir;
    fs::create_directories(dir.path.parent_path() / "font");
    const fs::path font = dir.path.parent_path() / "font" / "cjk.ttc";
    fs::copy_file(FontConfig{}.path, font);
    FontConfig cfg = cached_config(dir.path);
    cfg.path = font.string();
    {
        Fonts f(cfg);
        REQUIRE(f.build(1.f));
        CHECK_FALSE(f.from_cache());
    }
    FontConfig bigger = cfg;
    bigger.body_px = 30.f;
    {
        Fonts f(bigger);
        REQUIRE(f.build(1.f));
        CHECK_FALSE(f.from_cache());  // same file name, another key
        CHECK(f.body()->FontSize == 30.f);
    }
    {
        Fonts f(bigger);
        REQUIRE(f.build(1.f));
        CHECK(f.from_cache());  // replaced by the rebuild
    }
    // The font file changes (a package update): its modification time is part of the key.
    fs::last_write_time(font, fs::last_write_time(font) + std::chrono::hours(1));
    {
        Fonts f(bigger);
        REQUIRE(f.build(1.f));
        CHECK_FALSE(f.from_cache());
    }
}

TEST_CASE("fonts: a damaged cache file is rebuilt, never trusted") {
    HeadlessContext ctx(1280, 800);
    CacheDir dir;
    fs::path file;
    Snapshot built;
    {
        Fonts f(cached_config(dir.path));
        REQUIRE(f.build(1.f));
        file = f.cache_file();
        built = snapshot(f);
    }
    const std::string good = *onshi::files::read(file);
    auto damage = [&](const std::string& bytes) {
        fs::remove(file);
        std::ofstream(file, std::ios::binary) << bytes;
        Fonts f(cached_config(dir.path));
        REQUIRE(f.build(1.f));
        CHECK_FALSE(f.from_cache());
        check_same(built, snapshot(f));
        // The rebuild wrote a good file again.
        CHECK(*onshi::files::read(file) == good);
    };
    std::string flipped = good;
    flipped[flipped.size() / 2] ^= 0x40;  // in the texture
    damage(flipped);
    flipped = good;
    flipped[40] ^= 0x01;  // in the key
    damage(flipped);
    damage(good.substr(0, good.size() / 3));  // truncated
    damage("");
    damage(std::string(4096, '\xFF'));
    {
        // A symbolic link in place of the cache is not followed.
        fs::remove(file);
        fs::create_symlink(dir.path.parent_path() / "elsewhere", file);
        Fonts f(cached_config(dir.path));
        REQUIRE(f.build(1.f));
        CHECK_FALSE(f.from_cache());
    }
}
