// rl.tanh_normal: draws actions from the tanh-transformed Gaussian tanh(N(mean, std)) of an actor.
//
//   mode "sample":  u = mean + std * eps, eps ~ N(0, I);  action = tanh(u)
//                   reparameterized: action, log_prob and entropy are differentiable in mean, std
//   mode "mode":    draw `samples` such u per row, return the one whose action has the highest
//                   density (SampleDist.mode); no gradient (outputs are detached)
//   log_prob = sum_A [ log N(u; mean, std) - log|d tanh(u)/du| ],
//   log|d tanh(u)/du| = log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u))
// computed on the pre-tanh u, never via atanh(action), so it stays finite where tanh(u) rounds
// to +-1.
//
// Named Inputs:
//   mean  [..., A]  pre-tanh mean (rl.tanh_normal_actor)
//   std   [..., A]  pre-tanh std, > 0
// Named Outputs:
//   action    [..., A]  in [-1, 1]
//   log_prob  [...]     log-density of `action` under the tanh-Gaussian, summed over A
//   entropy   [...]     entropy estimate: "sample": -log_prob (one sample);
//                       "mode": -mean of the log-densities of the `samples` draws
// Parameters:
//   mode     "sample"|"mode", "sample"   training/acting sample, or Dreamer's evaluation mode
//   samples  int >= 1, 100               draws per row in mode "mode" (SampleDist's samples)
// Stateful: eps comes from the node's own CPU generator, seeded from the node's seed.
//
// Usage in a graph file (inline in a flow):
//   "act": { "type": "rl.tanh_normal", "inputs": { "mean": "actor.mean", "std": "actor.std" } }
//   "greedy": { "type": "rl.tanh_normal", "mode": "mode", "inputs": { ... } }
//
// Faithfulness: Dreamer models.py ActionDecoder's distribution, tools.py
// SampleDist(Independent(TransformedDistribution(Normal(mean, std), TanhBijector()), 1)):
// `sample()` is mode "sample" (dreamer.py acts in training and imagines with it), `mode()` is mode
// "mode" with SampleDist's 100 samples (dreamer.py's evaluation policy), `entropy()` the 100-sample
// estimate given in mode "mode". The log-det is TanhBijector._forward_log_det_jacobian.
// Deviations: the reference evaluates log_prob through the bijector's inverse (atanh of the
// action clipped to +-0.99999997), which loses the tail; here it comes from u itself. The
// reference's mode() gathers with the argmax of row 0 for every row of a batch (tf.gather(...)[0]);
// here each row takes its own best draw, which is the same for the batch of one it is used with.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TanhNormalSchema();
std::unique_ptr<Node> MakeTanhNormal(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
