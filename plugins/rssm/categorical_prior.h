// rssm.categorical_prior: the RSSM's transition prior p(z_t | h_t) of DreamerV2 and DreamerV3, a
// vector of `stoch` categorical latents of `classes` classes each (categorical_head.h).
//
// Named Inputs:
//   h  [..., deter]  deterministic state h_t
// Named Outputs:
//   logits  [..., stoch, classes]  log-probabilities (after unimix)
//   sample  [..., stoch * classes] one-hot per latent, flattened, straight-through gradient
//   mode    [..., stoch * classes] the most likely class per latent, one-hot, flattened, no gradient
//                                  (DreamerV3's learned initial state takes the prior's mode)
// Parameters:
//   deter (int, 200), stoch (int, 32), classes (int, 32), hidden (int, 200),
//   act ("elu" | "relu" | "silu", "elu"), layer_norm (bool, false), unimix (float, 0),
//   sample (bool, true: false gives the most likely class)
//   compute (float32|bfloat16, float32: dtype of the two layers' matrix products)
// Stateful: the draws come from the node's own generator, seeded from the block's seed.
//
// Usage in a graph file (DreamerV2 for dmc; DreamerV3: "act": "silu", "layer_norm": true,
// "unimix": 0.01):
//   "blocks": { "prior": { "type": "rssm.categorical_prior", "deter": 200, "hidden": 200 } }
//
// Faithfulness: danijar/dreamerv2 nets.py RSSM.img_step with ensemble 1 (its dmc setting): a Dense
// of `hidden` units with elu ('img_out_0', no norm), then a Dense to stoch * discrete logits
// ('img_dist_0'), OneHotDist with the straight-through sample; Keras' glorot-uniform init. The
// paper's DreamerV3 (LayerNorm + SiLU, 1% unimix) by params; the authors' newest code (RMSNorm,
// GELU, two prior layers, a block GRU) is not what this node follows.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rssm {

NodeSchema CategoricalPriorSchema();
std::unique_ptr<Node> MakeCategoricalPrior(const Params& p, BuildContext& ctx);

}  // namespace lf::rssm
