// `netlens explain`: every method on a CNN, the map's values, the overlay, and its errors.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "cli/lurk_models.hpp"

using namespace netlens;
using nlohmann::json;

namespace {

test::Result explain(const std::string& model, const std::string& more) {
  return test::run_netlens("explain --model " + model + " --data-dir " + test::lurk_bar_dir() + " --index 3 " + more);
}

}  // namespace

TEST(ExplainCommand, EveryMethodGivesAMapOfTheInputsSize) {
  const std::string model = test::lurk_model("lurk_cnn", true);
  for (const char* method : {"gradient", "gradient_x_input", "guided_backprop", "deconvnet", "grad_cam", "guided_grad_cam",
                             "layer_cam", "score_cam", "smoothgrad", "integrated_gradients", "occlusion"}) {
    const auto r = explain(model, std::string("--method ") + method + " --json");
    ASSERT_EQ(r.status, 0) << method << ": " << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["map"].size(), 196u) << method;
    EXPECT_EQ(j["label"], 3);
    EXPECT_EQ(j["class"], j["predicted"]);
  }
  const json cam = json::parse(explain(model, "--method grad_cam --layer 1 --class 2 --json").out);
  EXPECT_EQ(cam["class"], 2);
  EXPECT_EQ(cam["cam"]["layer"], 1);
  EXPECT_EQ(cam["cam"]["height"], 14);
  const json fixed = json::parse(explain(model, "--method integrated_gradients --steps 20 --ig-tolerance 0 --json").out);
  EXPECT_EQ(fixed["completeness"]["steps"], 20);
  const json ig = json::parse(explain(model, "--method integrated_gradients --json").out);
  const double difference = ig["output"].get<double>() - ig["completeness"]["baseline_output"].get<double>();
  EXPECT_LE(std::abs(ig["completeness"]["gap"].get<double>()), 0.01 * std::abs(difference)) << ig["completeness"].dump();
  const double sum = std::accumulate(ig["map"].begin(), ig["map"].end(), 0.0, [](double a, const json& v) { return a + v.get<double>(); });
  EXPECT_NEAR(sum - (ig["output"].get<double>() - ig["completeness"]["baseline_output"].get<double>()), ig["completeness"]["gap"].get<double>(), 1e-3);
  const json sanity = json::parse(explain(model, "--method gradient --sanity --json").out);
  ASSERT_EQ(sanity["sanity"].size(), 5u);  // trained, then layers 8, 6, 3, 0 re-drawn
  EXPECT_EQ(sanity["sanity"][0]["spearman"], 1.0);
  EXPECT_EQ(sanity["sanity"][4]["randomised_from"], 0);
  const std::string png = test::temp_path("explain.png");
  const auto written = explain(model, "--method guided_grad_cam --out " + png);
  ASSERT_EQ(written.status, 0) << written.err;
  EXPECT_GT(std::filesystem::file_size(png), 100u);
}

TEST(ExplainCommand, ErrorsExitTwoNamingWhatAndWhere) {
  const std::string cnn = test::lurk_model("lurk_cnn", true), mlp = test::lurk_model("lurk_mlp", false);
  const auto layer = explain(cnn, "--method grad_cam --layer 42");
  EXPECT_EQ(layer.status, 2);
  EXPECT_NE(layer.err.find("layer 42: no such layer; the model has 9 (0..8)"), std::string::npos) << layer.err;
  const auto flat = explain(cnn, "--method grad_cam --layer 6");
  EXPECT_EQ(flat.status, 2);
  EXPECT_NE(flat.err.find("a CAM needs a conv layer"), std::string::npos) << flat.err;
  const auto on_mlp = explain(mlp, "--method score_cam");
  EXPECT_EQ(on_mlp.status, 2);
  EXPECT_NE(on_mlp.err.find("need a conv layer, and this model has none"), std::string::npos) << on_mlp.err;
  EXPECT_EQ(explain(mlp, "--method integrated_gradients").status, 0);
  const auto method = explain(cnn, "--method lrp");
  EXPECT_EQ(method.status, 2);
  EXPECT_NE(method.err.find("lrp"), std::string::npos) << method.err;
  const auto cls = explain(cnn, "--method gradient --class 10");
  EXPECT_EQ(cls.status, 2);
  EXPECT_NE(cls.err.find("--class: 10: no such class"), std::string::npos) << cls.err;
  EXPECT_EQ(explain(cnn, "--method gradient --baseline grey").status, 2);
  EXPECT_EQ(test::run_netlens("explain --model " + cnn + " --method gradient").status, 2);  // no image
  const auto missing = test::run_netlens("explain --model /nonexistent.nlmodel --index 0 --method gradient");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("/nonexistent.nlmodel"), std::string::npos);
}
