// What the sampling planners (planners.cem, planners.mppi) share: the model flow they roll out for
// all candidates at once, its wiring to the planner's state inputs, and the objective it gives.
//
// Model flow contract (checked when the planner is built and at every call; errors name the flow):
//   - an input named `actions` receives the candidates [E*C, horizon, action_size] (each env's C
//     candidates contiguous);
//   - its other inputs, in the flow's (name) order, receive state0, state1, ... each [E, D]
//     repeated C times along dim 0 (repeat_interleave), so row e*C + j is env e's candidate j;
//   - its output named `reward` (or its only output) is [E*C] or [E*C, T, ...]: dim 1 is time
//     (weighted by discount^t) and all later dims are summed;
//   - an optional output named `terminal` [E*C] or [E*C, 1] is the value of the state the
//     candidate ends in (TD-MPC's Q), added with weight discount^T.
// The objective of a candidate is R = sum_t discount^t reward_t (+ discount^T terminal).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "latentflow/node.h"

namespace lf::planners {

// A planner's inputs state0..state3 (kMaxStates): the model flow's inputs besides `actions`.
constexpr size_t kMaxStates = 4;

class ModelFlow {
 public:
  // `planner` names the node type in messages ("planners.cem").
  ModelFlow(std::string planner, const std::string& flow_name, BuildContext& ctx);

  // The state inputs the planner got (inputs first_state .. first_state + kMaxStates - 1), each
  // checked [E, D] and repeated `copies` times along dim 0. E is taken from the first.
  std::vector<at::Tensor> repeated_states(const CallContext& ctx, size_t first_state, int64_t copies) const;

  // The objective R [n] of candidates `actions` [n, T, A] given the repeated states.
  at::Tensor objective(const std::vector<at::Tensor>& states, const at::Tensor& actions, double discount);

  const std::vector<std::string>& state_names() const { return state_names_; }
  [[noreturn]] void fail(const std::string& what) const;
  // At build time: the planner's `model` param names an unfit flow.
  [[noreturn]] void refuse(const std::string& what) const;

 private:
  std::string planner_, name_;
  std::shared_ptr<FlowHandle> flow_;
  size_t actions_index_;              // the flow's input index of `actions`
  std::vector<size_t> state_index_;   // the flow's input index of state0, state1, ...
  std::vector<std::string> state_names_;
  size_t reward_index_, terminal_index_;  // terminal_index_ == outputs.size(): none
  at::Tensor weights_;                // discount^t over the reward's time axis, cached
  double weights_discount_ = -1;
};

// "a, b, c", or "none".
std::string join_names(const std::vector<std::string>& names);

}  // namespace lf::planners
