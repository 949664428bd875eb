#include "probe/lurk/unit_gradients.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace netlens::probe::lurk {

TopImageViews top_image_views(Backprop& bp, int layer, int unit, const std::vector<TopEntry>& top, const float* images) {
  const int n = static_cast<int>(top.size());
  if (n == 0) return {};
  if (n > bp.capacity()) throw Error("top_image_views", std::to_string(n) + " images, room for " + std::to_string(bp.capacity()));
  const std::size_t in = shape_size(bp.shape(-1));
  for (int i = 0; i < n; ++i)
    std::copy_n(images + static_cast<std::size_t>(top[static_cast<std::size_t>(i)].image) * in, in, bp.input().data() + static_cast<std::size_t>(i) * in);
  bp.forward(n);
  const Shape& s = bp.shape(layer);
  const std::size_t per_sample = shape_size(s), plane = s.size() == 3 ? static_cast<std::size_t>(s[1]) * s[2] : 1;
  const int width = s.size() == 3 ? s[2] : 1;
  TopImageViews v;
  for (const TopEntry& e : top) v.boxes.push_back(receptive_field(bp.network(), layer, e.y, e.x));
  for (Rule rule : {Rule::Normal, Rule::Guided}) {
    Tensor& seed = bp.seed(layer);
    std::fill_n(seed.data(), per_sample * static_cast<std::size_t>(n), 0.0f);
    for (int i = 0; i < n; ++i) {  // a one-hot at (unit, y, x) of image i
      const TopEntry& e = top[static_cast<std::size_t>(i)];
      seed[static_cast<std::size_t>(i) * per_sample + static_cast<std::size_t>(unit) * plane + static_cast<std::size_t>(e.y * width + e.x)] = 1.0f;
    }
    const Tensor& dx = bp.backward_from(layer, rule, n);
    (rule == Rule::Normal ? v.vanilla : v.guided).assign(dx.data(), dx.data() + in * static_cast<std::size_t>(n));
  }
  return v;
}

}  // namespace netlens::probe::lurk
