// rl.told_loss: TD-MPC's model objective over a horizon: latent consistency with the target
// encoder, reward prediction and twin-Q TD regression, each summed over time with weight rho^t,
// clamped, combined with coefficients and weighted per sample by the replay's importance weights.
//
//   c_b = sum_t rho^t mean_L (z_pred - sg(z_target))^2      r_b = sum_t rho^t (reward_pred - reward)^2
//   v_b = sum_t rho^t [(q1 - sg(y))^2 + (q2 - sg(y))^2]     (each clamped at 1e4)
//   loss = mean_b(sg(weight_b) * (c_coef c_b + r_coef r_b + v_coef v_b)) / H
//   priority_b = min(sum_t rho^t (|q1 - y| + |q2 - y|), 1e4)   (for replay.set_priority)
//
// Named Inputs (stacked over the horizon by a scan, t = 0..H-1):
//   z_pred       [B, H, L]  the dynamics' prediction of the next latent
//   z_target     [B, H, L]  the target encoder's latent of the next observation
//   reward_pred  [B, H]     the reward head's prediction
//   reward       [B, H]     the reward received
//   q1, q2       [B, H]     the online Qs at (z_t, a_t)
//   td_target    [B, H]     y = r + discount * min target-Q (rl.td_target)
//   weight       [B]        optional: importance weights (replay.sample's weight); 1 when unconnected
// Named Outputs:
//   loss  []   to minimize (one Adam step over the encoder, dynamics, reward and Qs)
//   consistency, reward_loss, value_loss  []   batch means of c, r, v (for logging)
//   priority  [B]   detached
// Parameters:
//   rho 0.5, consistency_coef 2, reward_coef 0.5, value_coef 0.1 (floats >= 0)
//
// Faithfulness: nicklashansen/tdmpc `TDMPC.update`: the same sums, clamps (1e4), coefficients and
// PER weighting; its gradient hook scales the weighted loss's gradient by 1/H, here the loss itself
// is divided by H (the same gradients; the logged value is the reference's weighted_loss / H).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema ToldLossSchema();
std::unique_ptr<Node> MakeToldLoss(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
