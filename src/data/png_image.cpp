#include "data/png_image.hpp"

#include <png.h>

#include <cstring>
#include <fstream>

#include "core/error.hpp"

namespace netlens::data {

namespace {

// A file that is not a PNG is named for what it is: only PNG is read (no JPEG library is linked).
void check_png_signature(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;  // libpng says why it cannot be opened
  unsigned char head[8] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  if (png_sig_cmp(head, 0, sizeof head) == 0) return;
  const bool jpeg = head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;
  throw Error(path, std::string(jpeg ? "is a JPEG image" : "is not a PNG image") +
                        "; only PNG is read (convert it, e.g. with `convert digit.jpg digit.png`)");
}

}  // namespace

GrayImage read_png_gray(const std::string& path) {
  check_png_signature(path);
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) throw Error(path, std::string("cannot read PNG: ") + image.message);
  image.format = PNG_FORMAT_GRAY;
  if (image.width > 4096 || image.height > 4096) {
    png_image_free(&image);
    throw Error(path, "image is larger than 4096×4096");
  }
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  png_color white{255, 255, 255};
  if (!png_image_finish_read(&image, &white, pixels.data(), 0, nullptr))
    throw Error(path, std::string("cannot read PNG: ") + image.message);
  GrayImage out{static_cast<int>(image.height), static_cast<int>(image.width), {}};
  out.values.reserve(pixels.size());
  for (png_byte p : pixels) out.values.push_back(p / 255.0f);
  return out;
}

}  // namespace netlens::data
