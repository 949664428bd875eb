#include "server/lurk/session.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

#include "nn/model_file.hpp"
#include "probe/lurk/sanity.hpp"
#include "server/support/recording_outbox.hpp"
#include "train/image_timeline.hpp"
#include "support/bar_images.hpp"
#include "server/lurk/trained_model.hpp"

using namespace netlens;
using namespace netlens::server;
using namespace netlens::server::lurk;
using netlens::test::TrainedModel;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::uint32_t seq_of(const Recorded& frame) {
  std::uint32_t seq = 0;
  std::memcpy(&seq, frame.data().data() + 4, 4);
  return seq;
}

// The shape and values of tensor `index` of a tensor frame (server/common/wire.hpp).
std::pair<std::vector<int>, std::vector<float>> frame_tensor(const Recorded& frame, std::size_t index) {
  const std::string& d = frame.data();
  std::size_t at = 12;
  const auto u32 = [&](std::size_t p) {
    std::uint32_t v = 0;
    std::memcpy(&v, d.data() + p, 4);
    return v;
  };
  for (std::size_t t = 0;; ++t) {
    const std::uint32_t rank = u32(at);
    std::vector<int> shape;
    std::size_t n = 1;
    for (std::uint32_t r = 0; r < rank; ++r) shape.push_back(static_cast<int>(u32(at + 4 + 4 * r))), n *= shape.back();
    at += 4 + 4 * rank;
    if (t == index) {
      std::vector<float> v(n);
      std::memcpy(v.data(), d.data() + at, 4 * n);
      return {shape, v};
    }
    at += 4 * n;
  }
}

const Recorded* binary_after(const RecordingOutbox& out, std::size_t from, std::string_view magic) {
  return out.wait_for_message([&](const Recorded& r) { return r.binary && r.data().substr(0, 4) == magic; }, from);
}

}  // namespace

