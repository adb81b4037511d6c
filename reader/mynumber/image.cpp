#include "reader/mynumber/image.hpp"

#include <openjpeg.h>
#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace onshi::reader {

namespace {
// OpenJPEG reads and writes through callbacks; these serve a memory buffer.
struct Mem {
    std::vector<std::uint8_t> buf;
    std::size_t pos = 0;
};

OPJ_SIZE_T mem_read(void* dst, OPJ_SIZE_T n, void* user) {
    auto* m = static_cast<Mem*>(user);
    if (m->pos >= m->buf.size()) return static_cast<OPJ_SIZE_T>(-1);
    n = std::min<OPJ_SIZE_T>(n, m->buf.size() - m->pos);
    std::memcpy(dst, m->buf.data() + m->pos, n);
    m->pos += n;
    return n;
}
OPJ_SIZE_T mem_write(void* src, OPJ_SIZE_T n, void* user) {
    auto* m = static_cast<Mem*>(user);
    if (m->pos + n > m->buf.size()) m->buf.resize(m->pos + n);
    std::memcpy(m->buf.data() + m->pos, src, n);
    m->pos += n;
    return n;
}
OPJ_OFF_T mem_skip(OPJ_OFF_T n, void* user) {
    auto* m = static_cast<Mem*>(user);
    auto target = static_cast<OPJ_OFF_T>(m->pos) + n;
    if (target < 0) return -1;
    m->pos = static_cast<std::size_t>(target);
    return n;
}
OPJ_BOOL mem_seek(OPJ_OFF_T n, void* user) {
    auto* m = static_cast<Mem*>(user);
    if (n < 0) return OPJ_FALSE;
    m->pos = static_cast<std::size_t>(n);
    return OPJ_TRUE;
}
void quiet(const char*, void*) {}

opj_stream_t* mem_stream(Mem& m, bool input) {
    opj_stream_t* s = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, input ? OPJ_TRUE : OPJ_FALSE);
    opj_stream_set_user_data(s, &m, nullptr);
    opj_stream_set_user_data_length(s, m.buf.size());
    opj_stream_set_read_function(s, mem_read);
    opj_stream_set_write_function(s, mem_write);
    opj_stream_set_skip_function(s, mem_skip);
    opj_stream_set_seek_function(s, mem_seek);
    return s;
}

// opj_codec_t and opj_stream_t are both void*, hence one deleter each.
struct CodecDel {
    void operator()(opj_codec_t* c) const { opj_destroy_codec(c); }
};
struct StreamDel {
    void operator()(opj_stream_t* s) const { opj_stream_destroy(s); }
};
struct ImageDel {
    void operator()(opj_image_t* i) const { opj_image_destroy(i); }
};
}  // namespace

Image decode_jp2(std::span<const std::uint8_t> jp2) {
    static const std::uint8_t kJp2Magic[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20};
    static const std::uint8_t kJ2kMagic[] = {0xFF, 0x4F, 0xFF, 0x51};
    OPJ_CODEC_FORMAT fmt;
    if (jp2.size() >= 8 && std::equal(kJp2Magic, kJp2Magic + 8, jp2.begin()))
        fmt = OPJ_CODEC_JP2;
    else if (jp2.size() >= 4 && std::equal(kJ2kMagic, kJ2kMagic + 4, jp2.begin()))
        fmt = OPJ_CODEC_J2K;
    else
        throw ImageError("the photo is not JPEG 2000 (no JP2/J2K signature)");

    Mem m{std::vector<std::uint8_t>(jp2.begin(), jp2.end()), 0};
    std::unique_ptr<opj_codec_t, CodecDel> codec(opj_create_decompress(fmt));
    opj_set_error_handler(codec.get(), quiet, nullptr);
    opj_set_warning_handler(codec.get(), quiet, nullptr);
    opj_set_info_handler(codec.get(), quiet, nullptr);
    opj_dparameters_t p;
    opj_set_default_decoder_parameters(&p);
    if (!opj_setup_decoder(codec.get(), &p)) throw ImageError("OpenJPEG decoder setup failed");
    std::unique_ptr<opj_stream_t, StreamDel> stream(mem_stream(m, true));
    opj_image_t* raw = nullptr;
    if (!opj_read_header(stream.get(), codec.get(), &raw)) throw ImageError("the JPEG 2000 header is damaged");
    std::unique_ptr<opj_image_t, ImageDel> img(raw);
    if (!opj_decode(codec.get(), stream.get(), img.get()) || !opj_end_decompress(codec.get(), stream.get()))
        throw ImageError("the JPEG 2000 photo is damaged");
    if (img->numcomps < 1 || !img->comps[0].data) throw ImageError("the JPEG 2000 photo has no image data");
    const auto& c0 = img->comps[0];
    int w = static_cast<int>(c0.w), h = static_cast<int>(c0.h);
    if (w <= 0 || h <= 0 || w > 4096 || h > 4096) throw ImageError("the JPEG 2000 photo has an unusable size");
    bool rgb = img->numcomps >= 3 && img->comps[1].w == c0.w && img->comps[2].w == c0.w && img->comps[1].h == c0.h &&
               img->comps[2].h == c0.h && img->comps[1].data && img->comps[2].data;
    auto px = [&](int comp, std::size_t i) {
        const auto& c = img->comps[comp];
        int v = c.data[i];
        if (c.sgnd) v += 1 << (c.prec - 1);
        if (c.prec > 8)
            v >>= (c.prec - 8);
        else if (c.prec < 8)
            v = v * 255 / ((1 << c.prec) - 1);
        return static_cast<std::uint8_t>(std::clamp(v, 0, 255));
    };
    Image out{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 4)};
    for (std::size_t i = 0; i < static_cast<std::size_t>(w) * h; ++i) {
        out.rgba[i * 4 + 0] = px(0, i);
        out.rgba[i * 4 + 1] = rgb ? px(1, i) : out.rgba[i * 4];
        out.rgba[i * 4 + 2] = rgb ? px(2, i) : out.rgba[i * 4];
        out.rgba[i * 4 + 3] = 255;
    }
    return out;
}

