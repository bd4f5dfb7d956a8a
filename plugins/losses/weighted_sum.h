// losses.weighted_sum: the total loss, sum_i w_i x_i over the connected inputs.
//
// Named Inputs:
//   x0 .. x7  []  optional 0-dim losses; at least one must be connected
// Named Outputs:
//   loss  []  0-dim
// Parameters:
//   weights  float list, default [1,1,1,1,1,1,1,1]   w_i for x_i; may be shorter than 8 if the
//            inputs beyond it are unconnected
//
// Usage in a graph file (PlaNet's reward scale 10):
//   "loss": { "type": "losses.weighted_sum", "weights": [1, 10, 1],
//             "inputs": { "x0": "image_nll.loss", "x1": "reward_nll.loss", "x2": "kl.kl" } }
//
// Faithfulness: plain weighted sum, as the reference code adds its scaled loss terms.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::losses {

NodeSchema WeightedSumSchema();
std::unique_ptr<Node> MakeWeightedSum(const Params& p, BuildContext& ctx);

}  // namespace lf::losses
