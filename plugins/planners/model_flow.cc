#include "model_flow.h"

#include <stdexcept>

namespace lf::planners {

std::string join_names(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none" : s;
}

ModelFlow::ModelFlow(std::string planner, const std::string& flow_name, BuildContext& ctx)
    : planner_(std::move(planner)), name_(flow_name), flow_(ctx.flow(flow_name)) {
  const auto& ins = flow_->input_names();
  const auto& outs = flow_->output_names();
  actions_index_ = ins.size();
  for (size_t i = 0; i < ins.size(); ++i) {
    if (ins[i] == "actions") actions_index_ = i;
    else state_index_.push_back(i), state_names_.push_back(ins[i]);
  }
  if (actions_index_ == ins.size())
    refuse("has no input named 'actions' to receive the candidates [E*C, horizon, action_size] (its inputs: " +
         join_names(ins) + ")");
  if (state_index_.empty() || state_index_.size() > kMaxStates)
    refuse("must take 1 to " + std::to_string(kMaxStates) + " state inputs besides 'actions' (state0..state3), has " +
         std::to_string(state_index_.size()) + " (its inputs: " + join_names(ins) + ")");
  reward_index_ = terminal_index_ = outs.size();
  for (size_t i = 0; i < outs.size(); ++i) {
    if (outs[i] == "reward") reward_index_ = i;
    if (outs[i] == "terminal") terminal_index_ = i;
  }
  if (reward_index_ == outs.size() && outs.size() == 1) reward_index_ = 0;
  if (reward_index_ == outs.size())
    refuse("needs an output named 'reward' (or a single output) to rank the candidates (its outputs: " +
         join_names(outs) + ")");
}

void ModelFlow::fail(const std::string& what) const {
  throw std::invalid_argument(planner_ + ": model flow '" + name_ + "' " + what);
}

void ModelFlow::refuse(const std::string& what) const {
  throw ParamError("model", planner_ + ": model flow '" + name_ + "' " + what);
}

std::vector<at::Tensor> ModelFlow::repeated_states(const CallContext& ctx, size_t first_state, int64_t copies) const {
  std::vector<at::Tensor> states;
  const at::Tensor& state0 = ctx.in(first_state);
  const int64_t envs = state0.dim() > 0 ? state0.size(0) : 0;
  for (size_t k = 0; k < kMaxStates; ++k) {
    const bool given = ctx.has(first_state + k);
    if (given != (k < state_index_.size()))
      fail("takes " + std::to_string(state_index_.size()) + " state input(s) besides 'actions' (" +
           join_names(state_names_) + "), so connect exactly state0" +
           (state_index_.size() > 1 ? "..state" + std::to_string(state_index_.size() - 1) : std::string()));
    if (!given) continue;
    const at::Tensor& s = ctx.in(first_state + k);
    if (s.dim() == 0 || s.size(0) != envs)
      throw std::invalid_argument(planner_ + ": state" + std::to_string(k) + " must be [E, D] with E = " +
                                  std::to_string(envs) + " (from state0), got " + shape_text(s.sizes()));
    states.push_back(s.repeat_interleave(copies, 0));
  }
  return states;
}

at::Tensor ModelFlow::objective(const std::vector<at::Tensor>& states, const at::Tensor& actions, double discount) {
  std::vector<at::Tensor> inputs(flow_->input_names().size());
  for (size_t k = 0; k < states.size(); ++k) inputs[state_index_[k]] = states[k];
  inputs[actions_index_] = actions;
  const auto out = flow_->call(inputs);
  const int64_t n = actions.size(0);
  auto rows = [&](size_t index) {
    const at::Tensor& t = out.at(index);
    const std::string& name = flow_->output_names()[index];
    if (!t.defined() || t.dim() == 0 || t.size(0) != n)
      fail("output '" + name + "' must be [E*C, ...] with E*C = " + std::to_string(n) + ", got " +
           (t.defined() ? shape_text(t.sizes()) : "nothing"));
    return t;
  };
  const at::Tensor reward = rows(reward_index_);
  at::Tensor r;
  int64_t steps = 0;
  if (reward.dim() == 1) {
    r = reward;
  } else {
    const auto per_step = reward.reshape({n, reward.size(1), -1}).sum(-1);
    steps = per_step.size(1);
    if (discount == 1.0) {
      r = per_step.sum(1);
    } else {
      if (!weights_.defined() || weights_.size(0) != steps || weights_discount_ != discount) {
        weights_ = at::pow(discount, at::arange(steps, per_step.options()));
        weights_discount_ = discount;
      }
      r = per_step.matmul(weights_);
    }
  }
  if (terminal_index_ == flow_->output_names().size()) return r;
  if (steps == 0) fail("output 'terminal' needs 'reward' over time, [E*C, T, ...], to weight it by discount^T");
  const at::Tensor terminal = rows(terminal_index_);
  if (terminal.numel() != n) fail("output 'terminal' must be [E*C] or [E*C, 1], got " + shape_text(terminal.sizes()));
  return r + std::pow(discount, static_cast<double>(steps)) * terminal.reshape({n});
}

}  // namespace lf::planners
