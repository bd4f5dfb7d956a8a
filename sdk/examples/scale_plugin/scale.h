// example.scale: multiplies a tensor by a constant.
//
//   y = factor * x
//
// Named Inputs:
//   x  [...]  any float tensor
// Named Outputs:
//   y  [...]  same shape and dtype as x
// Parameters:
//   factor  float, default 2.0   the constant multiplier
//
// Usage in a graph file, as a block:
//   "blocks": { "scale": { "type": "example.scale", "factor": 3.0 } }
//   ...
//   "nodes": { "scaled": { "block": "scale", "inputs": { "x": "batch.obs" } } }
// or inline in a flow:
//   "scaled": { "type": "example.scale", "factor": 3.0, "inputs": { "x": "batch.obs" } }
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::example {

NodeSchema ScaleSchema();
std::unique_ptr<Node> MakeScale(const Params& p, BuildContext& ctx);

}  // namespace lf::example
