#pragma once
// Attribution for one input: why the network gave class c. Every method runs on Backprop (one
// forward and backward machinery; none re-implements the network); batches of variants (noise
// samples, path points, masked or occluded images) go through it in chunks of its capacity.
//   gradient            S = dy_c/dx                                   (Simonyan et al. 2013)
//   gradient_x_input    R = x * dy_c/dx
//   guided_backprop     dy_c/dx with 1[x > 0] max(g, 0) at each ReLU   (Springenberg et al. 2014)
//   deconvnet           dy_c/dx with max(g, 0) at each ReLU            (Zeiler & Fergus 2014)
//   grad_cam            ReLU(sum_k a_k A^k), a_k = mean_ij dy_c/dA^k_ij (Selvaraju et al. 2017)
//   guided_grad_cam     guided_backprop * Up(grad_cam)
//   layer_cam           ReLU(sum_k max(dy_c/dA^k_ij, 0) A^k_ij)         (Jiang et al. 2021)
//   score_cam           ReLU(sum_k a_k A^k), a_k = softmax(f(x * minmax(Up A^k)))_c (Wang et al. 2020)
//   smoothgrad          (1/n) sum_i dy_c/dx (x + e_i), e_i ~ N(0, (level (max x - min x))^2)
//   integrated_gradients (x - x') * (1/m) sum_i dy_c/dx (x' + (i + 1/2)/m (x - x')), the midpoint rule,
//                       m tripled from `steps` until the completeness gap is within `tolerance`
//   occlusion           mean over the windows covering a pixel of f(x) - f(x with the window set to a value)
// y_c is the target class's output (a logit: the network ends before its softmax).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "probe/lurk/backprop.hpp"

namespace netlens::probe::lurk {

enum class Method {
  Gradient, GradientTimesInput, GuidedBackprop, Deconvnet, GradCam, GuidedGradCam, LayerCam, ScoreCam,
  SmoothGrad, IntegratedGradients, Occlusion
};
std::string_view method_name(Method m);  // "grad_cam"
std::vector<std::string_view> method_names();
Method parse_method(std::string_view name, const std::string& where);  // throws Error listing the names
bool is_cam(Method m);  // needs a conv layer (a (C, H, W) output)

enum class Baseline { Black, Blurred, Mean };
std::string_view baseline_name(Baseline b);
Baseline parse_baseline(std::string_view name, const std::string& where);

struct AttributionOptions {
  int target_class = -1;     // -1: the predicted class
  int layer = -1;            // the CAM layer; -1: default_cam_layer
  float noise_level = 0.15f; // SmoothGrad: sigma as a fraction of the input's range (PAIR's default)
  int samples = 25;          // SmoothGrad
  std::uint64_t seed = 1;    // SmoothGrad's noise
  int steps = 50;            // integrated gradients: the first m
  double tolerance = 0.01;   // ... tripled while |gap| > tolerance |y_c(x) - y_c(x')| (0: m stays `steps`)
  int max_steps = 1350;      // ... and while 3m <= max_steps (50 x 27)
  Baseline baseline = Baseline::Black;
  float blur_sigma = 3.0f;             // the blurred baseline's Gaussian, in pixels
  std::vector<float> mean_image;       // the mean-image baseline (the input's size)
  int window = 4, stride = 2;          // occlusion: about a stroke's width on 28 px digits
  float occlusion_value = 0.0f;        // MNIST's background
};

struct Attribution {
  Method method = Method::Gradient;
  int target_class = 0;
  int layer = -1;                  // the CAM layer, -1 for the others
  Shape shape;                     // the input's (C, H, W)
  std::vector<float> map;          // one value per input value; CAMs upsampled (bilinear)
  std::vector<float> cam;          // CAMs: the map at the layer's resolution
  int cam_height = 0, cam_width = 0;
  double output = 0;               // y_c(x)
  double baseline_output = 0;      // integrated gradients: y_c(x')
  double completeness_gap = 0;     // integrated gradients: sum IG - (y_c(x) - y_c(x'))
  int steps = 0;                   // integrated gradients: the m used
  int forward_passes = 0;          // extra forwards (Score-CAM: one per channel, occlusion: one per window)
};

// The attribution of `image` (the network's input size) by `method`. Throws Error for a bad
// class or layer, or a CAM on a network without a conv layer.
Attribution attribute(Backprop& bp, const std::vector<float>& image, Method method, const AttributionOptions& options);

// The class logit as a target: a unit of the network's last layer.
Target class_target(const nn::Network& network, int c);
// argmax of the network's output for sample 0 after a forward.
int predicted_class(const Backprop& bp);

}  // namespace netlens::probe::lurk
