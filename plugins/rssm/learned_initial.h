// rssm.learned_initial: DreamerV3's learned initial deterministic state, the h an RSSM starts an
// episode (or a training sequence) from.
//
//   h_0 = tanh(w)  for every row of the batch,  w [deter] learned, starting at 0
// The stochastic state of the start is the prior's most likely class at h_0 (rssm.categorical_prior's
// `mode` output); the model loss trains w through the observe scan that starts from h_0.
//
// Named Inputs:
//   like  [B, ...]  any tensor whose first dim is the batch (actions, observations)
// Named Outputs:
//   h  [B, deter]  tanh(w), a broadcast view (gradients of all rows reach w)
// Parameters:
//   deter (int, required)
// Weights: `initial` [deter].
//
// Usage in a graph file:
//   "blocks": { "initial": { "type": "rssm.learned_initial", "deter": 512 } }
//   "init": { "block": "initial", "inputs": { "like": "batch.action" } },
//   "init_s": { "block": "prior", "inputs": { "h": "init.h" } }      (then "init_s.mode")
//
// Faithfulness: danijar/dreamerv3 (2023) nets.py RSSM.initial with initial='learned': deter =
// tanh(self.get('initial', jnp.zeros, [deter])) repeated over the batch, stoch = get_stoch(deter),
// the mode of the prior's logits at that deter (img_out and img_stats), without gradient.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rssm {

NodeSchema LearnedInitialSchema();
std::unique_ptr<Node> MakeLearnedInitial(const Params& p, BuildContext& ctx);

}  // namespace lf::rssm
