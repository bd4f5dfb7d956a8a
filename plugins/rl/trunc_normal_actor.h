// rl.trunc_normal_actor: DreamerV2's action model for continuous actions, an MLP giving the
// location and scale of a normal truncated to [-1, 1] (sample it with rl.trunc_normal).
//
//   [loc_raw, scale_raw] = MLP(x)                  (2 * action_size outputs, split in this order)
//   mean = tanh(loc_raw)
//   std  = 2 * sigmoid((scale_raw + init_std) / 2) + min_std      (in (min_std, 2 + min_std))
//
// Named Inputs:
//   x  [..., in_dim]  features (DreamerV2: the RSSM's [stoch, deter], detached)
// Named Outputs:
//   mean  [..., action_size]  the untruncated normal's location, in (-1, 1)
//   std   [..., action_size]  its scale
// Parameters:
//   in_dim (int, required), action_size (int, required),
//   hidden (int list, [400, 400, 400, 400]), activation (elu | relu, elu),
//   init_std (float, 0), min_std (float >= 0, 0.1)
// Weights: fc0 .. fc<n-1> and out, as rl.tanh_normal_actor.
//
// Usage in a graph file (DreamerV2's dmc actor):
//   "blocks": { "actor": { "type": "rl.trunc_normal_actor", "in_dim": 1224, "action_size": 6 } }
//   "pi": { "type": "rl.trunc_normal", "inputs": { "mean": "actor.mean", "std": "actor.std" } }
//
// Faithfulness: danijar/dreamerv2 nets.py MLP(act_space.shape[0], layers 4, units 400, act elu,
// norm none, dist 'trunc_normal', min_std 0.1) and DistLayer's 'trunc_normal' branch (configs.yaml
// actor; dist 'auto' picks trunc_normal for continuous actions). DistLayer uses two Dense layers
// ('out' and 'std') on the last hidden layer; one linear of 2 * action_size outputs is the same
// function. Deviation: torch's default init instead of Keras' glorot-uniform, as nn.mlp. Not
// rl.truncated_normal, TD-MPC's clipped policy noise.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TruncNormalActorSchema();
std::unique_ptr<Node> MakeTruncNormalActor(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
