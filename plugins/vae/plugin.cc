// The vae plugin: World Models' vision model V (Ha & Schmidhuber 2018), a convolutional VAE for
// 64x64x3 frames, its training loss, and its encoder alone for graphs that need latents only.
#include "encode.h"
#include "latentflow/plugin.h"
#include "loss.h"
#include "model.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf_vae::ModelSchema(), lf_vae::MakeModel);
  r.add(lf_vae::LossSchema(), lf_vae::MakeLoss);
  r.add(lf_vae::EncodeSchema(), lf_vae::MakeEncode);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
