// losses.kl_gaussian: KL(q || p) between diagonal Gaussians (posterior q, prior p), with free nats.
//
//   kl_i = log(sp/sq) + (sq^2 + (mq - mp)^2) / (2 sp^2) - 1/2, per element;
//   per event (sum over the last event_dims dims), then
//   free_nats_mode "per_step":   kl = mean_{leading} max(kl_event, free_nats)   (PlaNet)
//   free_nats_mode "batch_mean": kl = max(mean_{leading} kl_event, free_nats)   (Dreamer)
//   kl_raw = mean_{leading} kl_event
// Where the clamp is active the gradient is zero: the model is not pushed below free_nats.
//
// Named Inputs:
//   post_mean, post_std    [..., stoch]  q
//   prior_mean, prior_std  [..., stoch]  p (same shape)
// Named Outputs:
//   kl      []  0-dim, after free nats: the term to optimize
//   kl_raw  []  0-dim, before free nats, detached: for logging
// Parameters:
//   free_nats       float >= 0, default 3.0
//   free_nats_mode  "per_step" | "batch_mean", default "per_step"
//   event_dims      int >= 0, default 1
//
// Usage in a graph file (inline in a flow):
//   "kl": { "type": "losses.kl_gaussian", "free_nats": 3.0,
//           "inputs": { "post_mean": "post.mean", "post_std": "post.std",
//                       "prior_mean": "prior.mean", "prior_std": "prior.std" } }
//
// Faithfulness: PlaNet (training/utility.py compute_losses) computes the KL per time step and
// batch element, applies tf.maximum(free_nats, kl) to each, then averages: "per_step", the
// default. Dreamer (dreamer.py) averages the KL over batch and time first and then takes
// tf.maximum(div, free_nats): "batch_mean". Both use 3 free nats. PlaNet divides the masked sum
// over time by the sequence length; with full-length chunks that is the mean used here.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::losses {

NodeSchema KlGaussianSchema();
std::unique_ptr<Node> MakeKlGaussian(const Params& p, BuildContext& ctx);

}  // namespace lf::losses
