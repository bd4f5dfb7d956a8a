// nn.unsqueeze: a leading dim of size 1, so that one vector becomes a batch of one row: es.cmaes'
// best candidate [D] -> [1, D] for es.repeat_rows to copy onto every environment.
//
// Named Inputs:
//   x  any dtype [...]
// Named Outputs:
//   y  x's dtype [1, ...]   a view of x (gradients flow to x)
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
