#pragma once
// The 1/f Fourier parameterisation of an image (Lucid's fft_image, for one channel at a time):
//   x_yx = (1/sqrt(HW)) sum_{fy, fx} s_f (a_f cos phi - b_f sin phi),  phi = 2 pi (fy y / H + fx x / W),
//   s_f = 1 / max(|f|, 1 / max(H, W)),  |f| = sqrt((min(fy, H - fy) / H)^2 + (min(fx, W - fx) / W)^2)
// (cycles per pixel), so low frequencies move fastest and steps in theta = (a, b) make smooth
// images; the sum is direct (28 x 28 images need no FFT).
#include <vector>

namespace netlens::probe::lurk {

class FourierImage {
 public:
  FourierImage(int channels, int height, int width);
  std::size_t parameters() const { return 2 * static_cast<std::size_t>(c_) * h_ * w_; }  // a then b, per channel
  void image(const float* theta, float* x) const;          // x = L theta
  void adjoint(const float* g_x, float* g_theta) const;    // g_theta = L^T g_x

 private:
  int c_, h_, w_;
  std::vector<float> scale_;                   // s_f, (H, W)
  std::vector<float> cos_y_, sin_y_, cos_x_, sin_x_;  // cos(2 pi fy y / H) at [fy * H + y], likewise x
};

}  // namespace netlens::probe::lurk
