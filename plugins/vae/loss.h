// vae.loss: the World Models VAE training loss, reconstruction error plus KL with a tolerance floor.
//
// Named Inputs:
//   image   f32 [..., 64, 64, 3]   the target frames, pixels in [0, 1]
//   recon   f32 [..., 64, 64, 3]   vae.model's reconstruction
//   mean    f32 [..., z]           vae.model's mean
//   logvar  f32 [..., z]           vae.model's logvar
// Named Outputs:
//   loss        f32 []   mean over frames of  SSE(image, recon) + max(KL, kl_tolerance * z)
//   recon_loss  f32 []   mean over frames of the sum of squared errors over 64*64*3 values (detached)
//   kl          f32 []   mean over frames of KL(q(z|x) || N(0, I)) before the floor (detached)
// Parameters:
//   z             int >= 1, default 32        latent size (the floor is kl_tolerance * z nats)
//   kl_tolerance  float >= 0, default 0.5     free nats per latent dim; 0 disables the floor
//
// Per frame, KL = -0.5 * sum_j (1 + logvar_j - mean_j^2 - exp(logvar_j)), the closed form for a
// diagonal Gaussian against the unit Gaussian prior. The floor is applied per frame before averaging,
// so a frame whose KL is below kl_tolerance * z contributes a constant and passes no gradient to its
// mean and logvar. Every leading dim ([B] or [B, T]) counts as frames.
//
// Usage in a graph file:
//   "blocks": {"vae_loss": {"type": "vae.loss", "z": 32, "kl_tolerance": 0.5}}
//   in a flow, after a vae.model node "v":
//   "loss": {"block": "vae_loss", "inputs": {"image": "$frames", "recon": "v.recon",
//                                            "mean": "v.mean", "logvar": "v.logvar"}}
//
// Faithfulness (reference: WorldModelsExperiments carracing/vae/vae.py): the reconstruction term is
// the sum of squared errors over pixels and channels averaged over the batch, the KL is floored per
// frame at kl_tolerance * z_size before the batch mean, and the total is their unweighted sum, all as
// there. The logged `kl` is before the floor (the reference only exposes the floored value).
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_vae {

lf::NodeSchema LossSchema();
std::unique_ptr<lf::Node> MakeLoss(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_vae