TEST(LurkSession, OpensAModelRunsThePassInStepsThenAnswersLayersUnitsAndExplanations) {
  const TrainedModel trained;
  RecordingOutbox out;
  Budget memory(1ull << 30);
  digits::ImageDataCache images_session(memory);
  LurkSession session(out, {trained.models, trained.data}, memory, images_session);
  out.attach(session);
  const Recorded* hello = out.wait_for("hello");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->json["view"], "lurk");
  EXPECT_EQ(hello->json["models"], json::array({"bars-cnn.nlmodel"}));

  // Before a model: a clear error, and the session lives on.
  session.receive(R"({"type":"layer","layer":0})");
  const Recorded* none = out.wait_for("error");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->json["message"], "layer: no model is open; open one first");

  session.receive(R"({"type":"open","model":"bars-cnn.nlmodel"})");
  const Recorded* network = out.wait_for("network");
  ASSERT_TRUE(network);
  EXPECT_EQ(network->json["layers"].size(), 10u);
  EXPECT_EQ(network->json["layers"][0]["params"], 8 * 9 + 8);
  EXPECT_EQ(network->json["layers"][0]["shape"], json::array({8, 14, 14}));
  // The largest |w| of each layer's weights, for the page's layer and global colour scales.
  float first_max = 0;
  nn::Model saved = nn::load_model(trained.models / "bars-cnn.nlmodel");
  for (float w : saved.network.layer(0).params()[0].value->values()) first_max = std::max(first_max, std::abs(w));
  EXPECT_FLOAT_EQ(network->json["layers"][0]["weight_max"].get<float>(), first_max);
  EXPECT_EQ(network->json["layers"][1]["weight_max"], 0) << "a ReLU has no weights";
  EXPECT_EQ(network->json["scored"].size(), 4u);
  EXPECT_EQ(network->json["cam_default"], 1) << "the deepest conv activation of at least 10×10 (cam_layer.hpp)";
  EXPECT_EQ(network->json["images"], 200);
  const Recorded* done = out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }, network->index);
  ASSERT_TRUE(done);
  EXPECT_FALSE(done->json["cached"]);
  EXPECT_TRUE(fs::exists(trained.models / "bars-cnn.nlmodel.lurk" / "mnist-test" / "manifest.json")) << "the pass is cached";

  session.receive(R"({"type":"layer","layer":0})");
  const Recorded* layer = out.wait_for("layer", done->index);
  ASSERT_TRUE(layer);
  EXPECT_EQ(layer->json["units"].size(), 8u);
  const Recorded* layer_frame = binary_after(out, layer->index, "NLLY");
  ASSERT_TRUE(layer_frame);
  EXPECT_EQ(static_cast<unsigned char>(layer_frame->data()[8]), 2) << "top-1 images and the kernels";

  session.receive(R"({"type":"unit","layer":3,"unit":2})");
  const Recorded* unit = out.wait_for("unit", layer->index);
  ASSERT_TRUE(unit);
  EXPECT_EQ(unit->json["top_max"].size(), 9u);
  EXPECT_EQ(unit->json["top_max"][0]["box"].size(), 4u);
  EXPECT_TRUE(unit->json["bias"].is_number());
  const Recorded* unit_frame = binary_after(out, unit->index, "NLUN");
  ASSERT_TRUE(unit_frame);
  EXPECT_EQ(seq_of(*unit_frame), unit->json["seq"].get<std::uint32_t>());
  EXPECT_EQ(static_cast<unsigned char>(unit_frame->data()[8]), 5) << "images, vanilla, guided, by mean, kernels";

  // A dense unit after the Flatten: its incoming weights shaped as the image the Flatten
  // flattened (16 channels of 3×3), the model's weight column, and its bias.
  session.receive(R"({"type":"unit","layer":7,"unit":4})");
  const Recorded* dense = out.wait_for("unit", [](const json& j) { return j["layer"] == 7; }, unit_frame->index);
  ASSERT_TRUE(dense);
  const Recorded* dense_frame = binary_after(out, dense->index, "NLUN");
  ASSERT_TRUE(dense_frame);
  const auto [dense_shape, dense_weights] = frame_tensor(*dense_frame, 4);
  EXPECT_EQ(dense_shape, (std::vector<int>{16, 3, 3}));
  const Tensor& w = *saved.network.layer(7).params()[0].value;
  ASSERT_EQ(dense_weights.size(), 144u);
  for (int i = 0; i < 144; ++i) EXPECT_FLOAT_EQ(dense_weights[static_cast<std::size_t>(i)], w.data()[i * w.shape()[1] + 4]);
  EXPECT_FLOAT_EQ(dense->json["bias"].get<float>(), saved.network.layer(7).params()[1].value->data()[4]);
  session.receive(R"({"type":"unit","layer":9,"unit":2})");
  const Recorded* last = out.wait_for("unit", [](const json& j) { return j["layer"] == 9; }, dense_frame->index);
  ASSERT_TRUE(last);
  const Recorded* last_frame = binary_after(out, last->index, "NLUN");
  ASSERT_TRUE(last_frame);
  EXPECT_EQ(frame_tensor(*last_frame, 4).first, (std::vector<int>{saved.network.layer(9).params()[0].value->shape()[0]}))
      << "after a dense layer: a strip of weights";

  session.receive(R"({"type":"unit","layer":3,"unit":99})");
  const Recorded* bad_unit = out.wait_for("error", last_frame->index);
  ASSERT_TRUE(bad_unit);
  EXPECT_EQ(bad_unit->json["message"], "unit: unit: 99: no such unit; layer 3 has 16 (0..15)");

  session.receive(R"({"type":"explain","test":5,"method":"grad_cam"})");
  const Recorded* why = out.wait_for("explanation", bad_unit->index);
  ASSERT_TRUE(why);
  EXPECT_EQ(why->json["probabilities"].size(), 10u);
  // The logits, whose softmax the probabilities are.
  const std::vector<double> logits = why->json["logits"].get<std::vector<double>>();
  ASSERT_EQ(logits.size(), 10u);
  double z_sum = 0;
  for (double z : logits) z_sum += std::exp(z);
  for (std::size_t k = 0; k < 10; ++k) EXPECT_NEAR(why->json["probabilities"][k].get<double>(), std::exp(logits[k]) / z_sum, 1e-5);
  EXPECT_EQ(why->json["target"], why->json["predicted"]);
  EXPECT_EQ(why->json["cam_layer"], 1) << "the first conv layer's ReLU (14×14): the last one's map is 7×7 (cam_layer.hpp)";
  const Recorded* maps = binary_after(out, why->index, "NLEX");
  ASSERT_TRUE(maps);
  EXPECT_EQ(static_cast<unsigned char>(maps->data()[8]), 3) << "the input, its map, every class's map";

  // The sanity check on the same input: the trained model's map first (the explanation's), then
  // one map per randomised layer (conv 0, conv 3, dense 7, dense 9 from the top), each with the
  // Spearman correlation of its |map| with the trained one's.
  session.receive(R"({"type":"sanity","method":"grad_cam"})");
  const Recorded* sanity = out.wait_for("sanity", maps->index);
  ASSERT_TRUE(sanity);
  const Recorded* sanity_frame = binary_after(out, sanity->index, "NLSN");
  ASSERT_TRUE(sanity_frame);
  const json& steps = sanity->json["steps"];
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[0]["name"], "trained");
  EXPECT_EQ(steps[0]["correlation"], 1.0);
  EXPECT_EQ(steps[1]["layer"], 9);
  EXPECT_EQ(steps[4]["layer"], 0);
  EXPECT_EQ(sanity->json["cam_layer"], 1);
  const auto [sanity_shape, sanity_maps] = frame_tensor(*sanity_frame, 0);
  EXPECT_EQ(sanity_shape, (std::vector<int>{5, 14, 14}));
  const std::vector<float> explained = frame_tensor(*maps, 1).second;
  EXPECT_EQ(std::vector<float>(sanity_maps.begin(), sanity_maps.begin() + 196), explained) << "step 0 is the map explained";
  const std::vector<float> random_map(sanity_maps.end() - 196, sanity_maps.end());
  EXPECT_NEAR(steps[4]["correlation"].get<double>(), probe::lurk::spearman_abs(explained, random_map), 1e-9);

  // How a conv unit computes at one position: its patches times its kernels, summed, plus the
  // bias, is the engine's value there; the ReLU after it gives the activation.
  session.receive(R"({"type":"operate","layer":3,"unit":2,"y":3,"x":4})");
  const Recorded* op = out.wait_for("operation", sanity_frame->index);
  ASSERT_TRUE(op);
  const Recorded* op_frame = binary_after(out, op->index, "NLOP");
  ASSERT_TRUE(op_frame);
  const auto floats = [&](std::size_t at, std::size_t n) {
    std::vector<float> v(n);
    std::memcpy(v.data(), op_frame->data().data() + at, 4 * n);
    return v;
  };
  // NLOP: patches [8, 3, 3], kernels [8, 3, 3], the map [7, 7]; each tensor: rank 3 (or 2), dims, values.
  const std::size_t patches_at = 12 + 4 + 12, kernels_at = patches_at + 4 * 72 + 4 + 12;
  const std::vector<float> patches = floats(patches_at, 72), kernel = floats(kernels_at, 72);
  double sum = op->json["bias"].get<double>();
  for (std::size_t i = 0; i < 72; ++i) sum += static_cast<double>(patches[i]) * kernel[i];
  EXPECT_NEAR(sum, op->json["value"].get<double>(), 1e-4);
  EXPECT_FLOAT_EQ(op->json["activation"].get<float>(), std::max(0.0f, op->json["value"].get<float>()));
  EXPECT_EQ(op->json["activation_name"], "relu");
  EXPECT_GE(op->json["map_max"]["layer"].get<float>(), std::abs(op->json["activation"].get<float>()));
  EXPECT_GE(op->json["map_max"]["global"].get<float>(), op->json["map_max"]["layer"].get<float>());
  // The max-pool after the ReLU: its 2×2 window holding (3, 4) is rows 2..3, columns 4..5 of the
  // unit's map; the pool's output there is the window's maximum, at the index the page outlines.
  const json& pool = op->json["pool"];
  ASSERT_TRUE(pool.is_object());
  EXPECT_EQ(pool["layer"], 5);
  EXPECT_EQ(pool["y"], 1);
  EXPECT_EQ(pool["x"], 2);
  const std::vector<float> map = floats(kernels_at + 4 * 72 + 4 + 8, 49);
  const std::vector<float> window{map[2 * 7 + 4], map[2 * 7 + 5], map[3 * 7 + 4], map[3 * 7 + 5]};
  EXPECT_EQ(pool["values"].get<std::vector<float>>(), window);
  const auto top = std::max_element(window.begin(), window.end());
  EXPECT_EQ(pool["argmax"], top - window.begin());
  EXPECT_FLOAT_EQ(pool["output"].get<float>(), *top);
  session.receive(R"({"type":"operate","layer":2,"unit":0,"y":0,"x":0})");
  const Recorded* not_conv = out.wait_for("error", op->index);
  ASSERT_TRUE(not_conv);
  EXPECT_EQ(not_conv->json["message"], "operate: layer: 2 is not a conv layer");

  session.receive(R"({"type":"dream","layer":0,"unit":1})");
  const Recorded* dream = out.wait_for("dream", not_conv->index);
  ASSERT_TRUE(dream);
  EXPECT_TRUE(dream->json["top_score"].is_number());
  const Recorded* dream_frame = binary_after(out, dream->index, "NLDR");
  ASSERT_TRUE(dream_frame);
  EXPECT_EQ(frame_tensor(*dream_frame, 1).first, (std::vector<int>{1, 14, 14}));
  // A diversity set of three, pushed apart: three images, not all the same.
  session.receive(R"({"type":"dream","layer":0,"unit":1,"count":3,"diversity":1})");
  const Recorded* set = out.wait_for("dream", [](const json& j) { return j["values"].size() == 3; }, dream_frame->index);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->json["diversity"], 1.0);
  const Recorded* set_frame = binary_after(out, set->index, "NLDR");
  ASSERT_TRUE(set_frame);
  const auto [set_shape, set_images] = frame_tensor(*set_frame, 1);
  EXPECT_EQ(set_shape, (std::vector<int>{3, 14, 14}));
  EXPECT_NE(std::vector<float>(set_images.begin(), set_images.begin() + 196), std::vector<float>(set_images.begin() + 196, set_images.begin() + 392));

  // Every unit of the first conv layer dreams, one per tick: a command sent meanwhile is
  // answered before the last dream.
  session.receive(R"({"type":"dream_layer","layer":0})");
  session.receive(R"({"type":"sample","label":4})");
  const Recorded* last_dream = out.wait_for("layer_dream", [](const json& j) { return j["done"] == 8; }, set_frame->index);
  ASSERT_TRUE(last_dream);
  EXPECT_EQ(last_dream->json["units"], 8);
  const Recorded* between = out.wait_for("sample", set_frame->index);
  ASSERT_TRUE(between);
  EXPECT_LT(between->index, last_dream->index) << "the dreams did not hold the session up";
  const Recorded* frame = set_frame;
  for (int i = 0; i < 8; ++i) {
    frame = binary_after(out, frame->index + 1, "NLLD");
    ASSERT_TRUE(frame) << "the dream of unit " << i;
  }
  session.receive(R"({"type":"dream_layer","layer":6})");
  const Recorded* flat = out.wait_for("error", last_dream->index);
  ASSERT_TRUE(flat);
  EXPECT_EQ(flat->json["message"], "dream_layer: layer: 6 (Flatten) has no units to dream: pick a conv or dense layer");
}

