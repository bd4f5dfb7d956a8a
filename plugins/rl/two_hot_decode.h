// rl.two_hot_decode: the scalar a two-hot regression head predicts (TD-MPC2's reward and Q heads).
//
//   y = symexp(sum_i softmax(logits)_i * c_i),  c = linspace(low, high, bins)   (two_hot.h)
//
// Named Inputs:
//   logits  [..., bins]
// Named Outputs:
//   y       [...]
// Parameters:
//   bins  int >= 2, 101;  low, high  floats, -10, 10   (the bins' range in symlog space)
//
// Usage in a graph file (the planner's rewards):
//   "r": {"type": "rl.two_hot_decode", "inputs": {"logits": "reward.y"}}
//
// Faithfulness: nicklashansen/tdmpc2 `math.two_hot_inv` with its config (num_bins 101, vmin -10,
// vmax 10).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TwoHotDecodeSchema();
std::unique_ptr<Node> MakeTwoHotDecode(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
