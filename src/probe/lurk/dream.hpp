#pragma once
// Activation maximisation ("dream" images): x* = sigmoid(theta*), theta* the argmax over theta
// of E_t[a_u(t(sigmoid theta))] - l_tv TV(x) - l_l2 |x|^2, by Adam on theta (Lucid's recipe
// with the reference's defaults for small grayscale nets, lurk.md §3.13 and §4):
//   target  a unit before its activation (a conv or dense layer's own output; a class logit at
//           the last layer); for a conv unit one position, the map's centre (a neuron objective:
//           a channel mean degenerates to a flat image on a first layer), its image cropped to
//           that position's receptive field;
//   range   pixels in [0, 1] through a sigmoid, of the pixels themselves or (fourier) of a 1/f
//           spectrum (probe/lurk/fourier.hpp);
//   priors  TV(x) = sum (x_{i+1,j} - x_ij)^2 + (x_{i,j+1} - x_ij)^2 (beta 2) and L2, which pulls
//           unused pixels to MNIST's black background;
//   t       random jitter (+-1 px), scale (0.95..1.05) and rotation (+-5 degrees), bilinear,
//           scaled to 28 px rather than Lucid's 224;
//   steps   Adam, learning rate 0.05, 256 steps.
//   set     optionally `count` images in one batch with a diversity term (seed_diversity:
//           the images' pairwise cosine similarity at the first conv layer, or the first dense
//           layer of an MLP), its gradient scaled to `diversity` times the unit's, image by
//           image: one weight then fits a unit of any scale (Lucid's fixed 1e2 suits
//           ImageNet's activations, not a small net's), so they find different ways to
//           excite the unit.
// The readout: the unit's value on the final image (no transform) against its value at the
// start, the image's standard deviation, and a flag when it did not start (a flat image: the
// symptom of a dead target or a channel objective).
#include <cstdint>
#include <vector>

#include "probe/lurk/backprop.hpp"
#include "probe/lurk/receptive_field.hpp"

namespace netlens::probe::lurk {

struct DreamOptions {
  int steps = 256;
  float learning_rate = 0.05f;
  float tv = 0.02f, l2 = 0.005f;
  bool transforms = true;
  bool fourier = false;  // the 1/f spectrum instead of pixels
  float jitter = 1.0f, scale = 0.05f, rotate_degrees = 5.0f;
  std::uint64_t seed = 1;
  int count = 1;           // images optimised together (dreams(): at most the Backprop's capacity)
  float diversity = 0;     // the diversity gradient's size relative to the unit's (with count > 1)
};

struct Dream {
  Target target;                 // the unit as optimised (its pre-activation)
  std::vector<float> image;      // the input's shape, values in [0, 1]
  Box field;                     // the target's receptive field (the whole image for a dense unit)
  float initial_value = 0, value = 0;
  std::vector<float> snapshots;  // the objective without transforms at steps 0, 32, 64, ...
  float stddev = 0;
  bool flat = false;             // did not start: stddev < 1e-3 or no gain over the start
};

// The pre-activation layer for `layer`: itself, or the conv or dense layer an activation follows.
int pre_activation_layer(const nn::Network& network, int layer);
// Throws Error for a layer or unit that does not exist, or a count over bp's capacity.
std::vector<Dream> dreams(Backprop& bp, int layer, int unit, const DreamOptions& options);
// One image (options.count is ignored). bp may have any capacity.
Dream dream(Backprop& bp, int layer, int unit, const DreamOptions& options);

// The layer the diversity term compares: the first conv (else dense) layer's output after its
// activation; -1 when the network has neither.
int diversity_layer(const nn::Network& network);
// Lucid's diversity objective after a forward of `count` samples: returns
// S = sum over n != m of cos(a_n, a_m) / count (B - 1 for B identical samples), a_n sample n's
// output of `layer`, and sets seed(layer) = -weight dS/da, so that backward_from(layer) gives
// the gradient of -weight S. Lucid compares Gram matrices (style); on 28-px digits where a
// stroke lies is what differs, and the Gram matrices of a few ReLU channels have cosines near 1
// for any two images (0.9998 measured on a random CNN, where the maps gave 2.88 of 3).
double seed_diversity(Backprop& bp, int layer, int count, float weight);

// A warp of a (C, H, W) image: shift (dy, dx), scale s and rotation r about the centre, sampled
// bilinearly with zeros outside; `adjoint` sends a gradient on the output back to the input.
struct Warp {
  float dy = 0, dx = 0, scale = 1, radians = 0;
  void apply(const float* in, float* out, int C, int H, int W) const;
  void adjoint(const float* g_out, float* g_in, int C, int H, int W) const;
};

// TV(x) = sum over each channel of (x_{i+1,j} - x_ij)^2 + (x_{i,j+1} - x_ij)^2; grad += d TV / dx.
double total_variation(const float* x, int C, int H, int W, float* grad = nullptr);

}  // namespace netlens::probe::lurk
