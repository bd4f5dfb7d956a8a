// Activation modules by name, shared by the nn nodes that take an `activation` param.
#pragma once

#include <string>

#include <torch/nn/modules/container/any.h>

namespace lf_nn {

// One of relu, elu, silu, tanh, mish, sigmoid; the schema's choices have already been checked.
torch::nn::AnyModule make_activation(const std::string& name);

}  // namespace lf_nn
