// rl.running_scale: TD-MPC2's running trimmed scale of the policy's Q-values: an EMA of the
// 5th-95th percentile range of a sample, at least 1, that divides the values.
//
//   r = max(percentile(sample, high) - percentile(sample, low), min_scale)   (linear interpolation)
//   S = S + rate (r - S)   (S starts at 1), then  y = x / S
//
// Named Inputs:
//   x       [...]  the values to scale
//   sample  [N]    the values the scale is updated from (TD-MPC2: the Qs of the first latent)
// Named Outputs:
//   y      [...]   x / S
//   scale  []      S after this call's update (for logging)
// Parameters:
//   rate  float in [0, 1], 0.01 (TD-MPC2: tau);  low 5, high 95 (percentiles);  min_scale 1
//
// Updated only in a training call (one that records gradients), so an evaluation of the objective
// does not move it. Stateful: S (checkpointed).
//
// Usage in a graph file:
//   "scaled": {"type": "rl.running_scale", "inputs": {"x": "q.mean", "sample": "q0.y"}}
//
// Faithfulness: nicklashansen/tdmpc2 `common/scale.py` RunningScale (percentiles by sorting along
// the batch with linear interpolation, clamp at 1, lerp by tau) as `TDMPC2.update_pi` uses it:
// update from qs[0], then scale every qs. DreamerV3's return normalization (separate EMAs of the
// two percentiles of lambda-returns, decay 0.99) is a different rule.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema RunningScaleSchema();
std::unique_ptr<Node> MakeRunningScale(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
