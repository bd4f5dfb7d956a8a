// The MLP trunk of the Dreamer actors (rl.tanh_normal_actor, rl.normal_actor): hidden layers fc<i>
// (with layer_norm: without bias, then LayerNorm norm<i>, eps 1e-3, as DreamerV3's normed Linear)
// and the activation after each, then a linear `out` layer of two values per action dim (the
// distribution's location first, its scale second), its products in `compute` (lf::Linear).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <c10/core/ScalarType.h>
#include <torch/nn/modules/container/sequential.h>

namespace lf::rl {

torch::nn::Sequential actor_mlp(int64_t in_dim, const std::vector<int64_t>& hidden, const std::string& activation,
                                int64_t action_size, bool layer_norm, at::ScalarType compute);

}  // namespace lf::rl
