// rl.lambda_return: TD(lambda) returns of an imagined trajectory, bootstrapped from the last value.
//
//   R_{H-1} = v_{H-1}
//   R_t     = r'_t + d_t ((1 - lambda) v_{t+1} + lambda R_{t+1}),   t = H-2 ... 0
//   returns = [R_0 ... R_{H-2}];  weight_t = d_0 ... d_{t-1} (the discount of reaching step t)
// reward_at "state" (Dreamer, DreamerV2): r'_t = r_t and d_t = gamma c_t; reward_at "next"
// (DreamerV3: a step's reward is that of the state it reaches): r'_t = r_{t+1}, d_t = gamma c_{t+1};
// c is the continuation input, 1 where unconnected (so d_t = gamma and weight_t = gamma^t).
// lambda = 1 gives the discounted Monte Carlo return bootstrapped with v_{H-1}; lambda = 0 the
// one-step targets. The reward not read (r_{H-1}, or r_0 with "next") does not matter.
//
// Named Inputs:
//   reward  [B, H]  predicted rewards at the imagined states 0..H-1 (time on axis 1)
//   value   [B, H]  predicted values at the same states
//   cont    [B, H]  optional: continuation flags or probabilities of the states (DreamerV3's
//                   continue head), detached here
// Named Outputs:
//   returns  [B, H-1]  differentiable in reward and value (actor: dynamics backprop)
//   weight   [B, H-1]  no gradient
// Parameters:
//   gamma      float in [0, 1], 0.99   discount (Dreamer: discount; DreamerV3: 1 - 1/333)
//   lambda     float in [0, 1], 0.95   (Dreamer: disclam)
//   reward_at  "state" | "next", "state"
//
// Usage in a graph file (inline in a flow):
//   "ret": { "type": "rl.lambda_return", "gamma": 0.99, "lambda": 0.95,
//            "inputs": { "reward": "imag_reward.y", "value": "imag_value.y" } }
//
// Faithfulness: Dreamer tools.py lambda_return as dreamer.py calls it: lambda_return(reward[:-1],
// value[:-1], pcont[:-1], bootstrap=value[-1], lambda_=disclam) with pcont = discount everywhere
// (config.pcont = False, the default), and the weight discount = cumprod([1, pcont[:-2]]) under
// stop_gradient; defaults discount 0.99, disclam 0.95 (horizon 15 is the imagination's length).
// The reference is time-major ([H, B*T]); here time is axis 1, as scans stack it. DreamerV3 (the
// 2023 code, agent.py VFunction.score and WorldModel.imagine): rew = reward head at states 1..H,
// disc = gamma cont[1:], the same recursion from the last value, weight = cumprod(gamma cont) /
// gamma, which is d_0 ... d_{t-1} times the start state's continuation (1: replay states are not
// terminal on the control suite, so this node leaves that factor out).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema LambdaReturnSchema();
std::unique_ptr<Node> MakeLambdaReturn(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
