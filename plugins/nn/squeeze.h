// nn.squeeze: drops a last dim of size 1, so that a one-unit head ([B, T, 1], a reward or value
// MLP) meets a target without that dim ([B, T], rewards from the replay).
//
// Named Inputs:
//   x  [..., 1]
// Named Outputs:
//   y  [...]   the same values, a view of x (gradients flow through)
//
// Usage in a graph file:
//   "reward": { "type": "nn.squeeze", "inputs": { "x": "reward_head.y" } }
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema SqueezeSchema();
std::unique_ptr<lf::Node> MakeSqueeze(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
