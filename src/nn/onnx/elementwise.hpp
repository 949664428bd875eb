#pragma once
// Element-wise runs of ONNX nodes (Relu; torch's SiLU as Sigmoid and Mul; its tanh GELU as nine
// Mul, Add and Tanh nodes) recognised as one of netlens's activations by evaluating them: the
// run is a small program over one value x, compared with each activation on points over [-8, 8].
// That way every spelling of a function an exporter emits is read, and nothing else is.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nn/layers/activation.hpp"

namespace netlens::nn::onnx_model {

// The ops a run may hold: Relu, LeakyRelu, Elu, Tanh, Sigmoid, Softplus, Sin, Erf, Exp, Neg,
// Identity, Dropout (inference: identity), Add, Sub, Mul, Div, Pow.
bool is_elementwise(std::string_view op);

// One operand: a value computed earlier in the program (slot) or a scalar constant.
struct Operand {
  int slot = -1;  // >= 0: slot; -1: constant
  double constant = 0;
};

// Step k reads its operands and writes slot k + 1; slot 0 is x.
struct Step {
  std::string op;
  std::vector<Operand> args;
  double alpha = 0;  // LeakyRelu, Elu
};

// The value of slot `to` when slot `from` is x, running steps from..to-1 (each reads slots >= from).
double evaluate(const std::vector<Step>& steps, int from, int to, double x);

// The activation (Linear for the identity) that steps from..to-1 compute, if any.
std::optional<Activation> match_activation(const std::vector<Step>& steps, int from, int to);

// Whether they compute the exact GELU, x Φ(x) with erf, which netlens does not have (its GELU is
// the tanh approximation): the refusal then says how to export the other.
bool is_erf_gelu(const std::vector<Step>& steps, int from, int to);

}  // namespace netlens::nn::onnx_model
