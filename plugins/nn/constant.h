// nn.constant: a tensor of a fixed shape filled with one value, for flows that need a value without
// an input (the start of a rollout's carried state: zero beliefs, a zero previous action).
//
// Named Outputs:
//   y  [...]  f32, shape `shape`, every element `value`
// Parameters:
//   shape  int list, required (each >= 0)
//   value  float, default 0
//
// Usage in a graph file (a rollout's init flow for 1 environment and a 1-D action):
//   "zero_action": { "type": "nn.constant", "shape": [1, 1] }
//
// The tensor is made once and returned on every call; nodes never write into their inputs.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema ConstantSchema();
std::unique_ptr<lf::Node> MakeConstant(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
