// rl.value_loss: Dreamer's value regression onto the lambda-returns, a unit-variance Gaussian NLL.
//
//   loss = mean(weight * -log N(target; value, 1))
//        = mean(weight * (0.5 (target - value)^2 + 0.5 log(2 pi)))
// target and weight are detached here, so only the value prediction is trained.
//
// Named Inputs:
//   value   [B, T]  value predictions at the imagined states 0..H-2, made from detached features
//   target  [B, T]  lambda-returns (rl.lambda_return.returns)
//   weight  [B, T]  discount weights (rl.lambda_return.weight)
// Named Outputs:
//   loss  []  0-dim
// Parameters: none.
//
// Usage in a graph file (inline in a flow):
//   "value_loss": { "type": "rl.value_loss",
//                   "inputs": { "value": "value_pred.y", "target": "ret.returns", "weight": "ret.weight" } }
//
// Faithfulness: dreamer.py `_train`: value_pred = value(imag_feat)[:-1] (a DenseDecoder giving
// Normal(x, 1)), target = stop_gradient(returns), value_loss = -reduce_mean(discount *
// value_pred.log_prob(target)). The 0.5 log(2 pi) of log_prob is kept, so the values equal
// Dreamer's logged value_loss. The value tape there only differentiates the value net's
// variables; feeding predictions made from detached features gives the same gradients.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema ValueLossSchema();
std::unique_ptr<Node> MakeValueLoss(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
