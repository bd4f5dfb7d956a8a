// rl.two_hot_decode: the scalar a two-hot regression head predicts (TD-MPC2's reward and Q heads,
// DreamerV3's reward and critic heads).
//
//   spacing "symlog": y = symexp(sum_i softmax(logits)_i * c_i),  c = linspace(low, high, bins)
//   spacing "symexp": y = sum_i softmax(logits)_i * b_i,  b = symexp(linspace(low, high, bins))
//   (two_hot.h)
//
// Named Inputs:
//   logits  [..., bins]
// Named Outputs:
//   y       [...]
// Parameters:
//   bins  int >= 2, 101;  low, high  floats, -10, 10   (the bins' range in symlog space)
//   spacing  "symlog" | "symexp", "symlog"             (DreamerV3: 255 bins, -20, 20, symexp)
//
// Usage in a graph file (the planner's rewards):
//   "r": {"type": "rl.two_hot_decode", "inputs": {"logits": "reward.y"}}
//
// Faithfulness: nicklashansen/tdmpc2 `math.two_hot_inv` with its config (num_bins 101, vmin -10,
// vmax 10); danijar/dreamerv3 outs.TwoHot.pred over heads.py's symexp_twohot bins (255, -20..20).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TwoHotDecodeSchema();
std::unique_ptr<Node> MakeTwoHotDecode(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
