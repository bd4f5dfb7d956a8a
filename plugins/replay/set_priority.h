// replay.set_priority: sets the priorities of windows a prioritized replay.sample drew, from the
// losses of the update that trained on them (TD-MPC's PER: the TD errors).
//
//   priority(window index[b]) = priority[b] + 1e-6
//
// Named Inputs:
//   index     [B] i64   the sampler's `index` output of the batch
//   priority  [B] f32   new priorities, finite and >= 0 (detached; e.g. |Q - TD target| summed
//                       over the horizon)
// Named Outputs: none
// Parameters:
//   sampler  block, required   the replay.sample block (with priority_alpha > 0) that drew `index`
//
// Windows of episodes evicted since the draw are skipped. The priorities live in the sampler
// (saved in its checkpoint state).
//
// Usage in a graph file:
//   "sample": {"type": "replay.sample", "buffer": "replay", "batch": 512, "length": 6, "priority_alpha": 0.6}
//   "set_priority": {"type": "replay.set_priority", "sampler": "sample"}
//   train flow: "reprioritize": {"block": "set_priority", "inputs": {"index": "batch.index", "priority": "td.error"}}
//
// Faithfulness: nicklashansen/tdmpc `ReplayBuffer.update_priorities` (priority + 1e-6, eps 1e-6).
#pragma once

#include <memory>

#include <ATen/core/Tensor.h>

#include "latentflow/node.h"

namespace lf::replay {

// A sampler that keeps priorities (replay.sample).
class Prioritized {
 public:
  virtual ~Prioritized() = default;
  virtual void set_priorities(const at::Tensor& index, const at::Tensor& priority) = 0;
};

NodeSchema SetPrioritySchema();
std::unique_ptr<Node> MakeSetPriority(const Params& p, BuildContext& ctx);

}  // namespace lf::replay
