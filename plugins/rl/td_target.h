// rl.td_target: the one-step TD target from twin target Qs, without gradient.
//
//   target = sg(reward + discount * min(q1, q2)),  or sg(reward + discount * q1) without q2
//
// Named Inputs:
//   reward  [...]  the reward of the step
//   q1, q2  [...]  the target Qs at the next latent and the policy's (noisy) action there; q2
//                  optional (TD-MPC2 feeds the min of two random target Qs, rl.random_pair, as q1)
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
// target Qs); nicklashansen/tdmpc2 `TDMPC2._td_target` with q1 = the min of two random target Qs.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TdTargetSchema();
std::unique_ptr<Node> MakeTdTarget(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
