// rl.actor_loss: Dreamer's actor objective, the discount-weighted mean of the lambda-returns.
//
//   loss = -mean(weight * returns)        (weight detached)
// Minimizing it maximizes the returns by backpropagating through the imagined trajectory: the
// returns must be differentiable in the actions (rewards and values of states the actions led to).
//
// Named Inputs:
//   returns  [B, T]  lambda-returns (rl.lambda_return)
//   weight   [B, T]  discount weights (rl.lambda_return), no gradient flows into them
// Named Outputs:
//   loss  []  0-dim
// Parameters: none.
//
// Usage in a graph file (inline in a flow):
//   "actor_loss": { "type": "rl.actor_loss", "inputs": { "returns": "ret.returns", "weight": "ret.weight" } }
//
// Faithfulness: dreamer.py `_train`: actor_loss = -tf.reduce_mean(discount * returns), the
// analytic (dynamics) gradient of Dreamer v1, with no entropy bonus and no REINFORCE term (those
// are DreamerV2's). The division by the number of replicas is the data-parallel learner's business.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema ActorLossSchema();
std::unique_ptr<Node> MakeActorLoss(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
