#include "export/png.hpp"

#include <png.h>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace netlens::exports {

namespace {

void append(png_structp png, png_bytep data, png_size_t size) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), size);
}

[[noreturn]] void fail(png_structp, png_const_charp message) { throw Error("png", message); }

}  // namespace

std::string encode_png(const IndexedImage& image, const Palette& palette) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, fail, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw Error("png", "out of memory");
  }
  try {
    png_set_write_fn(png, &out, append, nullptr);
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8,
                 PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    std::vector<png_color> colours;
    for (const Rgb& c : palette) colours.push_back({c.r, c.g, c.b});
    png_set_PLTE(png, info, colours.data(), static_cast<int>(colours.size()));
    png_write_info(png, info);
    for (int y = 0; y < image.height; ++y)
      png_write_row(png, image.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width));
    png_write_end(png, nullptr);
  } catch (...) {
    png_destroy_write_struct(&png, &info);
    throw;
  }
  png_destroy_write_struct(&png, &info);
  return out;
}

void write_png(const std::filesystem::path& path, const IndexedImage& image, const Palette& palette) {
  try {
    write_file_atomically(path, encode_png(image, palette));
  } catch (const Error& e) {
    throw Error(path.string(), e.what());
  }
}

}  // namespace netlens::exports
