// GifWriter for the WebAssembly build: giflib has no WebAssembly build here (Debian ships no
// emscripten port of it), so a GIF export answers an error naming what it needs.
#include "core/error.hpp"
#include "export/gif.hpp"

namespace netlens::exports {

GifWriter::GifWriter(int, int, const Palette&, int) {
  throw Error("gif", "GIF export needs the netlens server (the in-page engine is built without giflib)");
}
GifWriter::~GifWriter() = default;
void GifWriter::add(const IndexedImage&) {}
std::string GifWriter::finish() { return {}; }
void GifWriter::finish(const std::filesystem::path&) {}

}  // namespace netlens::exports
