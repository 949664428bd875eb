#include "probe/lurk/dataset_pass.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::probe::lurk {

std::vector<ScoredLayer> scored_layers(const nn::Network& network, int top, int classes) {
  std::vector<ScoredLayer> layers;
  Shape s = network.input_shape();
  for (std::size_t l = 0; l < network.size(); ++l) {
    const nn::Layer& layer = network.layer(l);
    s = layer.output_shape(s);
    const bool conv = dynamic_cast<const nn::Conv2D*>(&layer) != nullptr;
    if (!conv && !dynamic_cast<const nn::Dense*>(&layer)) continue;
    ScoredLayer sl;
    sl.layer = sl.scored = static_cast<int>(l);
    if (l + 1 < network.size() && dynamic_cast<const nn::ActivationLayer*>(&network.layer(l + 1))) ++sl.scored;
    sl.name = layer.name();
    sl.conv = conv;
    sl.units = s[0];
    sl.height = conv ? s[1] : 1;
    sl.width = conv ? s[2] : 1;
    UnitStats u{TopK(top), TopK(top), std::vector<double>(static_cast<std::size_t>(classes)),
                std::vector<double>(static_cast<std::size_t>(classes)), 0, 0};
    sl.stats.assign(static_cast<std::size_t>(sl.units), u);
    layers.push_back(std::move(sl));
  }
  return layers;
}

DatasetPass::DatasetPass(const nn::Network& network, int classes, int top, int batch)
    : net_(network), classes_(classes), top_(top), batch_(batch), ws_(network.make_workspace(batch)),
      layers_(scored_layers(network, top, classes)), class_counts_(static_cast<std::size_t>(classes), 0) {
  if (top < 1) throw Error("--top", "must be at least 1, got " + std::to_string(top));
}

namespace {

// s_max = max_ij A_ij (the first argmax in row-major order) and s_mean = mean_ij A_ij of one map.
MapScore score_map(const float* v, std::size_t plane) {
  std::size_t best = 0;
  double sum = 0;
  for (std::size_t p = 0; p < plane; ++p) {
    best = v[p] > v[best] ? p : best;
    sum += v[p];
  }
  return {v[best], static_cast<float>(sum / static_cast<double>(plane)), static_cast<int>(best)};
}

}  // namespace

// Per unit and image: its scores offered to the unit's top lists and added to its class sums.
void DatasetPass::add(const float* images, const int* labels, int first, int n) {
  if (first != seen_) throw Error("DatasetPass", "images must come in order: expected " + std::to_string(seen_) + ", got " + std::to_string(first));
  const std::size_t in = shape_size(net_.input_shape());
  for (int b0 = 0; b0 < n; b0 += batch_) {
    const int batch = std::min(batch_, n - b0);
    for (int i = 0; i < batch; ++i) {
      const int label = labels[b0 + i];
      if (label < 0 || label >= classes_)
        throw Error("image " + std::to_string(first + b0 + i), "label " + std::to_string(label) + " is not a class 0.." + std::to_string(classes_ - 1));
    }
    std::copy_n(images + static_cast<std::size_t>(b0) * in, static_cast<std::size_t>(batch) * in, ws_.input().data());
    net_.forward(ws_, batch);
    for (ScoredLayer& sl : layers_) {
      const Tensor& a = ws_.acts[static_cast<std::size_t>(sl.scored + 1)];
      const std::size_t plane = static_cast<std::size_t>(sl.height) * sl.width, units = static_cast<std::size_t>(sl.units);
      scores_.resize(static_cast<std::size_t>(batch) * units);
      // The maps are scored image by image on the pool (a layer of 8 units shares as well as one
      // of 128); the scores are then offered unit by unit, in image order.
      parallel::parallel_for(static_cast<std::size_t>(batch), 8, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i)
          for (std::size_t u = 0; u < units; ++u) scores_[i * units + u] = score_map(a.data() + (i * units + u) * plane, plane);
      });
      for (std::size_t u = 0; u < units; ++u) {
        UnitStats& st = sl.stats[u];
        for (int i = 0; i < batch; ++i) {
          const MapScore& m = scores_[static_cast<std::size_t>(i) * units + u];
          const int image = first + b0 + i, label = labels[b0 + i];
          st.top_max.offer({image, m.max, m.argmax / sl.width, m.argmax % sl.width});
          st.top_mean.offer({image, m.mean, 0, 0});
          st.class_max_sum[static_cast<std::size_t>(label)] += m.max;
          st.class_mean_sum[static_cast<std::size_t>(label)] += m.mean;
          st.mean_sum += m.mean;
          st.dead += m.max <= 0.0f ? 1 : 0;
        }
      }
    }
    for (int i = 0; i < batch; ++i) ++class_counts_[static_cast<std::size_t>(labels[b0 + i])];
    seen_ += batch;
  }
}

double DatasetPass::class_value(const std::vector<double>& sums, const std::vector<long>& counts, int c) {
  const long n = counts[static_cast<std::size_t>(c)];
  return n > 0 ? sums[static_cast<std::size_t>(c)] / static_cast<double>(n) : 0.0;
}

namespace {

nlohmann::json entries_json(const TopK& t) {
  nlohmann::json a = nlohmann::json::array();
  for (const TopEntry& e : t.entries()) a.push_back({e.image, e.score, e.y, e.x});
  return a;
}

void offer_all(TopK& t, const nlohmann::json& a) {
  for (const auto& e : a) t.offer({e.at(0).get<int>(), e.at(1).get<float>(), e.at(2).get<int>(), e.at(3).get<int>()});
}

}  // namespace

nlohmann::json DatasetPass::state() const {
  nlohmann::json layers = nlohmann::json::array();
  for (const ScoredLayer& sl : layers_) {
    nlohmann::json units = nlohmann::json::array();
    for (const UnitStats& u : sl.stats)
      units.push_back({{"top_max", entries_json(u.top_max)}, {"top_mean", entries_json(u.top_mean)},
                       {"class_max_sum", u.class_max_sum}, {"class_mean_sum", u.class_mean_sum},
                       {"mean_sum", u.mean_sum}, {"dead", u.dead}});
    layers.push_back({{"layer", sl.layer}, {"units", units}});
  }
  return {{"seen", seen_}, {"top", top_}, {"class_counts", class_counts_}, {"layers", layers}};
}

void DatasetPass::resume(const nlohmann::json& state) {
  try {
    if (state.at("top").get<int>() != top_ || state.at("layers").size() != layers_.size() ||
        state.at("class_counts").size() != class_counts_.size())
      throw Error("partial pass", "was made with other settings");
    seen_ = state.at("seen").get<int>();
    class_counts_ = state.at("class_counts").get<std::vector<long>>();
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const auto& js = state.at("layers").at(l);
      ScoredLayer& sl = layers_[l];
      if (js.at("layer").get<int>() != sl.layer || js.at("units").size() != sl.stats.size())
        throw Error("partial pass", "was made for another network");
      for (std::size_t u = 0; u < sl.stats.size(); ++u) {
        const auto& ju = js.at("units").at(u);
        UnitStats& st = sl.stats[u];
        st = UnitStats{TopK(top_), TopK(top_), ju.at("class_max_sum").get<std::vector<double>>(),
                       ju.at("class_mean_sum").get<std::vector<double>>(), ju.at("mean_sum").get<double>(),
                       ju.at("dead").get<long>()};
        offer_all(st.top_max, ju.at("top_max"));
        offer_all(st.top_mean, ju.at("top_mean"));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error("partial pass", std::string("malformed: ") + e.what());
  }
}

}  // namespace netlens::probe::lurk
