// optim.adam: one Adam update of the weights of the named blocks, on the gradient of one loss.
//
//   run: clear the grads of its params; loss.backward(); grad_norm = ||g||_2 over its params;
//        if clip > 0, rescale g to norm <= clip; Adam step.
//
// Named Inputs:
//   loss  []  0-dim loss, with a graph reaching the blocks' weights
// Named Outputs:
//   grad_norm  []  total L2 norm of the gradient before clipping (detached, f32)
// Parameters:
//   blocks        block list, required   blocks whose weights this optimizer updates
//   lr            float > 0, default 1e-3
//   eps           float > 0, default 1e-8
//   clip          float >= 0, default 0   max global gradient norm; 0 = off
//   weight_decay  float >= 0, default 0   torch Adam's L2 term (added to the gradient)
// Stateful: Adam's moments and step count (saved in checkpoints).
//
// Usage in a graph file (PlaNet's model optimizer):
//   "blocks": { "model_opt": { "type": "optim.adam", "lr": 1e-3, "eps": 1e-4, "clip": 1000,
//               "blocks": ["encoder", "rssm_cell", "prior", "posterior", "decoder", "reward"] } }
//
// Faithfulness: PlaNet (scripts/configs.py) uses Adam with lr 1e-3, epsilon 1e-4 and global-norm
// clipping at 1000, with a linear learning-rate warm-up over 10k steps that this node does not
// do. Betas are torch's (0.9, 0.999), the same as TensorFlow's. Grads are cleared (set to
// undefined) before backward rather than zeroed, so a param the loss does not reach is skipped
// by the step instead of decaying its moments; a backward through a shared graph may also fill
// the grads of other optimizers' params, which is why each optimizer clears its own first.
// The graph is freed by backward: two optimizers cannot back-propagate through one shared graph.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::optim {

NodeSchema AdamSchema();
std::unique_ptr<Node> MakeAdam(const Params& p, BuildContext& ctx);

}  // namespace lf::optim
