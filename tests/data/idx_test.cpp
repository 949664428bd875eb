#include "data/idx.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"

using namespace netlens;

namespace {

std::string dir() {
  const std::string d = ::testing::TempDir() + "idx_test/";
  std::filesystem::create_directories(d);
  return d;
}

std::vector<unsigned char> idx_bytes(std::vector<std::uint32_t> dims, const std::vector<unsigned char>& values) {
  std::vector<unsigned char> b{0, 0, 0x08, static_cast<unsigned char>(dims.size())};
  for (auto d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(d >> s));
  b.insert(b.end(), values.begin(), values.end());
  return b;
}

std::string write(const std::string& name, const std::vector<unsigned char>& bytes) {
  const std::string path = dir() + name;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size()));
  return path;
}

std::string write_gz(const std::string& name, const std::vector<unsigned char>& bytes) {
  const std::string path = dir() + name;
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
  return path;
}

std::string error_of(const std::string& path) {
  try {
    data::read_idx(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Idx, ReadsPlainAndGzippedFiles) {
  const auto bytes = idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6});
  for (const auto& path : {write("a.idx", bytes), write_gz("a.idx.gz", bytes)}) {
    const auto a = data::read_idx(path);
    EXPECT_EQ(a.dims, (std::vector<int>{2, 3}));
    EXPECT_EQ(a.values[5], 6);
  }
}

TEST(Idx, CorruptOrTruncatedFilesNameTheFileAndTheProblem) {
  const auto good = idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6});
  auto bad_magic = good;
  bad_magic[0] = 7;
  auto bad_type = good;
  bad_type[2] = 0x0D;
  auto zero_rank = good;
  zero_rank[3] = 0;
  auto huge = idx_bytes({60000, 60000, 60000}, {});
  const std::pair<std::string, std::string> cases[] = {
      {write("magic.idx", bad_magic), "not an IDX file"},
      {write("type.idx", bad_type), "element type 13 unsupported"},
      {write("rank.idx", zero_rank), "bad number of dimensions 0"},
      {write("short.idx", {good.begin(), good.end() - 2}), "does not match its header"},
      {write("long.idx", [&] { auto b = good; b.push_back(9); return b; }()), "does not match its header"},
      {write("header.idx", {0, 0, 8, 2, 0, 0}), "truncated in the header's dimensions"},
      {write("empty.idx", {}), "truncated: no IDX header"},
      {write("huge.idx", huge), "dimensions promise more than 1024 MiB"},
      {write_gz("short.idx.gz", {good.begin(), good.end() - 2}), "truncated: the data ends before the 6 values"},
      {write_gz("long.idx.gz", [&] { auto b = good; b.push_back(9); return b; }()), "trailing bytes"},
      {dir() + "missing.idx", "cannot read IDX file"},
      {dir(), "cannot read IDX file"},  // a folder
      // 100 MB promised by a 70-byte gzip file: refused before the 100 MB are allocated.
      {write_gz("promise.idx.gz", idx_bytes({1000, 1000, 100}, {1, 2, 3})), "more than a gzip file of"},
  };
  for (const auto& [path, message] : cases) {
    const std::string got = error_of(path);
    EXPECT_EQ(got.rfind(path + ": ", 0), 0u) << got;
    EXPECT_NE(got.find(message), std::string::npos) << path << ": " << got;
  }
}

TEST(Idx, ImageSetScalesPixelsAndChecksLabels) {
  const std::string d = dir() + "set";
  std::filesystem::create_directories(d);
  write("set/train-images-idx3-ubyte", idx_bytes({2, 2, 2}, {0, 255, 51, 0, 1, 2, 3, 4}));
  write_gz("set/train-labels-idx1-ubyte.gz", idx_bytes({2}, {7, 3}));
  const auto set = data::load_image_set(d, "train");
  EXPECT_EQ(set.size(), 2);
  EXPECT_EQ(set.rows, 2);
  EXPECT_FLOAT_EQ(set.images[1], 1.0f);
  EXPECT_FLOAT_EQ(set.images[2], 0.2f);
  EXPECT_EQ(set.labels[1], 3);

  write("set/t10k-images-idx3-ubyte", idx_bytes({2, 2, 2}, {0, 0, 0, 0, 0, 0, 0, 0}));
  write("set/t10k-labels-idx1-ubyte", idx_bytes({3}, {1, 2, 3}));
  EXPECT_THROW(data::load_image_set(d, "t10k"), Error);
  write("set/t10k-labels-idx1-ubyte", idx_bytes({2}, {1, 12}));
  EXPECT_THROW(data::load_image_set(d, "t10k"), Error);
  EXPECT_THROW(data::load_image_set(d, "valid"), Error);
}
