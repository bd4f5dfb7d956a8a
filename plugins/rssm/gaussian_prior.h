// rssm.gaussian_prior: the RSSM's transition prior p(s_t | h_t), a diagonal Gaussian.
//
//   x = act(W1 h_t + b1);  [mean, u] = W2 x + b2;  std = softplus(u) + min_std
//   sample = mean + std * eps,  eps ~ N(0, I)   (reparameterized: differentiable in mean, std)
//
// Named Inputs:
//   h  [..., deter]  deterministic state h_t
// Named Outputs:
//   mean, std, sample  [..., stoch]
// Parameters:
//   deter (int, 200), stoch (int, 30), hidden (int, 200)
//   min_std (float, 0.1)   lower bound added to the softplus
//   act ("elu"|"relu", "elu")
//   sample (bool, true)    false: `sample` is the mean (deterministic evaluation)
// Stateful: eps comes from the node's own generator, seeded from the block's seed.
//
// Usage in a graph file:
//   "blocks": { "prior": { "type": "rssm.gaussian_prior", "deter": 200, "stoch": 30 } }
//
// Faithfulness:
//   Reference code: PlaNet rssm.py `_transition` with future_mix=True (the configs.py default),
//   i.e. a dense layer on the GRU output, then mean and softplus stddev + min_stddev (0.1, no
//   offset inside the softplus); Dreamer models.py `img_step` ('img2' dense of `hidden` units with
//   elu, 'img3' to 2*stoch split into mean and std, std = softplus(std) + 0.1). Dreamer's layout
//   (one output layer split in two) is used; PlaNet's two separate output layers are the same
//   function class. Activation elu as in Dreamer; PlaNet's relu via act="relu".
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rssm {

NodeSchema GaussianPriorSchema();
std::unique_ptr<Node> MakeGaussianPrior(const Params& p, BuildContext& ctx);

}  // namespace lf::rssm
