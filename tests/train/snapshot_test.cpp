#include "train/snapshot.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "core/error.hpp"
#include "nn/mlp.hpp"
#include "support/scratch.hpp"

using namespace netlens;

namespace {

train::Snapshot sample() {
  train::Snapshot s;
  s.examples = 12345;
  s.steps = 1235;
  s.epoch = 49;
  s.train_loss = 0.125;
  s.test_loss = 0.25;
  s.weights = {0.5f, -1.25f, 3.0f, 1e-3f, 0.0f};
  return s;
}

std::string snapshot_error_of(std::string_view bytes) {
  try {
    train::decode_snapshot(bytes, "run/checkpoint-00003.bin");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Snapshot, RoundTripKeepsTheHeaderAndWeightsToFloat16) {
  const auto bytes = train::encode_snapshot(sample());
  EXPECT_EQ(bytes.size(), train::kSnapshotHeaderBytes + 2 * 5);
  EXPECT_EQ(bytes.substr(0, 4), "NLSN");
  const auto back = train::decode_snapshot(bytes, "x");
  EXPECT_EQ(back.examples, 12345);
  EXPECT_EQ(back.steps, 1235);
  EXPECT_EQ(back.epoch, 49);
  EXPECT_EQ(back.train_loss, 0.125);
  EXPECT_EQ(back.test_loss, 0.25);
  ASSERT_EQ(back.weights.size(), 5u);
  EXPECT_EQ(back.weights[0], 0.5f);
  EXPECT_EQ(back.weights[1], -1.25f);
  EXPECT_NEAR(back.weights[3], 1e-3f, 1e-3f * 1e-3f);
}

TEST(Snapshot, TruncatedFilesAreRefusedWithTheirName) {
  const auto bytes = train::encode_snapshot(sample());
  EXPECT_EQ(snapshot_error_of(bytes.substr(0, bytes.size() - 1)),
            "run/checkpoint-00003.bin: truncated snapshot: the header promises 5 weights (66 bytes), the file has "
            "65 bytes");
  EXPECT_EQ(snapshot_error_of(bytes.substr(0, 20)),
            "run/checkpoint-00003.bin: truncated snapshot: 20 bytes, shorter than the 56-byte header");
  EXPECT_EQ(snapshot_error_of(""), "run/checkpoint-00003.bin: truncated snapshot: 0 bytes, shorter than the 56-byte header");
}

TEST(Snapshot, CorruptFilesAreRefusedWithTheirName) {
  auto bytes = train::encode_snapshot(sample());
  auto flipped = bytes;
  flipped[train::kSnapshotHeaderBytes + 3] ^= 0x10;
  EXPECT_EQ(snapshot_error_of(flipped), "run/checkpoint-00003.bin: corrupt snapshot: the weights fail their CRC-32 check");
  EXPECT_EQ(snapshot_error_of(bytes + "xx"), "run/checkpoint-00003.bin: corrupt snapshot: the header promises 5 weights (66 "
                                    "bytes), the file has 68 bytes");
  auto magic = bytes;
  magic[0] = 'X';
  EXPECT_EQ(snapshot_error_of(magic), "run/checkpoint-00003.bin: not a netlens snapshot (no NLSN magic)");
  auto version = bytes;
  version[4] = 9;
  EXPECT_EQ(snapshot_error_of(version),
            "run/checkpoint-00003.bin: snapshot version 9 is not supported (this netlens reads 1)");
  auto count = bytes;
  count[28] = 6;  // promises one weight more than the file holds
  EXPECT_NE(snapshot_error_of(count).find("truncated snapshot: the header promises 6 weights"), std::string::npos);
}

TEST(Snapshot, ReadingAMissingOrDamagedFileNamesIt) {
  const std::string path = test::temp_path("snapshot.bin");
  try {
    train::read_snapshot(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open snapshot file");
  }
  train::write_snapshot(path, sample());
  EXPECT_EQ(train::read_snapshot(path).examples, 12345);
  std::filesystem::resize_file(path, 60);
  try {
    train::read_snapshot(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": truncated snapshot", 0), 0u) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(Snapshot, CaptureAndRestoreMoveEveryParameter) {
  nn::Network a = nn::build_mlp(2, {{3, nn::Activation::Tanh}, {1, nn::Activation::Linear}});
  nn::Network b = nn::build_mlp(2, {{3, nn::Activation::Tanh}, {1, nn::Activation::Linear}});
  Rng rng(5);
  nn::init_weights(a, rng);
  const auto weights = train::capture_weights(a);
  EXPECT_EQ(weights.size(), 2u * 3 + 3 + 3 + 1);
  train::restore_weights(b, weights, "x");
  EXPECT_EQ(train::capture_weights(b), weights);
  nn::Network other = nn::build_mlp(2, {{4, nn::Activation::Tanh}, {1, nn::Activation::Linear}});
  try {
    train::restore_weights(other, weights, "run/checkpoint-00001.bin");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "run/checkpoint-00001.bin: holds 13 weights, the run's network has 17");
  }
}
