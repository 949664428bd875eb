#pragma once
// What the Lurk view sends (docs/protocol.md, "Lurk"): JSON messages built from the network and
// the Lurk cache's manifest (export/lurk_cache.hpp), and the magics of its tensor frames. Pure
// functions, no I/O.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/network.hpp"
#include "probe/lurk/attribution.hpp"
#include "probe/lurk/dream.hpp"

namespace netlens::server::lurk {

inline constexpr char kLayerMagic[5] = "NLLY";        // a layer's top-1 images (and conv kernels)
inline constexpr char kUnitMagic[5] = "NLUN";         // a unit's top images, gradients, weights
inline constexpr char kDreamMagic[5] = "NLDR";        // a dream image
inline constexpr char kLayerDreamMagic[5] = "NLLD";   // one unit's dream of a whole layer's
inline constexpr char kExplanationMagic[5] = "NLEX";  // the input, its map, the maps of every class
inline constexpr char kSanityMagic[5] = "NLSN";       // the sanity check's map at each step of the cascade
inline constexpr char kOperationMagic[5] = "NLOP";    // a conv unit's patches, kernels and map

// hello with the models the page may open (file names in the models folder, sorted) and the run
// directories that hold a model (names in the runs folder, sorted).
nlohmann::json hello_message(const std::vector<std::string>& models, const std::vector<std::string>& runs);

// Every layer (index, name, kind, output shape, parameters) and the layers whose units Lurk
// scores (the dataset pass's, with their unit counts), the CAM layers and the default one.
nlohmann::json network_message(const std::string& model, nn::Network& network, const std::vector<std::string>& classes,
                               const std::string& dataset, const std::string& split, int images);

nlohmann::json progress_message(int done, int total, bool cached);

// A scored layer of the manifest: per unit its mean, dead fraction, class histogram (of the
// mean score) and top-1 image. Throws Error when the manifest has no such layer.
nlohmann::json layer_message(const nlohmann::json& manifest, int layer);
const nlohmann::json& manifest_layer(const nlohmann::json& manifest, int layer);  // throws Error naming the layers

// A unit: its manifest entry (top images by max with boxes, by mean, histograms), its bias for
// a conv unit, and `seq`, which its NLUN frame carries too.
nlohmann::json unit_message(const nlohmann::json& manifest, int layer, int unit, std::uint32_t seq, const float* bias);

nlohmann::json dream_message(int layer, int unit, const probe::lurk::Dream& dream, double top_score, std::uint32_t seq);

struct ExplanationInfo {
  std::uint32_t seq = 0;
  probe::lurk::Method method = probe::lurk::Method::GradCam;
  int target = 0, predicted = 0, cam_layer = -1, test = -1, test_label = -1;
  std::vector<float> logits, probabilities;  // the last layer's outputs, and their softmax
  double output = 0;
  int forward_passes = 0;
};
nlohmann::json explanation_message(const ExplanationInfo& info);

}  // namespace netlens::server::lurk
