// vae.encode: the encoder half of a vae.model block, for graphs that need latents only (the
// MDN-RNN's training windows, the controller's input at every step): no decoder pass, which is
// most of the model's cost.
//
// Named Inputs:
//   image   f32 [..., 64, 64, 3]   channels-last frames, pixels in [0, 1]
// Named Outputs:
//   mean    f32 [..., z]           mu of q(z|x)
//   logvar  f32 [..., z]           log sigma^2 of q(z|x)
//   z       f32 [..., z]           mean + exp(logvar / 2) * eps; the mean when sample = false
// Parameters:
//   vae     block (required)       the vae.model block whose encoder this is (its weights, trained there)
//   sample  bool, default true     false: z is the mean
// Stateful: eps comes from this node's own generator (seeded from its seed, saved in checkpoints).
// Gradients flow into the vae block's encoder like a call of the block itself; detach (nn.detach)
// where V is frozen.
//
// Usage in a graph file (inline, V's latents for M's training windows):
//   "v": { "type": "vae.encode", "vae": "vae", "inputs": { "image": "image.image" } }
//
// Faithfulness: World Models' M is trained on z = mu + sigma * eps drawn from the stored encodings
// of the frames (carracing/series.py keeps mu and logvar; rnn training samples z per batch); C's
// input is z encoded the same way at every step (model.py encode_obs).
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_vae {

lf::NodeSchema EncodeSchema();
std::unique_ptr<lf::Node> MakeEncode(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_vae
