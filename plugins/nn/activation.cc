#include "activation.h"

#include <stdexcept>

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/pimpl.h>

namespace lf_nn {
namespace {

struct SimNormImpl : torch::nn::Module {
  explicit SimNormImpl(int64_t dim) : dim(dim) {}
  at::Tensor forward(const at::Tensor& x) {
    auto shape = x.sizes().vec();
    shape.back() = -1;
    shape.push_back(dim);
    return x.view(shape).softmax(-1).view(x.sizes());
  }
  int64_t dim;
};
TORCH_MODULE(SimNorm);

}  // namespace

torch::nn::AnyModule make_activation(const std::string& name, int64_t simnorm_dim) {
  if (name == "relu") return torch::nn::AnyModule(torch::nn::ReLU());
  if (name == "elu") return torch::nn::AnyModule(torch::nn::ELU());
  if (name == "silu") return torch::nn::AnyModule(torch::nn::SiLU());
  if (name == "tanh") return torch::nn::AnyModule(torch::nn::Tanh());
  if (name == "mish") return torch::nn::AnyModule(torch::nn::Mish());
  if (name == "sigmoid") return torch::nn::AnyModule(torch::nn::Sigmoid());
  if (name == "simnorm") return torch::nn::AnyModule(SimNorm(simnorm_dim));
  throw std::invalid_argument("unknown activation '" + name + "'");
}

}  // namespace lf_nn
