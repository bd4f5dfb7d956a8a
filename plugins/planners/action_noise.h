// planners.action_noise: Gaussian exploration noise on a policy's or planner's action.
//
//   action = clip(action + scale * eps, min_action, max_action),  eps ~ N(0, I)
//
// Named Inputs:
//   action  [E, A]  the action to perturb
// Named Outputs:
//   action  [E, A]
// Parameters:
//   scale       float >= 0, default 0.3   noise std
//   min_action  float, -1;  max_action  float, 1
// Stateful: eps comes from the node's own CPU generator, seeded from the block's seed.
//
// Usage in a graph file:
//   "blocks": { "explore": { "type": "planners.action_noise", "scale": 0.3 } }
//   "act": { "nodes": { "plan":  { "block": "cem", "inputs": { "state0": "$h", "state1": "$s" } },
//                       "noise": { "block": "explore", "inputs": { "action": "plan.action" } } },
//            "outputs": { "action": "noise.action" } }
//
// Faithfulness: PlaNet (mpc_agent.py: Normal(mean[:, 0], scale).sample(), then clip to [-1, 1];
// configs.py exploration_noises [0.3]) and Dreamer (expl_amount 0.3, _exploration: Normal(action,
// amount).sample() clipped to [-1, 1]). Their optional linear decay schedules of the scale are not
// part of this node.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::planners {

NodeSchema ActionNoiseSchema();
std::unique_ptr<Node> MakeActionNoise(const Params& p, BuildContext& ctx);

}  // namespace lf::planners
