// rl.truncated_normal: TD-MPC's policy noise: a deterministic action plus clipped Gaussian noise,
// kept inside the action bounds with a straight-through clamp.
//
//   x      = mean + clamp(std * eps, -clip, clip),   eps ~ N(0, I)
//   action = x - sg(x) + sg(clamp(x, low + 1e-6, high - 1e-6))
//
// The action's value is the clamped one; its gradient with respect to `mean` is the identity
// everywhere (also where it was clamped), so a loss through it trains the policy that gave `mean`.
//
// Named Inputs:
//   mean  [..., A]   the policy's action (TD-MPC's pi: tanh of an MLP)
// Named Outputs:
//   action  [..., A]
// Parameters:
//   std   float >= 0, 0.05   noise scale (TD-MPC's min_std); 0 gives the clamped mean
//   clip  float > 0, 0.3     bound on the noise
//   low, high  floats, -1, 1 action bounds
// Stateful: eps from the node's own generator (lf::NodeRandom), checkpointed.
//
// Usage in a graph file (inline, in the flows that act with pi and in the TD target):
//   "pi_noise": {"type": "rl.truncated_normal", "std": "${min_std}", "inputs": {"mean": "pi.y"}}
//
// Faithfulness: nicklashansen/tdmpc `TOLD.pi(z, std)` with `helper.TruncatedNormal(mu,
// std).sample(clip=0.3)` (low -1, high 1, eps 1e-6), used at min_std 0.05 by the planner's policy
// trajectories, the TD target and the policy loss.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TruncatedNormalSchema();
std::unique_ptr<Node> MakeTruncatedNormal(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
