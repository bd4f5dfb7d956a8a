// nn.minimum: the elementwise minimum of two tensors of one shape (twin Q-functions' pessimistic
// value: TD-MPC's min(Q1, Q2) at the planning horizon).
//
// Named Inputs:
//   a, b  [...]   the same shape
// Named Outputs:
//   y     [...]   min(a, b); the gradient goes to the smaller (half to each on a tie, as torch)
//
// Usage in a graph file:
//   "q": {"type": "nn.minimum", "inputs": {"a": "q1.y", "b": "q2.y"}}
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema MinimumSchema();
std::unique_ptr<lf::Node> MakeMinimum(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
