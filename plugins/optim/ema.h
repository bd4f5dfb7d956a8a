// optim.ema: slow-moving target copies of blocks (target networks): each call moves every weight
// of the target blocks a fraction tau toward the same weight of the source blocks.
//
//   at build: target = source (the reference's deepcopy of the online networks)
//   run:      target <- target + tau * (source - target)      (torch's lerp_, without autograd)
//
// Named Inputs: none (order it after the optimizer step with "after")
// Named Outputs: none
// Parameters:
//   blocks   block list, required   the online blocks
//   targets  block list, required   their copies, one per block and of the same structure (the
//                                   same type and params: the weights pair up in module order)
//   tau      float in (0, 1], 0.01
//
// The targets' weights are ordinary block weights: checkpoints save them and a resume restores
// them after this node's build-time copy. Optimizers should not list the targets.
//
// Usage in a graph file (TD-MPC: the encoder and the Qs, every second update):
//   "ema": {"type": "optim.ema", "blocks": ["encoder", "q"], "targets": ["encoder_target", "q_target"], "tau": 0.01}
//   flow "update_targets": {"nodes": {"ema": {"block": "ema"}}}
//   program: {"every": 2, "counter": "updates", "do": [{"call": "update_targets"}]}
//
// Faithfulness: nicklashansen/tdmpc `helper.ema` (p_target.lerp_(p, tau) over all parameters of
// the model, every update_freq updates) and tdmpc2's soft update (the same with tau 0.01). TD-MPC
// keeps a target of the whole TOLD model but only reads its encoder and Qs; a graph names the
// blocks it reads. Buffers (none in these MLPs) are not averaged.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::optim {

NodeSchema EmaSchema();
std::unique_ptr<Node> MakeEma(const Params& p, BuildContext& ctx);

}  // namespace lf::optim
