// rssm.gaussian_posterior: the RSSM's filtering posterior q(s_t | h_t, e_t), a diagonal Gaussian
// conditioned on the deterministic state and the observation embedding.
//
//   x = act(W1 [h_t, e_t] + b1);  [mean, u] = W2 x + b2;  std = softplus(u) + min_std
//   sample = mean + std * eps,  eps ~ N(0, I)   (reparameterized)
//
// Named Inputs:
//   h      [..., deter]  deterministic state h_t (from rssm.deterministic, as for the prior)
//   embed  [..., embed]  encoder output e_t for the current observation
// Named Outputs:
//   mean, std, sample  [..., stoch]
// Parameters:
//   deter (int, 200), embed (int, required), stoch (int, 30), hidden (int, 200)
//   min_std (float, 0.1), act ("elu"|"relu", "elu"), sample (bool, true)
// Stateful: eps comes from the node's own generator, seeded from the block's seed.
//
// Usage in a graph file:
//   "blocks": { "posterior": { "type": "rssm.gaussian_posterior", "deter": 200, "embed": 1024,
//                              "stoch": 30 } }
//
// Faithfulness:
//   Reference code: PlaNet rssm.py `_posterior` (dense on concat(belief, obs embedding), then mean
//   and softplus stddev + 0.1) and Dreamer models.py `obs_step` ('obs1' dense on concat(deter,
//   embed), 'obs2' to 2*stoch, std = softplus + 0.1). Both condition only on h_t and e_t, not on
//   s_{t-1} or a_{t-1} directly (those reach it through h_t). One hidden layer, as both do.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rssm {

NodeSchema GaussianPosteriorSchema();
std::unique_ptr<Node> MakeGaussianPosterior(const Params& p, BuildContext& ctx);

}  // namespace lf::rssm
