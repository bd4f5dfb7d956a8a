// rl.lambda_return: TD(lambda) returns of an imagined trajectory, bootstrapped from the last value.
//
//   R_{H-1} = v_{H-1}
//   R_t     = r_t + gamma * ((1 - lambda) v_{t+1} + lambda R_{t+1}),   t = H-2 ... 0
//   returns = [R_0 ... R_{H-2}];  weight_t = gamma^t (the discount of reaching step t)
// lambda = 1 gives the discounted Monte Carlo return bootstrapped with v_{H-1}; lambda = 0 the
// one-step targets r_t + gamma v_{t+1}. r_{H-1} is not used (the step after it is not imagined).
//
// Named Inputs:
//   reward  [B, H]  predicted rewards at the imagined states 0..H-1 (time on axis 1)
//   value   [B, H]  predicted values at the same states
// Named Outputs:
//   returns  [B, H-1]  differentiable in reward and value (actor: dynamics backprop)
//   weight   [B, H-1]  gamma^t, no gradient
// Parameters:
//   gamma   float in [0, 1], 0.99   discount (Dreamer: discount)
//   lambda  float in [0, 1], 0.95   (Dreamer: disclam)
//
// Usage in a graph file (inline in a flow):
//   "ret": { "type": "rl.lambda_return", "gamma": 0.99, "lambda": 0.95,
//            "inputs": { "reward": "imag_reward.y", "value": "imag_value.y" } }
//
// Faithfulness: Dreamer tools.py lambda_return as dreamer.py calls it: lambda_return(reward[:-1],
// value[:-1], pcont[:-1], bootstrap=value[-1], lambda_=disclam) with pcont = discount everywhere
// (config.pcont = False, the default), and the weight discount = cumprod([1, pcont[:-2]]) under
// stop_gradient; defaults discount 0.99, disclam 0.95 (horizon 15 is the imagination's length).
// The reference is time-major ([H, B*T]); here time is axis 1, as scans stack it. A learned
// continuation (pcont) is not an input of this node.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema LambdaReturnSchema();
std::unique_ptr<Node> MakeLambdaReturn(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
