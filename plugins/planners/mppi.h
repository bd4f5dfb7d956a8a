// planners.mppi: TD-MPC's planner (Hansen et al. 2022): MPPI-style sampling of action sequences
// around a Gaussian belief, refitted with softmax weights of the elites' returns, warm-started from
// the previous step's plan and mixed with trajectories of a learned policy.
//
//   mean = the carried plan shifted by one step (its last step 0), or 0 without one; std = max_std
//   P policy trajectories: one call of the policy flow (before the iterations)
//   repeat `iterations` times:
//     a_j   = clip(mean + std * eps_j, min_action, max_action), j = 1..samples, then the P policy ones
//     R_j   = the model flow's objective (model_flow.h: sum_t discount^t reward_t + discount^H terminal)
//     elites = the `elites` a_j of highest R_j (NaN counts as 0)
//     w_k   = softmax(temperature * R_k) over the elites
//     mean  = momentum * mean + (1 - momentum) * sum_k w_k a_k
//     std   = clamp(sqrt(sum_k w_k (a_k - mean')^2), min_std, max_std)   (mean' the weighted mean)
//   action = a_k[0] of one elite drawn with probability w_k, plus std[0] * N(0, 1) when `explore`,
//   clipped to [min_action, max_action]; plan = mean, for the next step's warm start
//
// Named Inputs:
//   state0..state3  [E, Dk]   the model flow's state inputs (state0 required), as planners.cem
//   plan   [E, horizon, A]    optional: the previous step's plan output, carried by the rollout
//                             (`"carry": {"plan": "plan"}`) with zeros from the init flow, which
//                             the rollout puts back where an episode starts; unconnected: no warm
//                             start
//   min_std         [] f32    optional: the std's lower bound for this call (TD-MPC's
//                             std_schedule via rl.linear_schedule); else the param
//   horizon         [] f32    optional: the planning horizon for this call (TD-MPC's
//                             horizon_schedule), floored and at most the `horizon` param; the
//                             reference keeps it for a whole episode: feed it a schedule of the
//                             `episodes` counter
// Named Outputs:
//   action  [E, action_size]
//   plan    [E, horizon, A]   the refitted mean; steps past this call's horizon are 0
//   value   [E]               the softmax-weighted objective of the final elites (for logging)
// Parameters:
//   model        flow, required    model_flow.h's contract
//   policy       flow, "" (none)   inputs named as the model's state inputs, [E*P, Dk], and
//                                  optionally `ticks` [E*P, horizon] (zeros: its scan's length);
//                                  output `actions` [E*P, horizon, action_size]
//   policy_samples int >= 0, 25    P (TD-MPC: int(mixture_coef 0.05 * 512)); needs `policy`
//   action_size  int >= 1, required
//   horizon      int >= 1, 5
//   samples      int >= 1, 512     Gaussian candidates per env and iteration
//   elites       int >= 1, 64      <= samples + policy_samples
//   iterations   int >= 1, 6
//   temperature  float > 0, 0.5
//   momentum     float in [0, 1], 0.1
//   min_std, max_std  floats, 0.05, 2
//   discount     float in [0, 1], 0.99
//   min_action, max_action  floats, -1, 1
//   explore      bool, true        add the final std's noise to the action (training); false to
//                                  act on the drawn elite's first action (evaluation)
// Stateful: the node's generator (checkpointed). The previous plan is the graph's carried state,
// kept per environment by the rollout (DESIGN.md, "Acting").
//
// Usage in a graph file (TD-MPC's flows `plan_model`: latent rollout of d and R with the terminal
// min-Q, `plan_policy`: pi's trajectories):
//   "planner": {"type": "planners.mppi", "model": "plan_model", "policy": "plan_policy",
//               "action_size": "${env.action_size}"}
//   "plan": {"block": "planner", "inputs": {"state0": "encode.y", "plan": "$plan"}}
// with the step flow's rollout carrying it: "carry": {"action": "action", "plan": "plan"}.
//
// Faithfulness: follows nicklashansen/tdmpc `TDMPC.plan` and its defaults (iterations 6,
// num_samples 512, num_elites 64, mixture_coef 0.05, temperature 0.5, momentum 0.1, std in
// [min_std, 2], warm start shifting the previous mean, NaN values as 0, the final action drawn
// from the elites by their softmax weights plus std[0] noise during training). The reference
// lowers the std's bound on linear(0.5, 0.05, 25k steps) and grows the horizon on linear(1, 5,
// 25k steps): the min_std and horizon inputs, fed by rl.linear_schedule. The policy flow samples
// pi's actions itself (the reference: pi(z, min_std), a clipped Gaussian around tanh(mu)). Departures: the final action is clipped to the action bounds (the
// reference leaves that to the environment); several envs plan independently in one batch.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::planners {

NodeSchema MppiSchema();
std::unique_ptr<Node> MakeMppi(const Params& p, BuildContext& ctx);

}  // namespace lf::planners
