// losses.kl_categorical: the KL term of DreamerV2 and DreamerV3 between vectors of categorical
// latents (posterior q, prior p), balanced between its two gradients, with free nats.
//
//   KL(a || b) per step = sum over latents and classes of a_c (log a_c - log b_c)
//   dyn = KL(sg(q) || p)   trains the prior toward the posterior
//   rep = KL(q || sg(p))   trains the posterior toward the prior
//   free_nats_mode "batch_mean": term = max(mean_{leading} KL, free_nats)     (DreamerV2)
//   free_nats_mode "per_step":   term = mean_{leading} max(KL, free_nats)     (DreamerV3)
//   loss = dyn_scale * dyn + rep_scale * rep
// Where the clamp is active the term passes no gradient.
//
// Named Inputs:
//   post_logits   [..., stoch, classes]  q's logits (log-probabilities or any logits: softmaxed here)
//   prior_logits  [..., stoch, classes]  p's, same shape
// Named Outputs:
//   loss  []  0-dim: the term to optimize
//   kl    []  0-dim, mean KL(q || p) before free nats, detached: for logging
// Parameters:
//   dyn_scale (float, 0.8), rep_scale (float, 0.2), free_nats (float, 1.0),
//   free_nats_mode ("batch_mean" | "per_step", "batch_mean")
//
// Usage in a graph file (DreamerV2's defaults; DreamerV3: 0.5, 0.1, "per_step"):
//   "kl": { "type": "losses.kl_categorical", "dyn_scale": 0.8, "rep_scale": 0.2, "free_nats": 1.0,
//           "inputs": { "post_logits": "post.logits", "prior_logits": "prior.logits" } }
//
// Faithfulness: danijar/dreamerv2 nets.py RSSM.kl_loss with forward=False, balance 0.8, free 1.0,
// free_avg true (configs.yaml): 0.8 * max(mean KL(sg(post) || prior), 1) + 0.2 * max(mean
// KL(post || sg(prior)), 1); the KL of tfd.Independent(OneHotCategorical, 1) sums over the
// latents. danijar/dreamerv3 (agent.py, the dyn and rep losses with free nats 1 and scales 0.5
// and 0.1) clamps each step's KL before averaging: "per_step". Its 1% unimix lives in the logits
// the RSSM heads output (rssm.categorical_prior/posterior), not here.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::losses {

NodeSchema KlCategoricalSchema();
std::unique_ptr<Node> MakeKlCategorical(const Params& p, BuildContext& ctx);

}  // namespace lf::losses