TEST(LurkSession, ReadsTheCacheOnTheSecondOpenAndSaysWhatIsMissing) {
  const TrainedModel trained;
  RecordingOutbox out;
  Budget memory(1ull << 30);
  {
    digits::ImageDataCache images_first(memory);
    LurkSession first(out, {trained.models, trained.data}, memory, images_first);
    out.attach(first);
    first.receive(R"({"type":"open","model":"bars-cnn.nlmodel"})");
    ASSERT_TRUE(out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }));
  }
  RecordingOutbox again;
  digits::ImageDataCache images_second(memory);
  LurkSession second(again, {trained.models, trained.data}, memory, images_second);
  again.attach(second);
  second.receive(R"({"type":"open","model":"bars-cnn.nlmodel"})");
  const Recorded* progress = again.wait_for("progress");
  ASSERT_TRUE(progress);
  EXPECT_TRUE(progress->json["cached"]);
  EXPECT_EQ(progress->json["done"], 200);

  second.receive(R"({"type":"open","model":"gone.nlmodel"})");
  const Recorded* missing = again.wait_for("error");
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->json["message"].get<std::string>().find("gone.nlmodel is not in the models folder"), std::string::npos);
  EXPECT_NE(missing->json["message"].get<std::string>().find("bars-cnn.nlmodel"), std::string::npos) << "names what is there";

  std::ofstream(trained.models / "broken.nlmodel") << "not a model";
  second.receive(R"({"type":"open","model":"broken.nlmodel"})");
  const Recorded* broken = again.wait_for("error", missing->index + 1);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->json["command"], "open");

  digits::ImageDataCache images_no_data(memory);

  LurkSession no_data(again, {trained.models, "/nonexistent/mnist"}, memory, images_no_data);
  const std::size_t at = again.size();
  no_data.receive(R"({"type":"open","model":"bars-cnn.nlmodel"})");
  // (the second session shares the outbox; its error is the next one)
  const Recorded* data = again.wait_for("error", at);
  ASSERT_TRUE(data);
  EXPECT_NE(data->json["message"].get<std::string>().find("/nonexistent/mnist"), std::string::npos) << data->json["message"];
}

