// rl.trunc_normal: draws actions from a normal N(mean, std) truncated to [low, high] (DreamerV2's
// policy distribution for continuous actions), with log-density and entropy; with truncate false,
// from the normal itself (DreamerV3's: action = mean + std eps, the environment bounds it).
//
//   alpha = (low - mean) / std,  beta = (high - mean) / std,  Z = Phi(beta) - Phi(alpha)
//   mode "sample": x = mean + std * Phi^-1(Phi(alpha) + U Z),  U ~ U[0, 1)   (inverse CDF)
//                  action = x - sg(x) + sg(clamp(x, low + 1e-6, high - 1e-6))
//   mode "mode":   action = clamp(mean, low, high)
//   log_prob = sum_A [ -z^2 / 2 - log(sqrt(2 pi) std) - log Z ],  z = (sg(action) - mean) / std
//   entropy  = sum_A [ log(sqrt(2 pi e) std Z) + (alpha phi(alpha) - beta phi(beta)) / (2 Z) ]
// The sample is reparameterized: its gradient with respect to mean and std holds U fixed, which
// is the implicit reparameterization gradient TensorFlow Probability's TruncatedNormal gives
// (dynamics backpropagation of DreamerV2's actor). log_prob is of the detached action, the
// score-function term of REINFORCE; entropy is exact and differentiable. The math runs in double
// so that the far tails (alpha down to -20 at std 0.1) keep their precision.
//
// Named Inputs:
//   mean  [..., A]  location (rl.normal_actor)
//   std   [..., A]  scale, > 0
// Named Outputs:
//   action    [..., A]  inside (low, high)
//   log_prob  [...]     log-density of the action, summed over A
//   entropy   [...]     entropy of the distribution, summed over A
// Parameters:
//   mode ("sample" | "mode", "sample"), truncate (bool, true), low (float, -1), high (float, 1)
// Stateful: U comes from the node's own generator, seeded from the node's seed.
//
// Usage in a graph file:
//   "pi": { "type": "rl.trunc_normal", "inputs": { "mean": "actor.mean", "std": "actor.std" } }
//   "greedy": { "type": "rl.trunc_normal", "mode": "mode", "inputs": { ... } }
//
// Faithfulness: danijar/dreamerv2 common/dists.py TruncNormalDist(loc, scale, -1, 1) with clip 1e-6
// and mult 1: tfd.TruncatedNormal's sample, log_prob, entropy and mode, the sample clipped 1e-6
// inside the bounds with a straight-through gradient; wrapped in tfd.Independent(..., 1), hence
// the sums over A. TFP samples by rejection-free inverse sampling as well, with its own uniforms.
// danijar/dreamerv3 (2023) nets.py Dist 'normal': tfd.Independent(tfd.Normal(mean, std), 1), the
// truncate false case (its mode is the mean).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema TruncNormalSchema();
std::unique_ptr<Node> MakeTruncNormal(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
