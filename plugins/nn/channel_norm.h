// LayerNorm over the channels of each pixel of an NCHW feature map (DreamerV3's convs normalize the
// last, channel axis of their NHWC maps), eps 1e-3 as Keras' and DreamerV3's Norm.
#pragma once

#include <cstdint>

#include <torch/nn/module.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace lf_nn {

struct ChannelNormImpl : torch::nn::Module {
  explicit ChannelNormImpl(int64_t channels)
      : norm(register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({channels}).eps(1e-3)))) {}
  at::Tensor forward(const at::Tensor& x) { return norm(x.permute({0, 2, 3, 1})).permute({0, 3, 1, 2}); }
  torch::nn::LayerNorm norm;
};
TORCH_MODULE(ChannelNorm);

}  // namespace lf_nn
