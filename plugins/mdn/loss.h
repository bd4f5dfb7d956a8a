// mdn.loss: the World Models MDN-RNN training loss: the negative log-likelihood of the next latent
// under the predicted per-dimension Gaussian mixtures, plus optional reward and done terms.
//
//   nll  = mean over all leading dims and z dims of
//            -logsumexp_k( log_softmax(logit_pi)_k - (y - mu_k)^2 / (2 sigma_k^2) - log sigma_k - log sqrt(2 pi) )
//   loss = nll + reward_weight * mean((reward_pred - reward)^2)
//              + done_weight * mean(w * BCEWithLogits(done_logit, done)),  w = done_pos_weight where done = 1, else 1
//
// Named Inputs:
//   logit_pi     [..., z, K]  mixture logits (normalized or not; log-softmax is applied here)
//   mu           [..., z, K]  component means
//   log_sigma    [..., z, K]  component log stds
//   target       [..., z]     the observed next latent z_{t+1}
//   reward_pred  [...]        optional: predicted reward (mdn.lstm_step.reward)
//   reward       [...]        optional: observed reward
//   done_logit   [...]        optional: predicted done logit
//   done         [...]        optional: observed done, 0 or 1 (float)
//   Each pair (reward_pred, reward) and (done_logit, done) is used only when both are connected:
//   a pair left unconnected drops its term; a half-connected pair is an error at run time.
// Named Outputs:
//   loss  []  0-dim, the total above (differentiable)
//   nll   []  0-dim, the mixture NLL term alone, detached (for logging)
// Parameters:
//   reward_weight (float, 1.0, >= 0), done_weight (float, 1.0, >= 0)
//   done_pos_weight (float, 1.0, > 0)  weight of done = 1 examples in the BCE (Doom reference: 10)
//
// Usage in a graph file (inline in a flow, after a scan of mdn.lstm_step over T steps):
//   "m_loss": {"type": "mdn.loss",
//              "inputs": {"logit_pi": "unroll.logit_pi", "mu": "unroll.mu", "log_sigma": "unroll.log_sigma",
//                         "target": "batch.next_z", "done_logit": "unroll.done_logit", "done": "batch.done"}}
//
// Faithfulness (reference code carracing/rnn/rnn.py and doomrnn/doomrnn.py, get_lossfunc):
//   - NLL: log-weights minus their logsumexp plus the Gaussian log-density, logsumexp over the K
//     components, averaged over batch, time and z dimensions (a mean, not a sum over z), as in the
//     reference. The log-sum-exp is max-shifted (at::logsumexp), so targets far from every
//     component give a large finite loss, not inf/nan.
//   - Done: sigmoid cross-entropy on the done logit, as the Doom model; the reference up-weights
//     done = 1 by restart_factor = 10 (done_pos_weight here, default 1.0 so that the default is a
//     plain BCE) and adds it with weight 1.
//   - Reward: the reference models predict no reward; the MSE term is our extension (off when
//     unconnected). CarRacing's setup is the NLL alone: leave the four optional inputs out.
//   - The reference clips gradients by value (1.0) in its optimizer; that belongs to the optimizer
//     block, not to this loss.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::mdn {

NodeSchema LossSchema();
std::unique_ptr<Node> MakeLoss(const Params& p, BuildContext& ctx);

}  // namespace lf::mdn
