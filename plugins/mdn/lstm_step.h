// mdn.lstm_step: one step of the World Models MDN-RNN (the memory model M): an LSTM on
// [z_t, a_t] and a linear mixture-density head on its output that predicts, for every latent
// dimension independently, a K-component 1-D Gaussian mixture for z_{t+1}, plus a reward and a
// done logit.
//
//   (h_{t+1}, c_{t+1}) = LSTM([z_t, a_t], (h_t, c_t))
//   y = W h_{t+1} + b,  y = [reward, done_logit, (logit_pi, mu, log_sigma) per z dimension]
//   p(z_{t+1,i}) = sum_k pi_{ik} N(mu_{ik}, exp(log_sigma_{ik})^2),  pi_i = softmax(logit_pi_i)
//
// Named Inputs:
//   z  [B, z]       current latent z_t (the VAE's sample or mean for frame t)
//   a  [B, action_size]  action a_t taken at t
//   h  [B, hidden]  LSTM hidden state (zeros at the start of a sequence)
//   c  [B, hidden]  LSTM cell state (zeros at the start of a sequence)
// Named Outputs:
//   h_next, c_next  [B, hidden]          the LSTM state after the step (carry both in a scan)
//   logit_pi        [B, z, mixtures]     log mixture weights for z_{t+1}, already log-softmax
//                                        normalized (logsumexp over K is 0); mdn.loss and
//                                        mdn.sample also accept unnormalized logits
//   mu              [B, z, mixtures]     component means
//   log_sigma       [B, z, mixtures]     component log standard deviations (unbounded)
//   reward          [B]                  predicted reward r_{t+1} (regression, for mdn.loss' MSE)
//   done_logit      [B]                  logit of done_{t+1} (for mdn.loss' BCE)
// Parameters:
//   z (int, 32)          latent size (CarRacing 32; Doom 64)
//   action_size (int, required)
//   hidden (int, 256)    LSTM units (CarRacing 256; Doom 512)
//   mixtures (int, 5)    Gaussians per latent dimension
// Learns: LSTMCell(z + action_size, hidden) ("lstm.*") and Linear(hidden, 2 + 3 * z * mixtures)
// ("head.*").
//
// Usage in a graph file (a scan over time carries h and c, as the RSSM observe step carries h, s):
//   "blocks": { "mdn": { "type": "mdn.lstm_step", "z": 32, "action_size": 3, "hidden": 256, "mixtures": 5 } },
//   "flows": { "m_step": {
//       "inputs": { "z": {"shape": ["B", 32]}, "a": {"shape": ["B", 3]},
//                   "h": {"shape": ["B", 256]}, "c": {"shape": ["B", 256]} },
//       "nodes": { "cell": {"block": "mdn", "inputs": {"z": "$z", "a": "$a", "h": "$h", "c": "$c"}} },
//       "outputs": { "h": "cell.h_next", "c": "cell.c_next", "logit_pi": "cell.logit_pi",
//                    "mu": "cell.mu", "log_sigma": "cell.log_sigma",
//                    "reward": "cell.reward", "done_logit": "cell.done_logit" } } }
//   ... "unroll": {"scan": "m_step", "over": ["z", "a"], "carry": {"h": "h", "c": "c"},
//                  "inputs": {"z": "batch.z", "a": "batch.action", "h": "init.h", "c": "init.c"}}
//   then mdn.loss on unroll.logit_pi/mu/log_sigma [B, T, z, K] against the latents shifted by one.
//
// Faithfulness (paper sec. 2.2 and appendix; reference code hardmaru/WorldModelsExperiments
// carracing/rnn/rnn.py and doomrnn/doomrnn.py):
//   - One LSTM layer, input [z_t, a_t]; 256 units and 5 mixtures for CarRacing (rnn.py
//     rnn_size=256, num_mixture=5, input 32+3); Doom uses 512 units and z=64.
//   - One linear output layer on the LSTM output gives, per latent dimension, K log-weights,
//     K means and K log-stds; the log-weights are normalized by subtracting their logsumexp, as the
//     reference does. Each z dimension has its own independent mixture (a factored model, not a
//     mixture over the whole vector), as in the reference.
//   - Done: the Doom model predicts a done ("restart") logit from the same output layer; the
//     CarRacing code predicts only z. Reward: neither reference model predicts reward (the paper
//     leaves reward out of M for both tasks); the reward head is our extension so that dreams can
//     return rewards. Both extra heads are always computed; leave them unconnected in mdn.loss
//     for the CarRacing setup.
//   - Deviations: the reference's Doom input also carries the previous restart flag and zeroes the
//     LSTM state where it is set; here resetting state at episode starts is the runtime's job and
//     the flag is not an input. The reference uses TF's LayerNormBasicLSTMCell with layer norm off
//     (a plain LSTM); torch's LSTMCell is the same function class with separate input and
//     recurrent biases. Init: glorot-uniform weights, zero biases and forget-gate bias 1.0 (TF's
//     forget_bias) for the LSTM; glorot-uniform weight and zero bias for the head.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::mdn {

NodeSchema LstmStepSchema();
std::unique_ptr<Node> MakeLstmStep(const Params& p, BuildContext& ctx);

}  // namespace lf::mdn
