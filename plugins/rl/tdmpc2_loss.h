// rl.tdmpc2_loss: TD-MPC2's model objective over a horizon of H: latent consistency, and reward and
// value as discrete regression (two-hot cross-entropy, two_hot.h), each weighted by rho^t.
//
//   consistency = sum_t rho^t mean_{b,l} (z_pred - sg(z_target))^2 / H
//   reward_loss = sum_t rho^t mean_b CE(reward_logits, two_hot(reward)) / H
//   value_loss  = sum_t rho^t sum_k mean_b CE(q_logits[k], two_hot(sg(td_target))) / (H K)
//   loss = consistency_coef consistency + reward_coef reward_loss + value_coef value_loss
//
// Named Inputs (t = 0..H-1 along dim 1, as a scan stacks them):
//   z_pred         [B, H, L]        the dynamics' latents z_1..z_H
//   z_target       [B, H, L]        the encoder's latents of the next observations (detached here)
//   reward_logits  [B, H, bins]     the reward head at (z_t, a_t)
//   reward         [B, H]
//   q_logits       [K, B, H, bins]  every Q at (z_t, a_t) (nn.ensemble_mlp)
//   td_target      [B, H]           (detached here)
// Named Outputs:
//   loss  []   consistency, reward_loss, value_loss  []  (detached, for logging)
// Parameters:
//   rho 0.5, consistency_coef 20, reward_coef 0.1, value_coef 0.1; bins 101, low -10, high 10
//
// Faithfulness: nicklashansen/tdmpc2 `TDMPC2._update` (single task, not episodic: no termination
// head) with `math.soft_ce`, term by term, including the divisions by H and H K.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema Tdmpc2LossSchema();
std::unique_ptr<Node> MakeTdmpc2Loss(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
