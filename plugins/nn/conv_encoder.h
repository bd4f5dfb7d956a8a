// nn.conv_encoder: the 64x64 image encoder of World Models, PlaNet and Dreamer.
//
// Named Inputs:
//   x  f32 [..., 64, 64, 3]   channels-last image, already preprocessed (e.g. pixels / 255 - 0.5)
// Named Outputs:
//   y  f32 [..., E]           the embedding, E = 32 * depth (1024 at the default depth 32)
// (x -> y as nn.mlp, so that a graph swaps a state encoder for this one by the block alone.)
// Parameters:
//   depth       int >= 1, default 32      channels of the first layer; later layers use 2x, 4x, 8x
//   activation  relu|elu|silu, default relu   after every conv
//   style       dreamer|dreamerv3, default dreamer
//
// Four convs, kernel 4, stride 2, channels depth x (1, 2, 4, 8). style dreamer: no padding, 64 -> 31
// -> 14 -> 6 -> 2, flattened to 2 * 2 * 8 * depth. style dreamerv3: padding 1 ('same'), 64 -> 32 ->
// 16 -> 8 -> 4, each conv without bias and followed by a LayerNorm over the channels (eps 1e-3),
// flattened to 4 * 4 * 8 * depth. Any leading dims ([B] or [B, T]) are folded into one batch.
//
// Usage in a graph file:
//   "blocks": { "encoder": { "type": "nn.conv_encoder", "depth": 32 } }
//
// Faithfulness: the defaults are the encoder of World Models' VAE, PlaNet and Dreamer (ReLU, depth 32);
// DreamerV2 is depth 48 with ELU; DreamerV3 (2023 code, nets.py ImageEncoderResnet with cnn_blocks 0,
// resize 'stride', minres 4; dmc: depth 32, norm 'layer', silu) is style dreamerv3 with silu, reading
// pixels / 255 - 0.5 as here. E is a free shape symbol because the shape language has sums only,
// not products. The flatten runs over (channel, row, column), where the TensorFlow references flatten
// (row, column, channel): a fixed permutation of the embedding, invisible to anything that learns on it.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema ConvEncoderSchema();
std::unique_ptr<lf::Node> MakeConvEncoder(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