TEST(LurkSession, ShowsACheckpointWithItsOwnPassAndKernels) {
  const TrainedModel trained;
  // Two checkpoints beside the model: its first conv layer's kernels negated, then as trained.
  {
    nn::Model model = nn::load_model(trained.models / "bars-cnn.nlmodel");
    train::ImageTimeline timeline(600);
    Tensor& w = *model.network.layer(0).params()[0].value;
    for (auto& v : w.values()) v = -v;
    ASSERT_TRUE(timeline.maybe_record(model.network, 0, 0, 0, std::nan("")));
    for (auto& v : w.values()) v = -v;
    timeline.finish(model.network, 600, 19, 1, 0.5);
    timeline.save(trained.models / "bars-cnn.checkpoints");
  }
  RecordingOutbox out;
  Budget memory(1ull << 30);
  digits::ImageDataCache images_session(memory);
  LurkSession session(out, {trained.models, trained.data}, memory, images_session);
  out.attach(session);
  session.receive(R"({"type":"open","model":"bars-cnn.nlmodel"})");
  const Recorded* network = out.wait_for("network");
  ASSERT_TRUE(network);
  ASSERT_EQ(network->json["checkpoints"].size(), 2u);
  EXPECT_EQ(network->json["checkpoints"][1]["examples"], 600);
  ASSERT_TRUE(out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }));

  const auto first_kernel = [&](std::size_t from) {
    session.receive(R"({"type":"layer","layer":0})");
    const Recorded* frame = binary_after(out, from, "NLLY");
    EXPECT_TRUE(frame);
    // Tensor 0: rank 3, dims (8, 14, 14), values; then tensor 1's rank 4 and dims, then the kernels.
    const std::size_t at = 12 + 4 + 12 + 4 * 8 * 14 * 14 + 4 + 16;
    float v = 0;
    std::memcpy(&v, frame->data().data() + at, 4);
    return std::make_pair(v, frame->index);
  };
  const auto [trained_w, at] = first_kernel(0);
  session.receive(R"({"type":"checkpoint","index":0})");
  const Recorded* shown = out.wait_for("checkpoint", at);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->json["shown"], 0);
  const Recorded* pass = out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }, shown->index);
  ASSERT_TRUE(pass);
  EXPECT_FALSE(pass->json["cached"]) << "a checkpoint has a pass of its own";
  const auto [checkpoint_w, at2] = first_kernel(pass->index);
  EXPECT_NEAR(checkpoint_w, -trained_w, 1e-3);

  session.receive(R"({"type":"checkpoint","index":5})");
  const Recorded* past = out.wait_for("error", at2);
  ASSERT_TRUE(past);
  EXPECT_EQ(past->json["message"], "checkpoint: index: 5 is past the last checkpoint (1)");
}

