// rl.tdmpc2_policy_loss: TD-MPC2's maximum-entropy policy objective over the (detached) latents of
// the horizon, later steps weighted down by rho^t.
//
//   loss = mean_t rho^t mean_b -(entropy_coef scaled_entropy[b, t] + q[b, t])
//
// Named Inputs:
//   q               [B, T]  the Qs' mean at (sg(z_t), pi's sample), divided by the running scale
//                           (rl.random_pair, rl.running_scale)
//   scaled_entropy  [B, T]  rl.squashed_gaussian's
// Named Outputs:
//   loss  []
// Parameters:
//   rho  float in [0, 1], 0.5;  entropy_coef  float >= 0, 1e-4
//
// Only the policy should step on this loss (its optimizer lists the policy alone).
//
// Faithfulness: nicklashansen/tdmpc2 `TDMPC2.update_pi`.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema Tdmpc2PolicyLossSchema();
std::unique_ptr<Node> MakeTdmpc2PolicyLoss(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
