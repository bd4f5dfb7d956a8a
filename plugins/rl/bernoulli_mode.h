// rl.bernoulli_mode: the most likely value of Bernoulli variables given by their logits, DreamerV3's
// continuation flags of imagined states (the continue head's mode).
//
//   y = 1 where logits > 0 (probability above 1/2), else 0;  no gradient
//
// Named Inputs:
//   logits  [...]
// Named Outputs:
//   y       [...]  0 or 1, in the logits' dtype
//
// Usage in a graph file (the continuations that discount imagined returns):
//   "cont": {"type": "rl.bernoulli_mode", "inputs": {"logits": "cont_head.y"}}
//
// Faithfulness: danijar/dreamerv3 (2023) agent.py WorldModel.imagine: cont =
// self.heads['cont'](traj).mode(), tfd.Bernoulli's mode (probability exactly 1/2 gives 0, as here).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema BernoulliModeSchema();
std::unique_ptr<Node> MakeBernoulliMode(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
