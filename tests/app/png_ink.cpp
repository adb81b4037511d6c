// png_ink FILE Y0 Y1 X0 X1 MIN: checks that a screenshot is not blank and that the given band
// (fractions of height and width) holds at least MIN dark "ink" pixels, i.e. text was drawn there.
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(stderr, "usage: png_ink FILE Y0 Y1 X0 X1 MIN\n");
        return 2;
    }
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(argv[1], &w, &h, &n, 4);
    if (!px) {
        std::fprintf(stderr, "%s: cannot read PNG\n", argv[1]);
        return 1;
    }
    const int y0 = int(std::atof(argv[2]) * h), y1 = int(std::atof(argv[3]) * h);
    const int x0 = int(std::atof(argv[4]) * w), x1 = int(std::atof(argv[5]) * w);
    const long min_ink = std::atol(argv[6]);
    long ink = 0, distinct_rows = 0, total_dark = 0;
    for (int y = 0; y < h; ++y) {
        bool row_has_ink = false;
        for (int x = 0; x < w; ++x) {
            const unsigned char* p = px + (size_t(y) * size_t(w) + size_t(x)) * 4;
            bool dark = p[0] + p[1] + p[2] < 3 * 110;  // text on the light background
            if (!dark) continue;
            ++total_dark;
            if (y >= y0 && y < y1 && x >= x0 && x < x1) {
                ++ink;
                row_has_ink = true;
            }
        }
        distinct_rows += row_has_ink;
    }
    stbi_image_free(px);
    std::printf("%s: %dx%d, %ld dark pixels, %ld in the band over %ld rows (need %ld)\n", argv[1], w, h, total_dark,
                ink, distinct_rows, min_ink);
    return ink >= min_ink && distinct_rows >= 10 ? 0 : 1;
}
