// nn.detach: stop-gradient. The same values, cut from the autograd graph, so that a loss
// downstream trains nothing upstream: the model features Dreamer's actor sees while imagining,
// World Models' V held fixed while M trains on its latents.
//
// Named Inputs:
//   x  any dtype [...]
// Named Outputs:
//   y  x's dtype [...]   x.detach(): shares x's storage, requires no grad
//
// Usage in a graph file (Dreamer's actor input in an imagination step):
//   "feat_sg": {"type": "nn.detach", "inputs": {"x": "features.features"}}
//
// Faithfulness: tf.stop_gradient as danijar/dreamer applies it to the actor's input in
// _imagine_ahead; the reference code of World Models trains M on latents precomputed by V, which
// detaching V's output reproduces. Same as torch's Tensor.detach(); no deviation.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema DetachSchema();
std::unique_ptr<lf::Node> MakeDetach(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
