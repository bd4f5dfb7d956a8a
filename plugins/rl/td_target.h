// rl.td_target: the one-step TD target from twin target Qs, without gradient.
//
//   target = sg(reward + discount * min(q1, q2))
//
// Named Inputs:
//   reward  [...]  the reward of the step
//   q1, q2  [...]  the target Qs at the next latent and the policy's (noisy) action there
// Named Outputs:
//   target  [...]  detached
// Parameters:
//   discount  float in [0, 1], 0.99
//
// Usage in a graph file (inline in TD-MPC's horizon step):
//   "y": {"type": "rl.td_target", "discount": "${discount}",
//         "inputs": {"reward": "$reward", "q1": "q1_target.y", "q2": "q2_target.y"}}
//
// Faithfulness: nicklashansen/tdmpc `TDMPC._td_target`: reward + discount * min(Q1_target,
// Q2_target)(h(next_obs), pi(h(next_obs), min_std)), under no_grad (the online encoder and pi, the
// target Qs). TD-MPC2's target (the min of two of five Qs drawn at random, over two-hot values) is
// not this node.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TdTargetSchema();
std::unique_ptr<Node> MakeTdTarget(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
