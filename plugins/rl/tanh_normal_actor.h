// rl.tanh_normal_actor: Dreamer's action model, an MLP giving the pre-tanh Gaussian of each action.
//
//   [mean_raw, std_raw] = MLP(x)                      (2 * action_size outputs, split in this order)
//   mean = mean_scale * tanh(mean_raw / mean_scale)    (soft clip to [-mean_scale, mean_scale])
//   std  = softplus(std_raw + log(exp(init_std) - 1)) + min_std   (init_std where std_raw = 0)
// The action distribution is tanh(N(mean, std)): sample it with rl.tanh_normal.
//
// Named Inputs:
//   x  [..., in_dim]  features (Dreamer: the RSSM's [stoch, deter])
// Named Outputs:
//   mean  [..., action_size]  pre-tanh mean, |mean| < mean_scale
//   std   [..., action_size]  pre-tanh std, > min_std
// Parameters:
//   in_dim      int >= 1, required
//   action_size int >= 1, required         action dims
//   hidden      int list, [400, 400, 400, 400]   hidden widths
//   activation  elu|relu, elu              after each hidden layer
//   mean_scale  float > 0, 5.0
//   init_std    float > 0, 5.0             std where std_raw = 0 (plus min_std)
//   min_std     float >= 0, 1e-4
//   compute     float32|bfloat16, float32: dtype of the layers' matrix products
// Weights: fc0 .. fc<n-1> (hidden) and out, as nn.mlp names them.
//
// Usage in a graph file:
//   "blocks": { "actor": { "type": "rl.tanh_normal_actor", "in_dim": 230, "action_size": 6 } }
//   "act": { "nodes": { "pi": { "block": "actor", "inputs": { "x": "feat.y" } },
//                       "a":  { "type": "rl.tanh_normal", "inputs": { "mean": "pi.mean", "std": "pi.std" } } } }
//
// Faithfulness: Dreamer models.py ActionDecoder with dist='tanh_normal', as dreamer.py builds it
// (4 dense layers of num_units=400, dense_act elu, min_std 1e-4, init_std = action_init_std 5,
// mean_scale 5; the output layer's 2*size units are split mean first, std second). The
// distribution it returns (Normal -> TanhBijector -> Independent -> SampleDist) is rl.tanh_normal.
// Deviation: layers start from torch's default init (kaiming-uniform weights, uniform bias), as
// nn.mlp does, where Keras' Dense uses glorot-uniform weights and zero bias; so the initial std is
// near, not exactly, init_std. log(exp(init_std) - 1) is computed as init_std + log1p(-exp(-init_std))
// so that large init_std does not overflow.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TanhNormalActorSchema();
std::unique_ptr<Node> MakeTanhNormalActor(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
