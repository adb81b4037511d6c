#include "core/medinfo/pdf_pages.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include "core/util/log.hpp"

namespace onshi::medinfo {
namespace {

// poppler's own messages go to our log at debug level, never to stderr.
void quiet(const std::string& msg, void*) { log::debug("pdf", msg); }

}  // namespace

struct PdfPages::Impl {
    std::string bytes;  // poppler reads the document in place: kept alive with it
    std::unique_ptr<poppler::document> doc;
    PdfLimits limits;
};

PdfPages::PdfPages() : impl_(std::make_unique<Impl>()) {}
PdfPages::~PdfPages() = default;

std::unique_ptr<PdfPages> PdfPages::open(std::string bytes, std::string& error, const PdfLimits& limits) {
    poppler::set_debug_error_function(quiet, nullptr);
    if (bytes.size() > limits.max_bytes) {
        error = "the PDF is larger than " + std::to_string(limits.max_bytes) + " bytes";
        return nullptr;
    }
    if (bytes.compare(0, 5, "%PDF-") != 0) {
        error = "not a PDF file";
        return nullptr;
    }
    std::unique_ptr<PdfPages> p(new PdfPages());
    p->impl_->bytes = std::move(bytes);
    p->impl_->limits = limits;
    p->impl_->doc.reset(
        poppler::document::load_from_raw_data(p->impl_->bytes.data(), int(p->impl_->bytes.size())));
    if (!p->impl_->doc) {
        error = "poppler cannot read the PDF";
        return nullptr;
    }
    if (p->impl_->doc->is_locked()) {
        error = "the PDF is encrypted";
        return nullptr;
    }
    if (p->impl_->doc->pages() <= 0) {
        error = "the PDF has no pages";
        return nullptr;
    }
    return p;
}

int PdfPages::pages() const { return std::min(impl_->doc->pages(), impl_->limits.max_pages); }

RgbaImage PdfPages::render(int index, int width) const {
    RgbaImage out;
    if (index < 0 || index >= pages() || width <= 0) return out;
    std::unique_ptr<poppler::page> page(impl_->doc->create_page(index));
    if (!page) return out;
    const poppler::rectf box = page->page_rect();
    if (!(box.width() > 0) || !(box.height() > 0)) return out;
    double scale = double(width) / box.width();  // pixels per point
    const double pixels = box.width() * scale * box.height() * scale;
    if (pixels > double(impl_->limits.max_pixels)) scale *= std::sqrt(double(impl_->limits.max_pixels) / pixels);
    poppler::page_renderer r;
    r.set_render_hint(poppler::page_renderer::antialiasing, true);
    r.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    r.set_image_format(poppler::image::format_argb32);
    r.set_paper_color(0xffffffff);
    poppler::image img = r.render_page(page.get(), 72.0 * scale, 72.0 * scale);
    if (!img.is_valid() || img.format() != poppler::image::format_argb32) return out;
    out.width = img.width();
    out.height = img.height();
    out.pixels.resize(size_t(out.width) * size_t(out.height) * 4);
    const char* src = img.const_data();
    for (int y = 0; y < out.height; ++y) {
        const auto* row = reinterpret_cast<const uint8_t*>(src + size_t(y) * size_t(img.bytes_per_row()));
        uint8_t* dst = out.pixels.data() + size_t(y) * size_t(out.width) * 4;
        for (int x = 0; x < out.width; ++x) {
            // poppler's argb32 is a native-endian 0xAARRGGBB word.
            uint32_t v;
            std::memcpy(&v, row + 4 * x, 4);
            dst[4 * x] = uint8_t(v >> 16);
            dst[4 * x + 1] = uint8_t(v >> 8);
            dst[4 * x + 2] = uint8_t(v);
            dst[4 * x + 3] = uint8_t(v >> 24);
        }
    }
    return out;
}

}  // namespace onshi::medinfo