TEST(LurkSession, TrainsTheDigitsCnnAndFollowsItsCheckpoints) {
  const std::string data = test::write_bar_images("lurk_live", 600, 200);
  const fs::path models = test::temp_path("lurk_live_models");
  RecordingOutbox out;
  Budget memory(2ull << 30);
  digits::ImageDataCache images(memory);
  LurkSession session(out, {models, data}, memory, images);
  out.attach(session);
  session.receive(R"({"type":"train","data":"mnist"})");
  const Recorded* network = out.wait_for("network");
  ASSERT_TRUE(network);
  EXPECT_EQ(network->json["input"], json::array({1, 28, 28}));
  const Recorded* first = out.wait_for("checkpoint");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->json["shown"], 0);
  EXPECT_TRUE(first->json["follow"]);
  // The view follows: once a unit of the shown checkpoint has been asked for, a later checkpoint
  // is shown, with its own pass, while the run goes on.
  const Recorded* first_pass = out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }, first->index);
  ASSERT_TRUE(first_pass);
  session.receive(R"({"type":"unit","layer":0,"unit":0})");
  const Recorded* later = out.wait_for("checkpoint", [](const json& j) { return j["shown"].get<int>() > 0; }, first->index);
  ASSERT_TRUE(later);
  ASSERT_TRUE(out.wait_for("progress", [](const json& j) { return j["done"] == j["total"]; }, later->index));
  EXPECT_TRUE(out.wait_for("training", [](const json& j) { return j["phase"] == "training"; }));
  // Stop ends the run (600 images, two epochs: it may have ended by itself already).
  session.receive(R"({"type":"stop"})");
  const Recorded* done = out.wait_for("training", [](const json& j) { return j["phase"] == "done"; });
  ASSERT_TRUE(done);
  // Scrubbing back to the first checkpoint stops following.
  session.receive(R"({"type":"checkpoint","index":0})");
  const Recorded* back = out.wait_for("checkpoint", [](const json& j) { return j["shown"] == 0; }, std::max(done->index, later->index));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->json["follow"]);
}
