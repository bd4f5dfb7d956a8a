// rssm.categorical_posterior: the RSSM's posterior q(z_t | h_t, e_t) of DreamerV2 and DreamerV3,
// categorical latents like rssm.categorical_prior (categorical_head.h) over [h_t, e_t].
//
// Named Inputs:
//   h      [..., deter]  deterministic state h_t
//   embed  [..., embed]  observation embedding e_t
// Named Outputs:
//   logits  [..., stoch, classes]  log-probabilities (after unimix)
//   sample  [..., stoch * classes] one-hot per latent, flattened, straight-through gradient
//   mode    [..., stoch * classes] the most likely class per latent, one-hot, flattened, no gradient
//                                  (DreamerV3's learned initial state takes the prior's mode)
// Parameters:
//   deter (int, 200), embed (int, required), and those of rssm.categorical_prior
// Stateful: the draws come from the node's own generator, seeded from the block's seed.
//
// Usage in a graph file:
//   "blocks": { "post": { "type": "rssm.categorical_posterior", "deter": 200, "embed": 1024 } }
//
// Faithfulness: danijar/dreamerv2 nets.py RSSM.obs_step: concat [deter, embed], a Dense of
// `hidden` units with elu ('obs_out'), a Dense to stoch * discrete logits ('obs_dist'),
// OneHotDist's straight-through sample. DreamerV3's options as for the prior.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rssm {

NodeSchema CategoricalPosteriorSchema();
std::unique_ptr<Node> MakeCategoricalPosterior(const Params& p, BuildContext& ctx);

}  // namespace lf::rssm
