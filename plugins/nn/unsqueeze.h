// nn.unsqueeze: a dim of size 1 inserted before dim `dim`: by default a leading one, so that one
// vector becomes a batch of one row (es.cmaes' best candidate [D] -> [1, D] for es.repeat_rows to
// copy onto every environment); at dim 1, a state [N, F] becomes a trajectory of one step [N, 1, F]
// (DreamerV2's start state before its imagined ones).
//
// Named Inputs:
//   x  any dtype [...]
// Named Outputs:
//   y  x's dtype, x's shape with a 1 inserted at dim   a view of x (gradients flow to x)
// Parameters:
//   dim  int in [0, rank of x], default 0
//
// Usage in a graph file (the evolved controller on every environment):
//   "best": {"type": "nn.unsqueeze", "inputs": {"x": "es.best"}}
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema UnsqueezeSchema();
std::unique_ptr<lf::Node> MakeUnsqueeze(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
