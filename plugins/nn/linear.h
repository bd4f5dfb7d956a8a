// nn.linear: an affine map of the last dim, y = x W^T + b.
//
// Named Inputs:
//   x  f32 [..., in_dim]   any number of leading dims
// Named Outputs:
//   y  f32 [..., out_dim]
// Parameters:
//   in_dim   int >= 1, required   input width (not "in": that key wires a node's inputs in a flow)
//   out_dim  int >= 1, required   output width
//   bias     bool, default true   add the learned offset b
//   compute  float32|bfloat16, default float32   dtype of the matrix product (latentflow/linear.h)
//
// Usage in a graph file:
//   "blocks": { "reward_head": { "type": "nn.linear", "in_dim": 230, "out_dim": 1 } }
//
// Faithfulness: torch's default initialisation (Kaiming-uniform weights, uniform bias in
// +-1/sqrt(in_dim)), not the Glorot-uniform of the TensorFlow/JAX reference code of PlaNet and Dreamer.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema LinearSchema();
std::unique_ptr<lf::Node> MakeLinear(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
