// vae.model: the convolutional VAE of World Models (V), for 64x64x3 frames.
//
// Named Inputs:
//   image   f32 [..., 64, 64, 3]   channels-last frames with pixels in [0, 1] (World Models feeds
//                                  pixels / 255, not centred)
// Named Outputs:
//   mean    f32 [..., z]           mu of q(z|x)
//   logvar  f32 [..., z]           log sigma^2 of q(z|x)
//   z       f32 [..., z]           mean + exp(logvar / 2) * eps, eps ~ N(0, I) (reparameterized, so
//                                  gradients reach the encoder); the mean itself when sample=false
//   recon   f32 [..., 64, 64, 3]   sigmoid image decoded from `z`, pixels in (0, 1)
// Parameters:
//   z       int >= 1, default 32   latent size
//   depth   int >= 1, default 32   channels of the first encoder conv (then 2x, 4x, 8x); the decoder
//                                  mirrors it (32*depth, then 4x, 2x, 1x, 3)
//   sample  bool, default true     false: z is the mean (deterministic encoding, e.g. for M and C)
// Any leading dims ([B] or [B, T]) are folded into one batch and restored on the outputs.
//
// Architecture (depth 32):
//   encoder: conv 3->32 k4 s2, ReLU; 32->64 k4 s2, ReLU; 64->128 k4 s2, ReLU; 128->256 k4 s2, ReLU
//            (64 -> 31 -> 14 -> 6 -> 2), flattened to 2*2*256 = 1024;
//   heads:   dense 1024 -> z (mean), dense 1024 -> z (logvar), no activation;
//   decoder: dense z -> 1024 (no activation), viewed as [1024, 1, 1]; transposed convs s2 with
//            kernels 5, 5, 6, 6 and channels 128, 64, 32, 3, ReLU after the first three and a sigmoid
//            after the last (1 -> 5 -> 13 -> 30 -> 64).
//
// Encoding: a graph that only needs latents (for the MDN-RNN, the controller's input) uses
// vae.encode, which runs this block's encoder alone (no decoder pass); see encode.h.
//
// Usage in a graph file (training, and encoding through the same block):
//   "blocks": {
//     "vae":      {"type": "vae.model", "z": 32, "depth": 32},
//     "vae_loss": {"type": "vae.loss", "z": 32, "kl_tolerance": 0.5},
//     "adam":     {"type": "optim.adam", "blocks": ["vae"], "lr": 0.0001}
//   },
//   "flows": {
//     "train_vae": {
//       "inputs": {"frames": {"shape": ["B", 64, 64, 3]}},
//       "nodes": {
//         "v":    {"block": "vae", "inputs": {"image": "$frames"}},
//         "loss": {"block": "vae_loss", "inputs": {"image": "$frames", "recon": "v.recon",
//                                                  "mean": "v.mean", "logvar": "v.logvar"}}
//       }, ...
//     },
//     "encode": {
//       "inputs": {"frames": {"shape": ["B", "T", 64, 64, 3]}},
//       "nodes": {"v": {"block": "vae", "inputs": {"image": "$frames"}}},
//       "outputs": {"mu": "v.mean", "logvar": "v.logvar"}
//     }
//   }
//
// Faithfulness (reference: WorldModelsExperiments carracing/vae/vae.py and the paper's appendix):
// - Layers, kernels, strides, channels, activations and the sigmoid output are as in the reference;
//   sigma = exp(logvar / 2) as there.
// - The flatten before the heads is in (row, column, channel) order like TensorFlow's NHWC reshape.
// - Initialization is LibTorch's default (kaiming-uniform), not TensorFlow's glorot-uniform kernels
//   with zero biases.
// - kl_tolerance (0.5 in the reference) is a parameter of vae.loss, not of this node: the model does
//   not use it.
// - The layer construction duplicates the shapes of nn.conv_encoder / nn.conv_decoder (with
//   out_activation sigmoid) in a few lines: plugins cannot link each other, and the VAE needs its
//   mean/logvar heads and the sample between encoder and decoder inside one module.
// - Stateful: eps comes from the node's own CPU generator, seeded from the block's seed.
#pragma once

#include <memory>
#include <utility>

#include <ATen/core/Tensor.h>

#include "latentflow/sdk.h"

namespace lf_vae {

lf::NodeSchema ModelSchema();
// Whether `node` is a vae.model node.
bool IsModel(const lf::Node& node);
// The encoder half of a vae.model node: (mean, logvar) [N, z] of frames [..., 64, 64, 3] folded to N.
// Throws std::invalid_argument when `model` is not a vae.model node.
std::pair<at::Tensor, at::Tensor> Encode(lf::Node& model, const at::Tensor& frames);
std::unique_ptr<lf::Node> MakeModel(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_vae
