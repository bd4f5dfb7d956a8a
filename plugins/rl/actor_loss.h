// rl.actor_loss: the actor objective of Dreamer, DreamerV2 and DreamerV3 over imagined steps.
//
//   advantage = sg((returns - baseline) / scale)
//   objective = (1 - reinforce) * returns + reinforce * logp * advantage + entropy * H
//   with dynamics_advantage, the first term is (1 - reinforce) * (returns - baseline) / sg(scale)
//   loss = -mean(sg(weight) * objective)
// The first term backpropagates through the learned dynamics (the returns must be differentiable
// in the actions); the second is REINFORCE (the gradient reaches the policy through logp); the
// third rewards the policy's entropy.
//
// Named Inputs:
//   returns   [B, T]  lambda-returns (rl.lambda_return)
//   weight    [B, T]  discount weights (rl.lambda_return), no gradient flows into them
//   logp      [B, T]  optional: log pi(a_t | s_t) of the imagined actions (needed when reinforce > 0)
//   baseline  [B, T]  optional: the critic's values of those states (the reference's target critic),
//                     detached in the REINFORCE term; 0 when unconnected
//   scale     []      optional: the return scale dividing the advantage (DreamerV3's max(1, S),
//                     rl.running_scale); 1 when unconnected
//   entropy   [B, T]  optional: the policy's entropy (needed when entropy > 0)
// Named Outputs:
//   loss  []  0-dim
// Parameters:
//   reinforce (float in [0, 1], 0): the weight of the REINFORCE term (DreamerV2's actor_grad_mix as
//     1 - mix: 0 = 'dynamics', 1 = 'reinforce'); entropy (float >= 0, 0): the entropy coefficient;
//   dynamics_advantage (bool, false): the dynamics term is the normalized advantage, its baseline
//     differentiable (through the imagined states it is computed from)
//
// Usage in a graph file (DreamerV2 on dmc: dynamics gradient, entropy 1e-4):
//   "actor_loss": { "type": "rl.actor_loss", "entropy": 1e-4,
//                   "inputs": { "returns": "ret.returns", "weight": "ret.weight", "entropy": "pi.entropy" } }
//
// Faithfulness: Dreamer (dreamer.py `_train`): -mean(discount * returns), the defaults here.
// DreamerV2 (agent.py ActorCritic.actor_loss): objective = mix * target + (1 - mix) * logp *
// sg(target - baseline) for 'both', target for 'dynamics', the REINFORCE term alone for
// 'reinforce', plus actor_ent * entropy, all weighted by sg(weight) and averaged; its dmc config
// uses 'dynamics' and 1e-4. DreamerV3 (paper, Eq. 11): REINFORCE with the advantage divided by
// max(1, S), entropy 3e-4. The 2023 code (agent.py ImagActorCritic.loss, actor_grad_cont
// 'backprop') minimizes -(ret - base) / max(1, S) for continuous actions, with base the critic's
// value of the imagined states, not detached: dynamics_advantage with reinforce 0. The alignment of the T steps (the reference drops the last ones) is
// the graph's: it feeds the steps it means.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema ActorLossSchema();
std::unique_ptr<Node> MakeActorLoss(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
