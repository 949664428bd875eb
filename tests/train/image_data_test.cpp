#include "train/image_data.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.hpp"
#include "support/bar_images.hpp"

using namespace netlens;

namespace {
train::ImageConfig config(double use, double validation, double subset, int input_size) {
  train::ImageConfig c;
  c.percent_of_train_data_to_use = use;
  c.percent_train_data_to_use_for_validation = validation;
  c.validation_subset_ratio = subset;
  c.network.input_size = input_size;
  return c;
}
}  // namespace

TEST(ImageData, SplitsTheChosenShareAndResizes) {
  const std::string dir = test::write_bar_images("split", 1000, 200);
  const train::ImageData d = train::load_image_data(config(0.5, 0.2, 0.5, 14), dir);
  EXPECT_EQ(d.train.size(), 400);       // 500 used, 100 of them for validation
  EXPECT_EQ(d.validation.size(), 50);   // half of the validation rows are evaluated
  EXPECT_EQ(d.test.size(), 200);        // the whole test set, always
  EXPECT_EQ(d.train.inputs.shape(), (Shape{400, 196}));
  EXPECT_EQ(d.test.targets.shape(), (Shape{200, 10}));
  EXPECT_EQ(d.test_images.size(), 200u * 784);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(d.test.targets[static_cast<std::size_t>(i * 10 + d.test.labels[static_cast<std::size_t>(i)])], 1.0f);
  // Class c's bar (rows 3 + 2c, 4 + 2c) lands half on row 1 + c, half on 2 + c of the 14 × 14
  // image: bright there, dark elsewhere.
  const int c = d.test.labels[0];
  double bar = 0, elsewhere = 0;
  for (int x = 4; x < 9; ++x)
    for (int y : {c + 1, c + 2}) bar += d.test.inputs[static_cast<std::size_t>(y * 14 + x)];
  for (int x = 4; x < 9; ++x)
    for (int y : {(c + 5) % 14, (c + 6) % 14}) elsewhere += d.test.inputs[static_cast<std::size_t>(y * 14 + x)];
  EXPECT_GT(bar, 4.0);
  EXPECT_LT(elsewhere, 2.0);
  std::filesystem::remove_all(dir);
}

TEST(ImageData, TheSameSeedChoosesTheSameImages) {
  const std::string dir = test::write_bar_images("seed", 300, 20);
  const auto a = train::load_image_data(config(0.3, 0.2, 1, 28), dir), b = train::load_image_data(config(0.3, 0.2, 1, 28), dir);
  EXPECT_EQ(a.train.labels, b.train.labels);
  EXPECT_EQ(a.train.inputs.values(), b.train.inputs.values());
  std::filesystem::remove_all(dir);
}

TEST(ImageData, MissingFilesAndThreeChannelsAreRefused) {
  EXPECT_THROW(train::load_image_data(config(1, 0.2, 1, 28), "/nonexistent/mnist"), Error);
  const std::string dir = test::write_bar_images("channels", 50, 10);
  auto c = config(1, 0.2, 1, 28);
  c.network.in_channels = 3;
  EXPECT_THROW(train::load_image_data(c, dir), Error);
  std::filesystem::remove_all(dir);
}

TEST(ImageData, FashionMnistIsReadFromDebiansGzippedFiles) {
  const std::string dir = train::dataset_dir("fashion-mnist");
  if (!std::filesystem::exists(dir + "/t10k-images-idx3-ubyte.gz")) GTEST_SKIP() << "dataset-fashion-mnist not installed";
  const auto d = train::load_image_data(config(0.01, 0.2, 1, 28), dir);
  EXPECT_EQ(d.test.size(), 10000);
  EXPECT_EQ(d.train.size(), 480);
  EXPECT_EQ(train::class_names("fashion-mnist")[9], "Ankle boot");
}
