#include "activation.h"

#include <stdexcept>

#include <torch/nn/modules/activation.h>

namespace lf_nn {

torch::nn::AnyModule make_activation(const std::string& name) {
  if (name == "relu") return torch::nn::AnyModule(torch::nn::ReLU());
  if (name == "elu") return torch::nn::AnyModule(torch::nn::ELU());
  if (name == "silu") return torch::nn::AnyModule(torch::nn::SiLU());
  if (name == "tanh") return torch::nn::AnyModule(torch::nn::Tanh());
  if (name == "mish") return torch::nn::AnyModule(torch::nn::Mish());
  if (name == "sigmoid") return torch::nn::AnyModule(torch::nn::Sigmoid());
  throw std::invalid_argument("unknown activation '" + name + "'");
}

}  // namespace lf_nn
