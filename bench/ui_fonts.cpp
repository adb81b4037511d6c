// Font atlas build: the Japanese ranges of Noto Sans CJK JP at the two UI scales (rasterized, the atlas
// cache off), the same atlas read from the cache, and the run-time rebuild that adds surname glyphs
// (髙, 﨑) outside those ranges. No window, no GL.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>

#include "app/kiosk/fonts.hpp"
#include "app/kiosk/platform.hpp"

using onshi::kiosk::Fonts;
using onshi::kiosk::HeadlessContext;

static void BM_FontAtlasBuild(benchmark::State& state) {
    const float scale = float(state.range(0)) / 100.f;
    HeadlessContext ctx(1280, 800);
    onshi::kiosk::FontConfig cfg;
    cfg.cache = false;
    for (auto _ : state) {
        Fonts fonts(cfg);
        fonts.build(scale);
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        benchmark::DoNotOptimize(px);
        state.counters["atlas_w"] = w;
        state.counters["atlas_h"] = h;
    }
}
BENCHMARK(BM_FontAtlasBuild)->Arg(100)->Arg(135)->Unit(benchmark::kMillisecond)->Iterations(3);

// The start-up atlas from the cache file (written by one build first, not measured).
static void BM_FontAtlasFromCache(benchmark::State& state) {
    const float scale = float(state.range(0)) / 100.f;
    HeadlessContext ctx(1280, 800);
    std::string dir = (std::filesystem::temp_directory_path() / "onshi-atlas-bench-XXXXXX").string();
    if (!::mkdtemp(dir.data())) {
        state.SkipWithError("no temporary folder");
        return;
    }
    onshi::kiosk::FontConfig cfg;
    cfg.cache_dir = std::filesystem::path(dir) / "cache";
    { Fonts(cfg).build(scale); }
    bool hit = true;
    for (auto _ : state) {
        Fonts fonts(cfg);
        fonts.build(scale);
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        benchmark::DoNotOptimize(px);
        hit = hit && fonts.from_cache();
    }
    std::filesystem::remove_all(dir);
    if (!hit) state.SkipWithError("the atlas was not read from the cache");
}
BENCHMARK(BM_FontAtlasFromCache)->Arg(100)->Arg(135)->Unit(benchmark::kMillisecond)->Iterations(3);

static void BM_FontRuntimeGlyphRebuild(benchmark::State& state) {
    HeadlessContext ctx(1280, 800);
    for (auto _ : state) {
        state.PauseTiming();
        onshi::kiosk::FontConfig cfg;
        cfg.cache = false;
        Fonts fonts(cfg);
        fonts.build(1.f);
        state.ResumeTiming();
        fonts.need("髙橋 﨑山");
        fonts.rebuild_if_needed();
        benchmark::DoNotOptimize(fonts.body());
    }
}
BENCHMARK(BM_FontRuntimeGlyphRebuild)->Unit(benchmark::kMillisecond)->Iterations(3);
