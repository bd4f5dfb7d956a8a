// rl.squashed_gaussian: TD-MPC2's policy head: a Gaussian with a bounded log-std, sampled with the
// reparameterization trick and squashed by tanh, with its entropy terms.
//
//   mu, s = split(x);  log_std = low + (high - low) (tanh(s) + 1) / 2;  eps ~ N(0, 1)
//   log_p  = sum_a (-eps^2 / 2 - log_std - log(2 pi) / 2)          (before squashing)
//   action = tanh(mu + eps exp(log_std));  mean = tanh(mu)
//   log_pi = log_p - sum_a log(relu(1 - action^2) + 1e-6)
//   entropy = -log_pi;  scaled_entropy = -log_pi * (A log_p) / (log_pi + 1e-8)
//
// Named Inputs:
//   x  [..., 2A]   the policy network's output: means, then log-std pre-activations
// Named Outputs:
//   action          [..., A]   the squashed sample (differentiable in x)
//   mean            [..., A]   tanh(mu)
//   entropy         [...]      -log_pi
//   scaled_entropy  [...]      the entropy the policy objective rewards (TD-MPC2's)
// Parameters:
//   log_std_min  float, -10;  log_std_max  float, 2
//
// Stateful: its generator (checkpointed).
//
// Usage in a graph file:
//   "pi": {"type": "rl.squashed_gaussian", "inputs": {"x": "pi_net.y"}}
//
// Faithfulness: nicklashansen/tdmpc2 `WorldModel.pi` with `math.log_std`, `gaussian_logprob` and
// `squash` (single task: the entropy scale is the action size), term by term.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema SquashedGaussianSchema();
std::unique_ptr<Node> MakeSquashedGaussian(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
