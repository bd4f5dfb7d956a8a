// Activation modules by name, shared by the nn nodes that take an `activation` param.
#pragma once

#include <cstdint>
#include <string>

#include <torch/nn/modules/container/any.h>

namespace lf_nn {

// One of relu, elu, silu, tanh, mish, sigmoid, simnorm; the schema's choices have already been
// checked. simnorm (TD-MPC2's simplicial normalization) is a softmax over each group of
// `simnorm_dim` consecutive features.
torch::nn::AnyModule make_activation(const std::string& name, int64_t simnorm_dim = 8);

}  // namespace lf_nn
