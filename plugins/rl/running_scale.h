// rl.running_scale: a running trimmed scale that divides values: TD-MPC2's scale of the policy's
// Q-values and DreamerV3's return normalization.
//
//   lo, hi = percentile(sample, low), percentile(sample, high)   (linear interpolation)
//   rule "range" (TD-MPC2):  S = S + rate (max(hi - lo, min_scale) - S), S starting at 1
//   rule "percentiles" (DreamerV3):  L = L + rate (lo - L), H = H + rate (hi - H), both starting
//     at 0, and S = max(H - L, min_scale)
//   y = x / S
//
// Named Inputs:
//   x       [...]  the values to scale
//   sample  [N]    the values the scale is updated from (TD-MPC2: the Qs of the first latent)
// Named Outputs:
//   y      [...]   x / S
//   scale  []      S after this call's update (for logging)
// Parameters:
//   rate  float in [0, 1], 0.01 (TD-MPC2: tau; DreamerV3: 1 - decay 0.99);  low 5, high 95
//   (percentiles);  min_scale 1;  rule "range" | "percentiles", "range"
//
// Updated only in a training call (one that records gradients), so an evaluation of the objective
// does not move it. Stateful: S (and L, H) checkpointed.
//
// Usage in a graph file:
//   "scaled": {"type": "rl.running_scale", "inputs": {"x": "q.mean", "sample": "q0.y"}}
//
// Faithfulness: nicklashansen/tdmpc2 `common/scale.py` RunningScale (percentiles by sorting along
// the batch with linear interpolation, clamp at 1, lerp by tau) as `TDMPC2.update_pi` uses it:
// update from qs[0], then scale every qs. DreamerV3 (paper Eq. 12; the 2023 code's Moments with
// decay 0.99, max 1, percentiles 5 and 95, no debiasing): rule "percentiles" over the
// lambda-returns, S dividing the advantages (rl.actor_loss's scale input).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema RunningScaleSchema();
std::unique_ptr<Node> MakeRunningScale(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
