// es.repeat_rows: repeats each row of x `repeats` times in a row (torch.repeat_interleave on dim
// 0), so that each CMA-ES candidate is evaluated on R rollouts at once: candidates [P, dim] ->
// params [P*R, dim], rows k*R .. k*R+R-1 being candidate k. es.rollout_fitness undoes the layout.
//
// Named Inputs:
//   x  [P, ...]    any dtype
// Named Outputs:
//   y  [P*R, ...]  y[k*R + r] = x[k] for r < R (a copy; gradients flow through)
// Parameters:
//   repeats  int >= 1, required   R
//
// Usage in a graph file (population 64, 16 rollouts each: 1024 controllers):
//   "per_rollout": { "type": "es.repeat_rows", "repeats": 16, "inputs": { "x": "es.candidates" } }
//
// Faithfulness: World Models scores each candidate by its average return over 16 rollouts
// (estool's num_episode); the reference runs them one after another in worker processes, here
// they are rows of one batch of environments. Pure data movement: nothing to deviate from.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::es {

NodeSchema RepeatRowsSchema();
std::unique_ptr<Node> MakeRepeatRows(const Params& p, BuildContext& ctx);

}  // namespace lf::es
