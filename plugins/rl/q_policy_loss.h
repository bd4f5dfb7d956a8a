// rl.q_policy_loss: TD-MPC's policy objective: maximize the twin Qs' minimum of the policy's own
// actions along the (detached) latents of the horizon, later steps weighted down by rho^t.
//
//   loss = -sum_t rho^t mean_b min(q1, q2)[b, t]
//
// Named Inputs:
//   q1, q2  [B, T]  the online Qs at (sg(z_t), pi(sg(z_t)) + noise), t = 0..T-1
// Named Outputs:
//   loss  []
// Parameters:
//   rho  float in [0, 1], 0.5
//
// Only the policy should step on this loss: its optimizer block lists the policy alone
// (optim.adam differentiates into its own blocks only, as the reference turns off the Qs'
// gradients).
//
// Faithfulness: nicklashansen/tdmpc `TDMPC.update_pi` (pi_loss += -min(Q1, Q2).mean() * rho^t over
// the H + 1 latents zs, which are detached).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema QPolicyLossSchema();
std::unique_ptr<Node> MakeQPolicyLoss(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
