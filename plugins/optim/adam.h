// optim.adam: one Adam update of the weights of the named blocks, on the gradient of one loss.
//
//   run: clear the grads of its params; back-propagate the loss into its params only;
//        grad_norm = ||g||_2 over its params; if clip > 0, rescale g to norm <= clip;
//        if shrink > 0, w *= 1 - shrink; Adam step.
//
// Named Inputs:
//   loss  []  0-dim loss, with a graph reaching the blocks' weights
// Named Outputs:
//   grad_norm  []  total L2 norm of the gradient before clipping (detached, f32)
// Parameters:
//   blocks        block list, required, not empty   blocks whose weights this optimizer updates
//   lr            float > 0, default 1e-3
//   eps           float > 0, default 1e-8
//   clip          float >= 0, default 0   max global gradient norm; 0 = off
//   weight_decay  float >= 0, default 0   torch Adam's L2 term (added to the gradient)
//   shrink        float >= 0, default 0   before each step every weight is multiplied by
//                                         (1 - shrink), after clipping and not scaled by lr: the
//                                         weight decay of danijar/dreamerv2's Optimizer (wd 1e-6)
//   lr_scale      float list, default []  one per block: that block's lr is lr times it (TD-MPC2's
//                                         encoder at 0.3); clipping stays over all blocks together
// Stateful: Adam's moments and step count (saved in checkpoints).
//
// Usage in a graph file (PlaNet's model optimizer):
//   "blocks": { "model_opt": { "type": "optim.adam", "lr": 1e-3, "eps": 1e-4, "clip": 1000,
//               "blocks": ["encoder", "rssm_cell", "prior", "posterior", "decoder", "reward"] } }
//
// Faithfulness: PlaNet (scripts/configs.py) uses Adam with lr 1e-3, epsilon 1e-4 and global-norm
// clipping at 1000, with a linear learning-rate warm-up over 10k steps that this node does not
// do. Betas are torch's (0.9, 0.999), the same as TensorFlow's. Like the reference optimizers,
// each of which differentiates its loss with respect to its own modules' variables only (Dreamer:
// Optimizer('actor', [self._actor], ...) applied to the actor's tape and loss), the backward
// computes the gradients of this optimizer's params only (Tensor::backward with `inputs`): an
// actor's loss flows through the world model's dynamics but computes no gradient for its weights
// and leaves every other block's .grad as it was. Grads are cleared (set to undefined) before
// backward rather than zeroed, so a param the loss does not reach keeps no grad and is skipped by
// the step instead of decaying its moments. Backward frees the saved tensors of the graph nodes
// it runs through: a second optimizer can back-propagate on the same graph only along nodes the
// first did not run (Dreamer's reference calls the value net twice, once for the actor's returns
// and once for the value loss).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::optim {

NodeSchema AdamSchema();
std::unique_ptr<Node> MakeAdam(const Params& p, BuildContext& ctx);

}  // namespace lf::optim
