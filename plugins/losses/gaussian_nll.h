// losses.gaussian_nll: negative log-likelihood of the target under a diagonal Gaussian.
//
//   nll = 0.5 ((target - mean) / std)^2 + log std + 0.5 log(2 pi), per element;
//   loss = mean_{leading} sum_{last event_dims} nll
//
// Named Inputs:
//   mean    [...]  predicted mean
//   target  [...]  observed value, same shape
//   std     [...]  optional: predicted std (> 0); when unconnected the `std` param is used
// Named Outputs:
//   loss  []  0-dim
// Parameters:
//   event_dims  int >= 0, default 1
//   std         float > 0, default 1.0   fixed std when the input is not connected
//
// Usage in a graph file (inline in a flow):
//   "image_nll": { "type": "losses.gaussian_nll", "event_dims": 3,
//                  "inputs": { "mean": "decoder.y", "target": "$image" } }
//
// Faithfulness: PlaNet and Dreamer decode images and rewards as Normal(mean, 1) and maximize
// log_prob summed over the event (Independent(..., 3) for images) and averaged over batch and time:
// this node with std=1 and event_dims=3 (images) or 0/1 (scalar rewards). The constant
// 0.5 log(2 pi) is kept so values match the reference log-likelihoods.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::losses {

NodeSchema GaussianNllSchema();
std::unique_ptr<Node> MakeGaussianNll(const Params& p, BuildContext& ctx);

}  // namespace lf::losses
