// planners.cem: PlaNet's cross-entropy-method planner. It optimizes a horizon of actions for each
// environment against a model flow that it rolls out for all candidates at once.
//
//   mean = 0, std = 1                                   per (env, time step, action dim)
//   repeat `iterations` times:
//     a_j    = clip(mean + std * eps_j, min_action, max_action),  eps_j ~ N(0, I), j = 1..candidates
//     R_j    = sum_t discount^t * sum(reward_j[t])      one call of the model flow for every a_j
//              (+ discount^T * terminal_j when the flow outputs one)
//     elites = the `elites` a_j of highest R_j          per env
//     mean, var = moments of the elites (1/elites);  std = sqrt(var + 1e-6)
//   action = mean[:, 0]   (the first action of the final mean)
//
// Model flow contract (model_flow.h, checked when the node is built and at every call): input
// `actions` [E*C, horizon, action_size], the other inputs get state0.. repeated C times per env,
// output `reward` [E*C] or [E*C, T, ...] (discounted over T), optional `terminal` [E*C].
// The whole planning runs without autograd.
//
// Named Inputs:
//   state0          [E, D0]   required: the model's first state input (e.g. the RSSM's h)
//   state1..state3  [E, Dk]   optional: its further state inputs (e.g. the RSSM's s), in order.
//                             Declared [E, *] (rank 2): a node's "..." dims are shared by all its
//                             inputs, which states of different widths could not satisfy.
// Named Outputs:
//   action  [E, action_size]  the first action of the final mean
//   value   [E]               mean objective R of the final iteration's elites (for logging)
// Parameters:
//   model        flow, required       the model rolled out (contract above)
//   action_size  int >= 1, required
//   horizon      int >= 1, 12         planning horizon H
//   candidates   int >= 1, 1000       action sequences per env per iteration
//   elites       int >= 1, 100        top candidates refitted to (<= candidates)
//   iterations   int >= 1, 10         model calls per plan
//   min_action   float, -1            candidates are clipped to [min_action, max_action]
//   max_action   float, 1
//   discount     float in [0, 1], 0.99   per-step weight of the reward inside the horizon
// Stateful: the sampling noise comes from the node's own CPU generator, seeded from the block's
// seed (saved and restored by checkpoints).
//
// Usage in a graph file (the RSSM rollout is a flow `model` with inputs actions, h, s and an
// output `reward` [N, H, 1]; see bench/planner_latency.json):
//   "blocks": { "cem": { "type": "planners.cem", "model": "model", "action_size": 1 } }
//   "plan": { "nodes": { "cem": { "block": "cem", "inputs": { "state0": "$h", "state1": "$s" } } },
//             "outputs": { "action": "cem.action", "value": "cem.value" } }
//
// Faithfulness: follows PlaNet's reference code (planet/control/planning.py,
// cross_entropy_method, with the defaults of configs.py: amount 1000, topk 100, iterations 10,
// horizon 12): the belief starts at N(0, 1) per step and action dim, samples are clipped to the
// action bounds before they are evaluated and refitted, the refit uses the elites' population
// variance with std = sqrt(var + 1e-6), and the agent takes mean[:, 0] of the last iteration (no
// warm start across steps). discount defaults to 0.99 because the reference code ranks by the
// discounted return (cross_entropy_method's discount=0.99, which configs.py does not override);
// the paper writes an undiscounted sum of rewards, which is discount 1. PlaNet's reward is the
// mean of its reward head, here whatever the model flow outputs. One deviation: the reference
// tiles the state (tf.tile, candidate-major) but reshapes the actions env-major, which pairs
// states with the wrong candidates when it plans for more than one env (it plans for one);
// here both are env-major, so E > 1 envs plan independently in one batch.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::planners {

NodeSchema CemSchema();
std::unique_ptr<Node> MakeCem(const Params& p, BuildContext& ctx);

}  // namespace lf::planners
