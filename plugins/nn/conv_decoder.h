// nn.conv_decoder: the 64x64 image decoder of World Models, PlaNet and Dreamer.
//
// Named Inputs:
//   x  f32 [..., in_dim]      the features to decode: the RSSM's deter+stoch, or a VAE's z
// Named Outputs:
//   y  f32 [..., 64, 64, 3]   channels-last image; the mean of the image likelihood
// (x -> y as nn.mlp, so that a graph swaps a state decoder for this one by the block alone.)
// Parameters:
//   in_dim          int >= 1, required       input width
//   depth           int >= 1, default 32     channels of the last hidden layer
//   activation      relu|elu|silu, default relu   between the transposed convs
//   out_activation  none|sigmoid, default none   on the image
//   style           dreamer|dreamerv3, default dreamer
//
// style dreamer: a linear map to 32 * depth, viewed as a 1x1 image, then four transposed convs,
// stride 2, no padding, kernels 5, 5, 6, 6, channels depth x (4, 2, 1) then 3: 1 -> 5 -> 13 -> 30 ->
// 64. style dreamerv3: a linear map to a 4x4 image of 8 * depth channels, then four transposed convs,
// kernel 4, stride 2, padding 1, channels depth x (4, 2, 1) then 3: 4 -> 8 -> 16 -> 32 -> 64, the
// first three without bias and followed by a LayerNorm over the channels (eps 1e-3). No activation
// after the linear map or (unless out_activation) after the last conv.
//
// Usage in a graph file:
//   "blocks": { "decoder": { "type": "nn.conv_decoder", "in_dim": 230, "depth": 32 } }
//
// Faithfulness: the defaults are PlaNet's and Dreamer's decoder, whose output is the mean of a
// unit-variance Gaussian over pixels; World Models' VAE decoder is the same with out_activation
// sigmoid (pixels in [0, 1]); DreamerV2 uses depth 48 with ELU. DreamerV3 (2023 code, nets.py
// ImageDecoderResnet with cnn_blocks 0, resize 'stride', minres 4, dmc depth 32, silu, layer norm)
// adds 0.5 to its output and regresses pixels / 255: the same as this output against pixels / 255 -
// 0.5, up to the 255 / 256 of nn.preprocess_image.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema ConvDecoderSchema();
std::unique_ptr<lf::Node> MakeConvDecoder(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
