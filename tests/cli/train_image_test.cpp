// `netlens train --config`: the real binary on generated images and, when it is there, MNIST.
#include <gtest/gtest.h>
#include <png.h>

#include <cstring>

#include <filesystem>
#include <vector>
#include <fstream>
#include <nlohmann/json.hpp>

#include "data/idx.hpp"
#include "support/bar_images.hpp"
#include "support/run_netlens.hpp"

using namespace netlens;
using nlohmann::json;

namespace {

std::string write_config(const std::string& name, const json& config) {
  const std::string path = test::temp_path(name);
  std::ofstream(path) << config.dump(2);
  return path;
}

json example(const std::string& name) {
  return json::parse(std::ifstream(std::string(NETLENS_SOURCE_DIR) + "/examples/" + name));
}

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

std::string mnist_dir() { return std::string(NETLENS_SOURCE_DIR) + "/.cache/mnist"; }

// MNIST test image `index` as a photo would show it: dark ink on white paper, 56 × 56.
std::string write_paper_png(int index) {
  const data::ImageSet test = data::load_image_set(mnist_dir(), "t10k");
  std::vector<unsigned char> pixels(56 * 56);
  for (int y = 0; y < 56; ++y)
    for (int x = 0; x < 56; ++x)
      pixels[static_cast<std::size_t>(y * 56 + x)] =
          static_cast<unsigned char>(255 - 255 * test.images[static_cast<std::size_t>(index * 784 + (y / 2) * 28 + x / 2)]);
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = image.height = 56;
  image.format = PNG_FORMAT_GRAY;
  const std::string path = test::temp_path("paper.png");
  png_image_write_to_file(&image, path.c_str(), 0, pixels.data(), 0, nullptr);
  return path;
}

}  // namespace

TEST(TrainImage, ClassicCnnOnAFewThousandMnistImagesIsFarAboveChanceAndReadsAPhotographedDigit) {
  if (!std::filesystem::exists(mnist_dir() + "/train-images-idx3-ubyte")) GTEST_SKIP() << "MNIST not fetched (make setup)";
  json c = example("mnist_cnn.json");
  c["epochs"] = 2;
  c["percent_of_train_data_to_use"] = 0.05;  // 3,000 images: 2,400 to train, 600 to validate
  const std::string model = test::temp_path("short.nlmodel");
  const auto r = test::run_netlens("train --config " + write_config("short_cnn.json", c) + " --data-dir " + mnist_dir() +
                                   " --out " + model + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0]["epoch"], 1);
  EXPECT_TRUE(lines[1].contains("validation_loss"));
  EXPECT_EQ(lines[2]["train_images"], 2400);
  EXPECT_GT(lines[2]["test_accuracy"].get<double>(), 0.8) << "chance is 0.1: " << r.out;
  // Test image 0 (a 7) photographed on paper: infer --image prepares it as MNIST's digits were.
  const std::string png = write_paper_png(0);
  const auto inferred = test::run_netlens("infer --model " + model + " --image " + png + " --json");
  ASSERT_EQ(inferred.status, 0) << inferred.err;
  EXPECT_EQ(json::parse(inferred.out)["top"][0]["class"], 7) << inferred.out;
  const auto text = test::run_netlens("infer --model " + model + " --image " + png);
  EXPECT_EQ(text.out.rfind("7 ", 0), 0u) << text.out;
  std::filesystem::remove(png);
  std::filesystem::remove(model);
}

TEST(TrainImage, SavesAModelThatInferReadsBack) {
  const std::string dir = test::write_bar_images("cli", 600, 100);
  json c = example("mnist_mlp.json");
  c["epochs"] = 3;
  const std::string model = test::temp_path("bars.nlmodel");
  const auto r = test::run_netlens("train --config " + write_config("bars_mlp.json", c) + " --data-dir " + dir + " --out " + model);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("epoch   3  val loss"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("model saved to " + model), std::string::npos) << r.out;
  const auto inferred = test::run_netlens("infer --model " + model + " --index 3 --data-dir " + dir + " --json");
  ASSERT_EQ(inferred.status, 0) << inferred.err;
  const json j = json::parse(inferred.out);
  EXPECT_EQ(j["label"], 3);
  EXPECT_EQ(j["top"][0]["class"], 3) << inferred.out;
  // A blank page: the answer comes with a warning that it means nothing.
  std::vector<unsigned char> white(56 * 56, 255);
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = image.height = 56;
  image.format = PNG_FORMAT_GRAY;
  const std::string blank = test::temp_path("blank.png");
  png_image_write_to_file(&image, blank.c_str(), 0, white.data(), 0, nullptr);
  const auto empty = test::run_netlens("infer --model " + model + " --image " + blank);
  EXPECT_EQ(empty.status, 0) << empty.err;
  EXPECT_NE(empty.err.find("warning: " + blank + " is blank (no ink found)"), std::string::npos) << empty.err;
  EXPECT_EQ(inferred.err, "") << "no warning for a real digit";
  std::filesystem::remove(blank);
  std::filesystem::remove_all(dir);
  std::filesystem::remove(model);
}

TEST(TrainImage, ABadConfigIsRefusedBeforeTrainingWithTheLayerAndReason) {
  json c = example("mnist_cnn.json");
  c["layers"].erase(6);
  const std::string path = write_config("no_flatten.json", c);
  const auto r = test::run_netlens("train --config " + path + " --data-dir /nonexistent");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(path + ": layers[6] dense: needs a flatten before it"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");

  json pool = example("mnist_cnn.json");
  pool["input_size"] = 4;  // 4 -> conv p1 -> 4 -> pool -> 2 -> conv p1 -> 2 -> pool 2 fits; make the window 3
  pool["layers"][5]["filter_size"] = 3;
  const auto p = test::run_netlens("train --config " + write_config("big_window.json", pool));
  EXPECT_EQ(p.status, 2);
  EXPECT_NE(p.err.find("layers[5] maxpool: 2×2 input is smaller than the 3×3 window"), std::string::npos) << p.err;
}

TEST(TrainImage, BadArgumentsExitTwo) {
  const std::string cnn = std::string(NETLENS_SOURCE_DIR) + "/examples/mnist_cnn.json";
  EXPECT_EQ(test::run_netlens("train --config " + cnn + " --data cifar").status, 2);
  EXPECT_EQ(test::run_netlens("train --config " + cnn + " --spec x.json").status, 2);
  EXPECT_EQ(test::run_netlens("train --config /nonexistent.json").status, 2);
  EXPECT_EQ(test::run_netlens("train --config " + cnn + " --data-dir /nonexistent").status, 2);
}
