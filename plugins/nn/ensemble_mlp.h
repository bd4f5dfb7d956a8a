// nn.ensemble_mlp: K multilayer perceptrons of the same layout over the same input, computed as one
// batched matmul per layer (TD-MPC2's vectorized ensemble of Q-functions).
//
//   y[k] = mlp_k(x), k = 0..members-1; each hidden layer: Linear -> [dropout on the first] ->
//   [LayerNorm] -> activation, then a linear output layer
//
// Named Inputs:
//   x  f32 [..., in_dim]
// Named Outputs:
//   y  f32 [members, ..., out_dim]
// Parameters:
//   members     int >= 1, required      K
//   in_dim, out_dim  ints >= 1, required
//   hidden      int list, default [512, 512]
//   activation  relu|elu|silu|tanh|mish, default mish
//   layer_norm  bool, default true      LayerNorm (per member, affine) before each hidden activation
//   dropout     float in [0, 1), default 0   on the first hidden layer's linear output, only while
//                                       gradients are recorded (a training call); each member and
//                                       row draws its own mask from the node's generator
//   init        torch|trunc_normal, default trunc_normal   torch: nn.Linear's default per member;
//                                       trunc_normal: N(0, 0.02) truncated, biases zero
//   zero_out    bool, default false     the output layer's weights start at zero (biases are zero
//                                       under trunc_normal)
//   compute     float32|bfloat16, default float32   dtype of the batched matrix products
//
// Usage in a graph file (TD-MPC2's five Qs, 101 two-hot logits each):
//   "qs": {"type": "nn.ensemble_mlp", "members": 5, "in_dim": "${latent + action}", "out_dim": 101,
//          "hidden": [512, 512], "dropout": 0.01, "zero_out": true}
// A target copy kept by optim.ema is a block of the same params with dropout 0.
//
// Stateful: the dropout generator (checkpointed).
//
// Faithfulness: nicklashansen/tdmpc2 `layers.Ensemble` of `layers.mlp(..., dropout=0.01)` with
// `init.weight_init` and the zeroed last weight: NormedLinear = Linear -> Dropout (first layer) ->
// LayerNorm -> Mish. The reference applies dropout in the module's train mode, which it sets for
// the update (the Qs of the loss and of the policy objective) and clears for planning and the TD
// target; here a call that records gradients is a training call. torch.vmap's "different"
// randomness is one mask per member, as here.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema EnsembleMlpSchema();
std::unique_ptr<lf::Node> MakeEnsembleMlp(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
