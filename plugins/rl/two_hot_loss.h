// rl.two_hot_loss: the cross-entropy of two-hot regression heads against scalar targets, DreamerV3's
// reward and critic loss (two_hot.h for the bins).
//
//   loss = mean_{leading} weight * -sum_i two_hot(target)_i log softmax(logits)_i
//
// Named Inputs:
//   logits  [..., bins]  the head's logits
//   target  [...]        scalar targets, no gradient flows into them
//   weight  [...]        optional per-element weights (DreamerV3 weights imagined steps by the
//                        product of continue flags), no gradient flows into them
// Named Outputs:
//   loss  []  0-dim
// Parameters:
//   bins (int, 255), low (float, -20), high (float, 20), spacing ("symlog" | "symexp", "symexp")
//
// Usage in a graph file (DreamerV3's reward head):
//   "reward_loss": { "type": "rl.two_hot_loss", "inputs": { "logits": "reward.y", "target": "batch.reward" } }
//
// Faithfulness: danijar/dreamerv3 outs.TwoHot.loss over heads.py's symexp_twohot bins (255 bins,
// symexp(-20) .. symexp(20)), -log_prob of the two-hot target, averaged as the agent's losses are.
// With spacing "symlog" and 101 bins in [-10, 10] it is TD-MPC2's soft cross-entropy.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TwoHotLossSchema();
std::unique_ptr<Node> MakeTwoHotLoss(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
