// rssm.deterministic: the deterministic state model of the RSSM, a GRU cell on the previous
// stochastic state and action.
//
//   h_t = GRU(act(W [s_{t-1}, a_{t-1}] + b), h_{t-1})
//
// Named Inputs:
//   h  [B, deter]   previous deterministic state h_{t-1}
//   s  [B, stoch]   previous stochastic state s_{t-1} (a sample of the posterior or the prior)
//   a  [B, action_size]  previous action a_{t-1}
// Named Outputs:
//   h_next [B, deter]  h_t
// Parameters:
//   deter (int, 200)   GRU state size ("belief size" in PlaNet)
//   stoch (int, 30)    stochastic state size
//   action_size (int, required)
//   hidden (int, 200)  width of the input layer before the GRU
//   act ("elu"|"relu"|"silu", "elu")
//   gru ("keras"|"norm", "keras")  norm: DreamerV2/V3's GRU: gates = LayerNorm(W [x, h]) (no
//     bias, eps 1e-3), r = sigmoid, c = tanh(r * c), u = sigmoid(u - 1), h' = u c + (1 - u) h
//   layer_norm (bool, false)  the input layer is W [s, a] without bias, then LayerNorm (eps 1e-3),
//     then act (DreamerV3's normed Linear)
//   action_clip (float, 0)  > 0: a is first scaled by clip / max(clip, |a|) per element, the factor
//     a constant for the gradient (DreamerV3's action_clip 1; its policy's samples are unbounded)
//   compute (float32|bfloat16, float32)  dtype of the input layer's and the norm GRU's matrix
//     products (latentflow/linear.h); Keras' GRUCell (torch's) stays float32
//
// Usage in a graph file:
//   "blocks": { "rssm_cell": { "type": "rssm.deterministic", "deter": 200, "stoch": 30,
//                              "action_size": 6, "hidden": 200 } }
//
// Faithfulness:
//   Follows the reference code: PlaNet rssm.py `_transition` (dense on concat(sample, action),
//   then a GRU of belief_size; model_size 200, state_size 30 in configs.py) and Dreamer models.py
//   `img_step` (dense 'img1' of `hidden` units, then a Keras GRUCell of `deter` units;
//   stoch=30, deter=200, hidden=200). Activation: Dreamer uses elu (the default here); PlaNet
//   uses relu, available as act="relu". torch's GRUCell applies the reset gate after the
//   recurrent matmul, as Keras' GRUCell (reset_after=True, Dreamer) does; PlaNet's TF1
//   GRUBlockCell applies it before, a minor difference. Dense layers use glorot-uniform weights
//   and zero biases as in Keras; the GRU uses glorot-uniform input weights, orthogonal recurrent
//   weights and zero biases (Keras' GRUCell defaults). gru="norm" follows danijar/dreamerv2 nets.py
//   GRUCell(norm=True, act=tanh, update_bias=-1), which RSSM builds for its deter state, with
//   Keras' LayerNormalization epsilon (1e-3); DreamerV2 for dmc sets deter 200, hidden 200, elu.
//   DreamerV3 (2023 code, nets.py RSSM.img_step: 'img_in' Linear with norm 'layer' and silu, the
//   same GRU, action_clip 1.0) is act silu, gru norm, layer_norm and action_clip 1.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rssm {

NodeSchema DeterministicSchema();
std::unique_ptr<Node> MakeDeterministic(const Params& p, BuildContext& ctx);

}  // namespace lf::rssm
