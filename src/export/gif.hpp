#pragma once
// Animated GIFs (giflib): frames of one size and one palette (padded to 256 entries), each
// shown for a fixed delay, looping forever (the NETSCAPE2.0 extension). When the palette
// leaves an entry free, pixels that did not change since the previous frame are written as
// that (transparent) entry over the kept frame: long runs of it compress well, so late, slowly
// changing checkpoints cost little. The file is built in memory and written atomically by
// finish().
#include <filesystem>
#include <cstdint>
#include <string>
#include <vector>

#include "export/image.hpp"

struct GifFileType;

namespace netlens::exports {

class GifWriter {
 public:
  // delay_ms is rounded to GIF's hundredths of a second (at least 2: browsers slow faster ones).
  GifWriter(int width, int height, const Palette& palette, int delay_ms);
  ~GifWriter();
  GifWriter(const GifWriter&) = delete;
  GifWriter& operator=(const GifWriter&) = delete;

  void add(const IndexedImage& frame);  // throws Error when the size differs
  std::string finish();                 // the file's bytes
  void finish(const std::filesystem::path& path);

  int frames() const { return frames_; }

 private:
  GifFileType* gif_ = nullptr;
  std::string bytes_;
  int width_, height_, delay_cs_;
  int transparent_;  // the free palette entry, or -1 when the palette is full
  std::vector<std::uint8_t> previous_;
  int frames_ = 0;
};

}  // namespace netlens::exports
