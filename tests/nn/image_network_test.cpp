#include "nn/image_network.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"

using namespace netlens;
using nlohmann::json;

namespace {

json classic() {
  std::ifstream in(std::string(NETLENS_SOURCE_DIR) + "/examples/mnist_cnn.json");
  return json::parse(in);
}

// The Error's message for a config, or "" when it is accepted.
std::string refusal(const json& config) {
  try {
    nn::parse_image_network(config);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ImageNetwork, InfersTheClassicConfigsShapes) {
  const auto spec = nn::parse_image_network(classic());
  // 14 -> conv3 p1 -> 14 -> pool2 -> 7 -> conv3 p1 -> 7 -> pool2 -> 3 -> flatten 144 -> 128 -> 10
  const std::vector<Shape> expected{{1, 14, 14}, {8, 14, 14}, {8, 14, 14}, {8, 7, 7}, {16, 7, 7}, {16, 7, 7}, {16, 3, 3},
                                    {144},       {128},       {128},       {10},      {10}};
  EXPECT_EQ(spec.shapes, expected);
  nn::Network net = nn::build_image_network(spec, 1);
  EXPECT_EQ(net.size(), 10u) << "the final softmax is folded into the loss";
  EXPECT_EQ(net.output_shape(), Shape{10});
  EXPECT_EQ(net.param_count(), std::size_t(8 * 9 + 8 + 16 * 72 + 16 + 144 * 128 + 128 + 128 * 10 + 10));
}

TEST(ImageNetwork, ConvDefaultsToStrideOneAndNoPadding) {
  const json config{{"input_size", 28},
                    {"layers", {{{"type", "conv"}, {"out_channels", 4}, {"filter_size", 5}},
                                {{"type", "flatten"}},
                                {{"type", "dense"}, {"out_features", 10}}}}};
  EXPECT_EQ(nn::parse_image_network(config).shapes[1], (Shape{4, 24, 24}));
}

TEST(ImageNetwork, DenseWithoutFlattenIsRefusedWithItsIndex) {
  json c = classic();
  c["layers"].erase(6);  // the flatten; the dense layer moves to index 6
  EXPECT_EQ(refusal(c), "layers[6] dense: needs a flatten before it");
  const json early{{"layers", {{{"type", "conv"}, {"out_channels", 2}, {"filter_size", 3}}, {{"type", "relu"}},
                               {{"type", "maxpool"}}, {{"type", "relu"}}, {{"type", "relu"}},
                               {{"type", "dense"}, {"out_features", 10}}}}};
  EXPECT_EQ(refusal(early), "layers[5] dense: needs a flatten before it");
}

TEST(ImageNetwork, APoolWindowLargerThanItsInputIsRefused) {
  // 14 -> conv 5 stride 3 -> 4 -> pool 2 -> 2 -> pool 3: the window does not fit.
  const json c{{"layers", {{{"type", "conv"}, {"out_channels", 2}, {"filter_size", 5}, {"stride", 3}},
                           {{"type", "maxpool"}, {"filter_size", 2}, {"stride", 2}},
                           {{"type", "relu"}},
                           {{"type", "maxpool"}, {"filter_size", 3}, {"stride", 1}},
                           {{"type", "flatten"}},
                           {{"type", "dense"}, {"out_features", 10}}}}};
  EXPECT_EQ(refusal(c), "layers[3] maxpool: 2×2 input is smaller than the 3×3 window");
}

TEST(ImageNetwork, OtherMistakesNameTheLayerAndTheReason) {
  auto with_layers = [](json layers) { return json{{"layers", std::move(layers)}}; };
  EXPECT_EQ(refusal(with_layers({{{"type", "lstm"}}})).rfind("layers[0].type: unknown layer type 'lstm' (known: conv, ", 0), 0u);
  EXPECT_EQ(refusal(with_layers({{{"type", 3}}})), "layers[0].type: must be a string, got a number");
  EXPECT_EQ(refusal(with_layers({{{"units", 3}}})), "layers[0].type: is missing");
  // json::array({...}): clang reads {json::array()} as a copy of the empty array, GCC as a list of one.
  EXPECT_EQ(refusal(with_layers(json::array({json::array()}))), "layers[0]: must be an object, got an array");
  EXPECT_EQ(refusal(with_layers({{{"type", "conv"}, {"filter_size", 3}}})), "layers[0].out_channels: is missing");
  EXPECT_EQ(refusal(with_layers({{{"type", "conv"}, {"out_channels", 2.5}, {"filter_size", 3}}})),
            "layers[0].out_channels: must be an integer 1..1024, got 2.5");
  EXPECT_EQ(refusal(with_layers({{{"type", "conv"}, {"out_channels", 2}, {"filter_size", 3}, {"padding", 3}}})),
            "layers[0].padding: must be smaller than filter_size (3), got 3");
  EXPECT_EQ(refusal(with_layers({{{"type", "flatten"}}, {{"type", "dense"}, {"out_features", 10}, {"units", 3}}})),
            "layers[1].units: unknown key (known: type, out_features)");
  EXPECT_EQ(refusal(with_layers({{{"type", "flatten"}}, {{"type", "dropout"}, {"rate", 1}}, {{"type", "dense"}, {"out_features", 10}}})),
            "layers[1].rate: must be a number 0 <= x < 1, got 1");
  EXPECT_EQ(refusal(with_layers({{{"type", "flatten"}}, {{"type", "dropout"}, {"rate", -0.5}}, {{"type", "dense"}, {"out_features", 10}}})),
            "layers[1].rate: must be a number 0..1, got -0.5");
  EXPECT_EQ(refusal(with_layers({{{"type", "flatten"}}, {{"type", "softmax"}}, {{"type", "dense"}, {"out_features", 10}}})),
            "layers[1] softmax: must be the last layer (it turns the outputs into class probabilities)");
  EXPECT_EQ(refusal(with_layers({{{"type", "flatten"}}, {{"type", "dense"}, {"out_features", 12}}, {{"type", "softmax"}}})),
            "layers[1] dense: out_features is 12 but num_classes is 10 (the last dense layer gives the class scores)");
  EXPECT_EQ(refusal(with_layers({{{"type", "flatten"}}, {{"type", "conv"}, {"out_channels", 2}, {"filter_size", 3}}})),
            "layers[1] conv: needs channels × height × width, but its input is flat (196 features): put it before the flatten");
  EXPECT_EQ(refusal(with_layers(json::array())).rfind("layers: must be a non-empty array of layers, e.g. ", 0), 0u);
  EXPECT_EQ(refusal(json::object()), "layers: is missing");
  EXPECT_EQ(refusal(with_layers("flatten")), "layers: must be an array, got a string");
  EXPECT_EQ(refusal({{"input_size", 0}, {"layers", {{{"type", "flatten"}}}}}), "input_size: must be an integer 2..256, got 0");
  EXPECT_EQ(refusal({{"num_classes", "10"}, {"layers", {{{"type", "flatten"}}}}}),
            "num_classes: must be an integer 1..65536, got a string");
}

TEST(ImageNetwork, IntegersMayBeWrittenWithAZeroFraction) {
  const json c{{"input_size", 28.0},
               {"layers", {{{"type", "conv"}, {"out_channels", 4.0}, {"filter_size", 5}},
                           {{"type", "flatten"}},
                           {{"type", "dense"}, {"out_features", 10.0}}}}};
  const auto spec = nn::parse_image_network(c);
  EXPECT_EQ(spec.shapes[1], (Shape{4, 24, 24}));
  EXPECT_EQ(spec.shapes.back(), Shape{10});
}

TEST(ImageNetwork, DropoutIsBuiltAndOnlyActsWhileTraining) {
  const json c{{"input_size", 4},
               {"layers", {{{"type", "flatten"}}, {{"type", "dropout"}, {"rate", 0.5}}, {{"type", "dense"}, {"out_features", 10}}}}};
  nn::Network net = nn::build_image_network(nn::parse_image_network(c), 3);
  nn::Workspace ws = net.make_workspace(1);
  ws.input().fill(1.0f);
  const std::vector<float> eval = net.forward(ws, 1).values();
  EXPECT_EQ(net.forward(ws, 1).values(), eval);
  net.set_training(true);
  EXPECT_NE(net.forward(ws, 1).values(), eval);
}

TEST(ImageNetwork, AFlatInputEveryActivationAndAFinalLogSoftmaxAreBuilt) {
  json layers = json::array();
  for (const char* a : {"relu", "leaky_relu", "tanh", "sigmoid", "elu", "softplus", "silu", "gelu", "mish", "sine"}) {
    layers.push_back({{"type", "dense"}, {"out_features", 3}});
    layers.push_back({{"type", a}});
  }
  layers.push_back({{"type", "dense"}, {"out_features", 4}});
  layers.push_back({{"type", "log_softmax"}});
  const auto spec = nn::parse_image_network({{"input_features", 2}, {"num_classes", 4}, {"layers", layers}});
  EXPECT_EQ(spec.shapes.front(), Shape{2});
  EXPECT_TRUE(nn::ends_with_softmax(spec));
  nn::Network net = nn::build_image_network(spec, 1);
  EXPECT_EQ(net.size(), 21u) << "the final log_softmax is folded out, like softmax";
  EXPECT_EQ(net.layer(17).name(), "mish");
}

TEST(ImageNetwork, AFlatInputTakesNoImageKeysAndRefusesConvolutions) {
  const json dense = json::array({{{"type", "dense"}, {"out_features", 1}}});
  EXPECT_EQ(refusal({{"input_features", 2}, {"input_size", 8}, {"num_classes", 1}, {"layers", dense}}),
            "input_size: must not be given with input_features (a flat input)");
  EXPECT_EQ(refusal({{"input_features", 2}, {"num_classes", 1},
                     {"layers", {{{"type", "conv"}, {"out_channels", 2}, {"filter_size", 3}}}}}),
            "layers[0] conv: needs channels × height × width, but its input is flat (2 features): put it before the flatten");
  EXPECT_EQ(refusal({{"input_features", 2}, {"num_classes", 1}, {"layers", dense}}), "");
}
