// nn.mlp: a multilayer perceptron over the last dim.
//
// Named Inputs:
//   x  f32 [..., in_dim]   any number of leading dims
// Named Outputs:
//   y  f32 [..., out_dim]
// Parameters:
//   in_dim          int >= 1, required        input width
//   out_dim         int >= 1, required        output width
//   hidden          int list, default [200, 200]   widths of the hidden layers ([] gives one linear layer)
//   activation      relu|elu|silu|tanh|mish, default elu   after each hidden layer
//   layer_norm      bool, default false       LayerNorm between each hidden linear and its activation
//   first_layer_norm  bool, default false     LayerNorm after the first hidden linear only
//   first_activation  ""|relu|elu|silu|tanh|mish, default ""   the first hidden layer's ("": activation)
//   init            torch|orthogonal|trunc_normal, default torch   orthogonal: every linear's
//                                             weight orthogonal (torch.nn.init.orthogonal_, gain 1);
//                                             trunc_normal: N(0, 0.02) truncated (TD-MPC2); biases zero
//   zero_out        bool, default false       the output layer starts at zero (weights and bias)
//   symlog_inputs   bool, default false       the input is symlog(x) = sign(x) ln(1 + |x|) (DreamerV3's
//                                             encoder of vector observations)
//   out_layer_norm  bool, default false       LayerNorm after the output linear (before out_activation)
//   out_activation  none|tanh|sigmoid|simnorm|relu|elu|silu|mish, default none   applied to y;
//                                             simnorm: a softmax over each group of simnorm_dim
//                                             features (TD-MPC2's SimNorm); elu: DreamerV2's MLP
//                                             encoder, whose every layer ends in its activation
//   simnorm_dim     int >= 1, default 8       simnorm's group size; out_dim must be a multiple
//   compute         float32|bfloat16, default float32   dtype of the layers' matrix products
//                                             (latentflow/linear.h); weights and the rest stay float32
//
// Usage in a graph file:
//   "blocks": { "value": { "type": "nn.mlp", "in_dim": 230, "out_dim": 1,
//                          "hidden": [400, 400, 400], "activation": "elu" } }
// TD-MPC's Q-function (Linear -> LayerNorm -> Tanh -> Linear -> ELU -> Linear, orthogonal init,
// zero output layer):
//   "q": { "type": "nn.mlp", "in_dim": "${latent + action}", "out_dim": 1, "hidden": [512, 512],
//          "activation": "elu", "first_layer_norm": true, "first_activation": "tanh",
//          "init": "orthogonal", "zero_out": true }
// TD-MPC2's encoder and dynamics (NormedLinear layers: Linear -> LayerNorm -> Mish, the last one with
// SimNorm instead of Mish):
//   "dynamics": { "type": "nn.mlp", "in_dim": "${latent + action}", "out_dim": "${latent}",
//                 "hidden": [512, 512], "activation": "mish", "layer_norm": true,
//                 "out_layer_norm": true, "out_activation": "simnorm", "init": "trunc_normal" }
//
// Faithfulness: the default (ELU hidden layers, linear output) is Dreamer's (Hafner et al. 2019; its
// heads use 2-4 layers of 400 units: set hidden per graph). layer_norm with silu gives DreamerV3's
// Linear -> LayerNorm -> SiLU, with mish TD-MPC2's NormedLinear (Linear -> LayerNorm -> Mish).
// Deviations: the LayerNorm is torch's (eps 1e-5, affine), where DreamerV3 uses eps 1e-3; hidden
// linears keep their bias under layer_norm (DreamerV3 drops it; the norm's offset makes it redundant,
// not wrong); init is torch's default unless `init` says otherwise: "orthogonal" is TD-MPC's
// `orthogonal_init` for linears, "trunc_normal" TD-MPC2's `weight_init` (DreamerV3's Glorot-style
// scheme is not offered yet). zero_out is TD-MPC's zeroed last layer of its reward and Q heads (DreamerV3 zeroes
// its reward and critic outputs too).
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema MlpSchema();
std::unique_ptr<lf::Node> MakeMlp(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