Image decode_png(std::span<const std::uint8_t> png) {
    if (png.size() > 0x7FFFFFFF) throw ImageError("the PNG image is too large");
    int w = 0, h = 0, n = 0;
    stbi_uc* px = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, 4);
    if (!px) throw ImageError(std::string("the PNG image is damaged: ") + stbi_failure_reason());
    Image out{w, h, std::vector<std::uint8_t>(px, px + static_cast<std::size_t>(w) * h * 4)};
    stbi_image_free(px);
    return out;
}

std::vector<std::uint8_t> encode_jp2_grey(const std::vector<std::uint8_t>& grey, int width, int height) {
    opj_image_cmptparm_t cp{};
    cp.dx = cp.dy = 1;
    cp.w = static_cast<OPJ_UINT32>(width);
    cp.h = static_cast<OPJ_UINT32>(height);
    cp.prec = 8;
    cp.sgnd = 0;
    std::unique_ptr<opj_image_t, ImageDel> img(opj_image_create(1, &cp, OPJ_CLRSPC_GRAY));
    if (!img) throw ImageError("opj_image_create failed");
    img->x1 = cp.w;
    img->y1 = cp.h;
    for (std::size_t i = 0; i < grey.size(); ++i) img->comps[0].data[i] = grey[i];
    opj_cparameters_t p;
    opj_set_default_encoder_parameters(&p);
    p.tcp_numlayers = 1;
    p.tcp_rates[0] = 12;  // ~12:1, a few KB like the card's photo
    p.cp_disto_alloc = 1;
    p.numresolution = 4;
    std::unique_ptr<opj_codec_t, CodecDel> codec(opj_create_compress(OPJ_CODEC_JP2));
    opj_set_error_handler(codec.get(), quiet, nullptr);
    opj_set_warning_handler(codec.get(), quiet, nullptr);
    opj_set_info_handler(codec.get(), quiet, nullptr);
    if (!opj_setup_encoder(codec.get(), &p, img.get())) throw ImageError("OpenJPEG encoder setup failed");
    Mem m;
    std::unique_ptr<opj_stream_t, StreamDel> stream(mem_stream(m, false));
    if (!opj_start_compress(codec.get(), img.get(), stream.get()) || !opj_encode(codec.get(), stream.get()) ||
        !opj_end_compress(codec.get(), stream.get()))
        throw ImageError("JPEG 2000 encoding failed");
    return m.buf;
}

std::vector<std::uint8_t> encode_png_grey(const std::vector<std::uint8_t>& grey, int width, int height) {
    std::vector<std::uint8_t> out;
    auto sink = [](void* ctx, void* data, int size) {
        auto* v = static_cast<std::vector<std::uint8_t>*>(ctx);
        auto* d = static_cast<std::uint8_t*>(data);
        v->insert(v->end(), d, d + size);
    };
    if (!stbi_write_png_to_func(sink, &out, width, height, 1, grey.data(), width))
        throw ImageError("PNG encoding failed");
    return out;
}

}  // namespace onshi::reader
