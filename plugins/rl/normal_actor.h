// rl.normal_actor: the action model of DreamerV2 and DreamerV3 for continuous actions, an MLP
// giving the location (tanh-bounded) and scale of a normal (sample it with rl.trunc_normal:
// truncated to [-1, 1] for DreamerV2, untruncated for DreamerV3).
//
//   [loc_raw, scale_raw] = MLP(x)                   (2 * action_size outputs, split in this order)
//   mean = tanh(loc_raw)
//   std_rule "dreamerv2": std = 2 sigmoid((scale_raw + init_std) / 2) + min_std
//   std_rule "dreamerv3": std = (max_std - min_std) sigmoid(scale_raw + 2) + min_std
//
// Named Inputs:
//   x  [..., in_dim]  features (the RSSM's [stoch, deter], detached)
// Named Outputs:
//   mean  [..., action_size]  location, in (-1, 1)
//   std   [..., action_size]  scale
// Parameters:
//   in_dim (int, required), action_size (int, required),
//   hidden (int list, [400, 400, 400, 400]), activation (elu | relu | silu, elu),
//   layer_norm (bool, false: LayerNorm after each hidden linear, which then has no bias),
//   std_rule ("dreamerv2" | "dreamerv3", "dreamerv2"), init_std (float, 0: dreamerv2 only),
//   min_std (float >= 0, 0.1), max_std (float, 1.0: dreamerv3 only)
//   compute (float32|bfloat16, float32: dtype of the layers' matrix products)
// Weights: fc0 .. fc<n-1>, norm0 .. (with layer_norm) and out.
//
// Usage in a graph file (DreamerV2's dmc actor; DreamerV3's: "hidden": [512, 512], "activation":
// "silu", "layer_norm": true, "std_rule": "dreamerv3"):
//   "blocks": { "actor": { "type": "rl.normal_actor", "in_dim": 1224, "action_size": 6 } }
//   "pi": { "type": "rl.trunc_normal", "inputs": { "mean": "actor.mean", "std": "actor.std" } }
//
// Faithfulness: danijar/dreamerv2 nets.py MLP(act_space.shape[0], layers 4, units 400, act elu,
// norm none, dist 'trunc_normal', min_std 0.1) and DistLayer's 'trunc_normal' branch (configs.yaml
// actor; dist 'auto' picks trunc_normal for continuous actions). danijar/dreamerv3 (2023) nets.py
// MLP with norm 'layer', act silu and Dist 'normal' (minstd 0.1, maxstd 1: the actor of
// configs.yaml, 2 x 512 for dmc). Both use two output layers ('out' and 'std') on the last hidden
// layer; one linear of 2 * action_size outputs is the same function. Deviations: torch's default
// init instead of Keras' glorot-uniform (DreamerV2) or the scaled normal of DreamerV3, as nn.mlp.
// Not rl.truncated_normal, TD-MPC's clipped policy noise.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema NormalActorSchema();
std::unique_ptr<Node> MakeNormalActor(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
