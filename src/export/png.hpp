#pragma once
// PNG files (libpng): an indexed image as an 8-bit palette PNG, written atomically.
#include <filesystem>
#include <string>

#include "export/image.hpp"

namespace netlens::exports {

std::string encode_png(const IndexedImage& image, const Palette& palette);
void write_png(const std::filesystem::path& path, const IndexedImage& image, const Palette& palette);

}  // namespace netlens::exports
