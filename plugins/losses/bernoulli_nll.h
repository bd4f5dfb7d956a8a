// losses.bernoulli_nll: negative log-likelihood of binary targets under Bernoulli logits, the loss
// of DreamerV2's discount predictor and DreamerV3's continue head.
//
//   loss = mean_{leading} sum_{last event_dims} -(t log sigmoid(x) + (1 - t) log(1 - sigmoid(x)))
//   scaled per element by `weight` where given
// Computed from the logits (softplus form), so saturated logits give finite losses.
//
// Named Inputs:
//   logits  [...]  Bernoulli logits x
//   target  [...]  targets t in [0, 1], same shape
//   weight  [...]  optional per-element weights (DreamerV2 weights the discount loss by the
//                  discount product), no gradient flows into them
// Named Outputs:
//   loss  []  0-dim
// Parameters:
//   event_dims  int >= 0, default 0
//
// Usage in a graph file (inline in a flow):
//   "cont_loss": { "type": "losses.bernoulli_nll", "inputs": { "logits": "cont.y", "target": "cont_target" } }
//
// Faithfulness: DreamerV2 (nets.py MLP head with dist 'binary': tfd.Bernoulli(logits),
// -log_prob averaged over batch and time, discount head scale 1 for Atari, off for dmc) and
// DreamerV3 (the 'cont' head, a Binary output whose loss is -log_prob, scale 1).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::losses {

NodeSchema BernoulliNllSchema();
std::unique_ptr<Node> MakeBernoulliNll(const Params& p, BuildContext& ctx);

}  // namespace lf::losses
