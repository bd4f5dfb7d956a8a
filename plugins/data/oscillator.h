// data.oscillator: a synthetic source of action-conditioned sequences, so that world-model graphs can
// be run and tested before any environment exists.
//
// Named Inputs: none.
// Named Outputs:
//   obs     f32 [batch, length, obs]      noisy observations of the latent state
//   action  f32 [batch, length, action_size]   action[:, t] is the action applied just before obs[:, t]
//                                         (zero at t = 0), as a recurrent model consumes it
// Parameters:
//   batch    int >= 1, default 16     sequences per call
//   length   int >= 1, default 50     steps per sequence
//   obs      int >= 1, default 4      observation width
//   action_size int >= 1, default 1   action width
//   damping  float in [0, 1], default 0.05   per-step shrinkage of every rotation
//   noise    float >= 0, default 0.01   std of the process noise and of the observation noise
//
// Dynamics: the state s holds ceil(obs / 2) planes, each a damped rotation with its own angular
// frequency (stratified in [0.1, 0.6] rad/step), driven by actions uniform in [-1, 1] through a fixed
// random input matrix:
//   s_0 ~ N(0, I),  s_t = (1 - damping) R s_{t-1} + G a_t + noise * w_t,  obs_t = s_t[:obs] + noise * v_t
// The frequencies and G are drawn once from the block's seed; every call draws fresh initial states,
// actions and noise from the node's generator, so equal seeds give equal sequences.
//
// Usage in a graph file:
//   "blocks": { "source": { "type": "data.oscillator", "batch": 16, "length": 50 } }
//
// Faithfulness: no paper; a test fixture. It is linear-Gaussian so that a one-step linear fit explains
// nearly all of the variance: anything that fails to learn it is broken.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_data {

lf::NodeSchema OscillatorSchema();
std::unique_ptr<lf::Node> MakeOscillator(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_data
