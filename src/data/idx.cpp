#include "data/idx.hpp"

#include <zlib.h>

#include <filesystem>
#include <memory>

#include "core/error.hpp"

namespace netlens::data {

namespace {

constexpr std::size_t kMaxDeflateRatio = 1032;

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// Reads exactly n bytes (zlib reads plain files as they are); false if the file ends first.
bool read_exact(gzFile f, void* out, std::size_t n) {
  auto* p = static_cast<unsigned char*>(out);
  while (n > 0) {
    const unsigned chunk = n > (1u << 30) ? (1u << 30) : static_cast<unsigned>(n);
    const int got = gzread(f, p, chunk);
    if (got <= 0) return false;
    p += got;
    n -= static_cast<std::size_t>(got);
  }
  return true;
}

bool is_gzip(const std::string& path) { return path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0; }

}  // namespace

IdxArray read_idx(const std::string& path) {
  std::error_code ec;
  const auto file_size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path, "cannot read IDX file: " + ec.message());
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw Error(path, "cannot open IDX file");

  // Header: two zero bytes, the element type, the number of dimensions, then each dimension
  // as a big-endian uint32.
  unsigned char magic[4];
  if (!read_exact(f.get(), magic, 4)) throw Error(path, "truncated: no IDX header");
  if (magic[0] != 0 || magic[1] != 0)
    throw Error(path, "not an IDX file (magic number starts with " + std::to_string(magic[0]) + ", " +
                          std::to_string(magic[1]) + ", expected 0, 0)");
  if (magic[2] != 0x08) throw Error(path, "element type " + std::to_string(magic[2]) + " unsupported (need 8, unsigned byte)");
  const int rank = magic[3];
  if (rank < 1 || rank > 4) throw Error(path, "bad number of dimensions " + std::to_string(rank) + " (need 1..4)");

  IdxArray a;
  std::size_t count = 1;
  for (int i = 0; i < rank; ++i) {
    unsigned char b[4];
    if (!read_exact(f.get(), b, 4)) throw Error(path, "truncated in the header's dimensions");
    const std::uint32_t d = (std::uint32_t(b[0]) << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    if (d == 0) throw Error(path, "dimension " + std::to_string(i) + " is 0");
    if (d > kMaxIdxBytes / count)
      throw Error(path, "dimensions promise more than " + std::to_string(kMaxIdxBytes >> 20) + " MiB");
    count *= d;
    a.dims.push_back(static_cast<int>(d));
  }
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(rank);
  if (!is_gzip(path) && file_size != header + count)
    throw Error(path, "size " + std::to_string(file_size) + " bytes does not match its header (" +
                          std::to_string(header + count) + " expected): truncated or corrupt");
  // Deflate shrinks data at most 1032 to 1: a header that promises more than the compressed
  // file can hold is refused before the values are allocated.
  if (is_gzip(path) && count / kMaxDeflateRatio > file_size)
    throw Error(path, "header promises " + std::to_string(count) + " values, more than a gzip file of " +
                          std::to_string(file_size) + " bytes can hold: truncated or corrupt");
  a.values.resize(count);
  if (!read_exact(f.get(), a.values.data(), count))
    throw Error(path, "truncated: the data ends before the " + std::to_string(count) + " values its header promises");
  unsigned char extra;
  if (gzread(f.get(), &extra, 1) != 0) throw Error(path, "trailing bytes after the data its header describes");
  return a;
}

ImageSet load_image_set(const std::string& dir, const std::string& split) {
  auto find = [&](const std::string& stem) {
    const std::string plain = dir + "/" + split + "-" + stem;
    if (std::filesystem::exists(plain)) return plain;
    if (std::filesystem::exists(plain + ".gz")) return plain + ".gz";
    throw Error(plain, "not found (nor " + plain + ".gz)");
  };
  const std::string images_path = find("images-idx3-ubyte"), labels_path = find("labels-idx1-ubyte");
  const IdxArray images = read_idx(images_path), labels = read_idx(labels_path);
  if (images.dims.size() != 3) throw Error(images_path, "images need 3 dimensions (count, rows, cols)");
  if (labels.dims.size() != 1) throw Error(labels_path, "labels need 1 dimension");
  if (images.dims[0] != labels.dims[0])
    throw Error(labels_path, std::to_string(labels.dims[0]) + " labels for " + std::to_string(images.dims[0]) +
                                 " images in " + images_path);

  ImageSet set;
  const int n = images.dims[0];
  set.rows = images.dims[1];
  set.cols = images.dims[2];
  set.images = Tensor({n, set.rows * set.cols});
  for (std::size_t i = 0; i < images.values.size(); ++i) set.images[i] = images.values[i] / 255.0f;
  set.labels.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int label = labels.values[static_cast<std::size_t>(i)];
    if (label > 9) throw Error(labels_path, "label " + std::to_string(label) + " at index " + std::to_string(i) + " is not 0..9");
    set.labels[static_cast<std::size_t>(i)] = label;
  }
  return set;
}

}  // namespace netlens::data
