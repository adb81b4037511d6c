#pragma once
// A PDF answer (薬剤情報 / 特定健診情報 with FileCategory PDF) rendered page by page with Debian's poppler
// (libpoppler-cpp) into RGBA pixels, which the kiosk uploads as a texture (ui::Ui's texture hook). No ImGui.
// Bounded: the file size, the page count and the pixels of one page (docs/security.md, "薬剤情報・特定健診情報").
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace onshi::medinfo {

struct RgbaImage {
    int width = 0, height = 0;
    std::vector<uint8_t> pixels;  // width × height × 4, rows top to bottom, R G B A
    bool empty() const { return width <= 0 || height <= 0; }
};

struct PdfLimits {
    std::size_t max_bytes = 64u << 20;
    int max_pages = 200;
    std::size_t max_pixels = 4096u * 4096u;  // per rendered page; the scale is lowered to fit
};

class PdfPages {
public:
    // nullptr and `error` set when poppler cannot open the bytes (not a PDF, encrypted, over a limit).
    static std::unique_ptr<PdfPages> open(std::string bytes, std::string& error, const PdfLimits& limits = {});
    ~PdfPages();
    PdfPages(const PdfPages&) = delete;
    PdfPages& operator=(const PdfPages&) = delete;

    int pages() const;  // at most limits.max_pages (the rest are not shown)
    // Page `index` (0-based) scaled to `width` pixels wide (its height follows the page's aspect ratio);
    // an empty image when the index is out of range or poppler fails.
    RgbaImage render(int index, int width) const;

private:
    PdfPages();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace onshi::medinfo
