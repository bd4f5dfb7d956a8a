// losses.mse: squared error, summed over each event and averaged over the leading dims.
//
//   loss = mean_{leading} sum_{last event_dims} (pred - target)^2
//   with symlog: (pred - symlog(target))^2, symlog(x) = sign(x) ln(1 + |x|): the prediction lives
//   in symlog space (DreamerV3's vector decoder; its reading is symexp(pred))
//
// Named Inputs:
//   pred    [...]  prediction
//   target  [...]  same shape as pred
// Named Outputs:
//   loss  []  0-dim
// Parameters:
//   event_dims  int >= 0, default 1   trailing dims summed per event (3 for an image [C,H,W])
//   symlog      bool, default false   compare with symlog(target)
//
// Usage in a graph file (inline in a flow):
//   "recon": { "type": "losses.mse", "event_dims": 3, "inputs": { "pred": "decoder.y", "target": "$image" } }
//
// Faithfulness: no 1/2 factor; with unit variance, losses.gaussian_nll is the same up to 1/2 and
// a constant, which is what PlaNet and Dreamer actually optimize for images and rewards. symlog
// follows DreamerV3 (Hafner et al. 2023, "symlog predictions": the decoder's squared error against
// symlog-squashed vector observations, summed over the vector).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::losses {

NodeSchema MseSchema();
std::unique_ptr<Node> MakeMse(const Params& p, BuildContext& ctx);

}  // namespace lf::losses
