// mdn.sample: draws z_{t+1} from the MDN-RNN's per-dimension Gaussian mixture at a temperature,
// for dreaming (rolling M forward on its own samples) and for the controller's inputs in a dream.
//
//   pi_i   = softmax(logit_pi_i / tau)                       per latent dimension i
//   k_i    ~ Categorical(pi_i)                                (Gumbel-max on logit_pi_i / tau)
//   z_i    = mu_{i,k_i} + exp(log_sigma_{i,k_i}) * sqrt(tau) * eps_i,   eps_i ~ N(0, 1)
//
// Named Inputs:
//   logit_pi   [..., z, K]  mixture logits (normalized or not) from mdn.lstm_step
//   mu         [..., z, K]  component means
//   log_sigma  [..., z, K]  component log stds
// Named Outputs:
//   z  [..., z]  one sample per latent dimension. Differentiable in mu and log_sigma with the
//                component choice and eps held fixed (the choice itself is not differentiable).
// Parameters:
//   temperature (float, 1.0, >= 1e-12)  tau. tau -> 0 approaches the mean of the most likely component;
//                                  tau > 1 makes dreams harder (the paper trains Doom's controller
//                                  in the dream at tau = 1.15 and 1.25 in the code).
// Stateful: the component choice and eps come from the node's own CPU generator, seeded from the
// block's seed (BuildContext::seed()), so the same graph and seed give the same samples.
//
// Usage in a graph file:
//   "blocks": { "dream_z": { "type": "mdn.sample", "temperature": 1.15 } }
//   "next": {"block": "dream_z", "inputs": {"logit_pi": "cell.logit_pi", "mu": "cell.mu",
//                                          "log_sigma": "cell.log_sigma"}}
//
// Faithfulness (reference code carracing/rnn/rnn.py sample_sequence and doomrnn's dream env):
//   the log-weights are divided by tau before the softmax and the chosen component's std is
//   multiplied by sqrt(tau), as in the reference. The reference picks the component by inverse-CDF
//   sampling with numpy; Gumbel-max draws from the same categorical distribution. tau = 0 is
//   rejected at validation (schema min 1e-12, division by zero); use a small positive value such
//   as 1e-4 for (near) greedy dreams.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::mdn {

NodeSchema SampleSchema();
std::unique_ptr<Node> MakeSample(const Params& p, BuildContext& ctx);

}  // namespace lf::mdn
