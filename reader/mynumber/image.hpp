#pragma once
// Card-face images to RGBA: the JPEG 2000 photo (OpenJPEG) and the PNG name/address/code images (stb_image).
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace onshi::reader {

struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;  // width * height * 4
};

struct ImageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Image decode_jp2(std::span<const std::uint8_t> jp2);  // JP2 container or raw J2K codestream
Image decode_png(std::span<const std::uint8_t> png);

// Encoders for the emulator's synthetic card faces. `grey` is width*height bytes.
std::vector<std::uint8_t> encode_jp2_grey(const std::vector<std::uint8_t>& grey, int width, int height);
std::vector<std::uint8_t> encode_png_grey(const std::vector<std::uint8_t>& grey, int width, int height);

}  // namespace onshi::reader
