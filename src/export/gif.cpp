#include "export/gif.hpp"

#include <gif_lib.h>

#include <algorithm>
#include <cmath>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace netlens::exports {

namespace {

int append(GifFileType* gif, const GifByteType* data, int size) {
  static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
  return size;
}

void check(int status, GifFileType* gif, const char* step) {
  if (status != GIF_OK) throw Error("gif", std::string(step) + ": " + GifErrorString(gif ? gif->Error : 0));
}

}  // namespace

GifWriter::GifWriter(int width, int height, const Palette& palette, int delay_ms)
    : width_(width),
      height_(height),
      delay_cs_(std::max(2, static_cast<int>(std::lround(delay_ms / 10.0)))),
      transparent_(palette.size() < 256 ? static_cast<int>(palette.size()) : -1) {
  if (palette.empty() || palette.size() > 256) throw Error("gif", "a palette has 1..256 colours");
  int error = 0;
  gif_ = EGifOpen(&bytes_, append, &error);
  if (!gif_) throw Error("gif", std::string("cannot start: ") + GifErrorString(error));
  ColorMapObject* map = GifMakeMapObject(256, nullptr);
  for (std::size_t i = 0; i < 256; ++i) {
    const Rgb c = i < palette.size() ? palette[i] : palette.back();
    map->Colors[i] = {c.r, c.g, c.b};
  }
  EGifSetGifVersion(gif_, true);
  const int status = EGifPutScreenDesc(gif_, width, height, 8, 0, map);
  GifFreeMapObject(map);
  check(status, gif_, "screen");
  // Loop forever: application extension NETSCAPE2.0, sub-block {1, loop count 0}.
  const GifByteType loop[3] = {1, 0, 0};
  check(EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE), gif_, "loop");
  check(EGifPutExtensionBlock(gif_, 11, "NETSCAPE2.0"), gif_, "loop");
  check(EGifPutExtensionBlock(gif_, 3, loop), gif_, "loop");
  check(EGifPutExtensionTrailer(gif_), gif_, "loop");
}

GifWriter::~GifWriter() {
  if (gif_) EGifCloseFile(gif_, nullptr);
}

void GifWriter::add(const IndexedImage& frame) {
  if (frame.width != width_ || frame.height != height_)
    throw Error("gif", "frame " + std::to_string(frames_) + " is " + std::to_string(frame.width) + "x" +
                           std::to_string(frame.height) + ", the animation " + std::to_string(width_) + "x" +
                           std::to_string(height_));
  const bool delta = transparent_ >= 0 && !previous_.empty();
  GraphicsControlBlock control{DISPOSE_DO_NOT, false, delay_cs_, delta ? transparent_ : NO_TRANSPARENT_COLOR};
  GifByteType extension[4];
  EGifGCBToExtension(&control, extension);
  check(EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, 4, extension), gif_, "frame delay");
  check(EGifPutImageDesc(gif_, 0, 0, width_, height_, false, nullptr), gif_, "frame");
  std::vector<GifPixelType> row(static_cast<std::size_t>(width_));
  for (int y = 0; y < height_; ++y) {
    const std::size_t start = static_cast<std::size_t>(y) * static_cast<std::size_t>(width_);
    for (std::size_t x = 0; x < row.size(); ++x)
      row[x] = delta && frame.pixels[start + x] == previous_[start + x] ? static_cast<GifPixelType>(transparent_)
                                                                       : frame.pixels[start + x];
    check(EGifPutLine(gif_, row.data(), width_), gif_, "frame");
  }
  if (transparent_ >= 0) previous_ = frame.pixels;
  ++frames_;
}

std::string GifWriter::finish() {
  int error = 0;
  const int status = EGifCloseFile(gif_, &error);
  gif_ = nullptr;
  if (status != GIF_OK) throw Error("gif", std::string("cannot finish: ") + GifErrorString(error));
  return std::move(bytes_);
}

void GifWriter::finish(const std::filesystem::path& path) {
  try {
    write_file_atomically(path, finish());
  } catch (const Error& e) {
    throw Error(path.string(), e.what());
  }
}

}  // namespace netlens::exports
