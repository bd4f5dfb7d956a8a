// Flow inputs fed from the program's counters: a `call` or `rollout` statement with
// "counters": {"step": "agent_steps"} gives its flow's input `step` the counter's current value
// (0 before the counter starts) as a 0-dim f32 tensor, at every call, so that schedules inside a
// graph (TD-MPC's exploration std and horizon) can read the training step. f32 holds counters
// exactly up to 2^24.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "graph.h"

namespace lf {

class CounterInputs {
 public:
  // `statement` may have no "counters"; validation has checked the names.
  CounterInputs(const Flow& flow, const nlohmann::json& statement);

  // Points the bound entries of `in` (the flow's inputs, in order) at the counters' current values.
  void bind(std::vector<const at::Tensor*>& in, const std::map<std::string, int64_t>& counters);

 private:
  std::vector<std::pair<size_t, std::string>> inputs_;  // flow input index, counter
  std::vector<at::Tensor> values_;
};

}  // namespace lf
