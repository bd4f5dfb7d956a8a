// rl.linear_schedule: a value moving linearly from `start` to `end` over `duration` steps of a
// counter, then staying at `end` (TD-MPC's std_schedule and horizon_schedule).
//
//   value = (1 - m) * start + m * end,   m = clamp(step / duration, 0, 1)
//
// Named Inputs:
//   step  []  the counter (a program statement's "counters", e.g. {"step": "agent_steps"})
// Named Outputs:
//   value []
// Parameters:
//   start, end  floats, required
//   duration    float > 0, required   in the counter's units
//
// Usage in a graph file (TD-MPC's exploration std, fed to planners.mppi's min_std):
//   "std": {"type": "rl.linear_schedule", "start": 0.5, "end": 0.05, "duration": 25000,
//           "inputs": {"step": "$step"}}
//
// Faithfulness: nicklashansen/tdmpc `helper.linear_schedule("linear(init, final, duration)", step)`.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema LinearScheduleSchema();
std::unique_ptr<Node> MakeLinearSchedule(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
