// nn.preprocess_image: PlaNet's image preprocessing, u8 pixels to floats with the colour depth
// reduced to `bits` and uniform dequantization noise, centred by default (offset 0: in [0, 1)).
//
//   x = floor(pixel / 2^(8 - bits)) / 2^bits  [+ U(0, 1 / 2^bits) when noise]  + offset
//
// Named Inputs:
//   image  u8 [..., H, W, 3]    pixels (an environment's frame, a replay batch [B, T, H, W, 3])
// Named Outputs:
//   image  f32 [..., H, W, 3]   channels-last, as nn.conv_encoder takes it; in [offset, offset + 1)
// Parameters:
//   bits    int in [1, 8], default 5         colour depth kept per channel
//   noise   bool, default true               add the dequantization noise (false: the bin's lower edge)
//   offset  float in [-1, 1], default -0.5   added last: -0.5 centres the pixels (PlaNet, Dreamer),
//                                            0 keeps them in [0, 1) (World Models' VAE, whose decoder
//                                            ends in a sigmoid)
// Stateful: each call draws a key from the node's own CPU generator (seeded from the block's seed,
// saved with checkpoints) and the noise of element i is a counter-based hash (SplitMix64) of key and
// i, so that the batch is filled in parallel. Not differentiable (the input is an integer image).
//
// Usage in a graph file:
//   "blocks": { "pre": { "type": "nn.preprocess_image", "bits": 5 } }
//   "x": {"block": "pre", "inputs": {"image": "batch.obs"}}
//
// Faithfulness: planet/tools/preprocess.py `preprocess`: float image, floor(image / 2^(8 - bits))
// when bits < 8 (a no-op at 8), divided by 2^bits, plus uniform noise in [0, 1 / 2^bits), minus 0.5;
// image_bits defaults to 5 in planet/scripts/configs.py. The reference draws the noise with
// tf.random_uniform in f32; ours is uniform on the finest grid f32 has across [offset, offset + 1)
// (2^-25 for offset -0.5, 2^-24 for offset 0), which keeps every output exact and strictly inside
// its bin when offset is a multiple of that grid (as -0.5, 0 and -1 are; other offsets round each
// output to f32). The reference always adds the noise; noise = false is ours, for evaluation and
// exact tests. Dreamer instead uses pixel / 255 - 0.5, and World Models' VAE pixel / 255 in [0, 1];
// bits 8, noise false and offset 0 give pixel / 256, which differs from the latter by at most 0.4%.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema PreprocessImageSchema();
std::unique_ptr<lf::Node> MakePreprocessImage(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
