#include "cem.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "generator_node.h"

namespace lf::planners {
namespace {

constexpr size_t kMaxStates = 4;

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none" : s;
}

class Cem final : public GeneratorNode {
  enum In { kState0 };  // state0..state3 are inputs 0..3
  enum Out { kAction, kValue };
 public:
  Cem(const Params& p, BuildContext& ctx)
      : GeneratorNode(ctx.seed()),
        model_name_(p.s("model")),
        model_(ctx.flow(model_name_)),
        action_size_(p.i("action_size")),
        horizon_(p.i("horizon")),
        candidates_(p.i("candidates")),
        elites_(p.i("elites")),
        iterations_(p.i("iterations")),
        min_action_(p.f("min_action")),
        max_action_(p.f("max_action")),
        discount_(p.f("discount")) {
    if (elites_ > candidates_)
      throw std::invalid_argument("planners.cem: elites (" + std::to_string(elites_) + ") must not exceed candidates (" +
                                  std::to_string(candidates_) + ")");
    if (!(min_action_ < max_action_))
      throw std::invalid_argument("planners.cem: min_action must be below max_action");
    const auto& ins = model_->input_names();
    const auto& outs = model_->output_names();
    actions_index_ = ins.size();
    for (size_t i = 0; i < ins.size(); ++i) {
      if (ins[i] == "actions") actions_index_ = i;
      else state_index_.push_back(i);
    }
    if (actions_index_ == ins.size())
      fail("has no input named 'actions' to receive the candidates [E*C, horizon, action_size] (its inputs: " +
           join(ins) + ")");
    if (state_index_.empty() || state_index_.size() > kMaxStates)
      fail("must take 1 to " + std::to_string(kMaxStates) + " state inputs besides 'actions' (state0..state3), has " +
           std::to_string(state_index_.size()) + " (its inputs: " + join(ins) + ")");
    reward_index_ = outs.size();
    for (size_t i = 0; i < outs.size(); ++i)
      if (outs[i] == "reward") reward_index_ = i;
    if (reward_index_ == outs.size() && outs.size() == 1) reward_index_ = 0;
    if (reward_index_ == outs.size())
      fail("needs an output named 'reward' (or a single output) to rank the candidates (its outputs: " + join(outs) +
           ")");
  }

  void run(CallContext& ctx) override {
    at::NoGradGuard no_grad;
    const at::Tensor& state0 = ctx.in(kState0);
    const int64_t envs = state0.dim() > 0 ? state0.size(0) : 0;
    const int64_t n = envs * candidates_;
    // The model's inputs: each state repeated C times along dim 0 (env e's candidates at rows
    // e*C .. e*C + C-1); the candidates go in at actions_index_ every iteration.
    std::vector<at::Tensor> inputs(model_->input_names().size());
    for (size_t k = 0; k < kMaxStates; ++k) {
      const bool given = ctx.has(kState0 + k);
      if (given != (k < state_index_.size()))
        fail("takes " + std::to_string(state_index_.size()) + " state input(s) besides 'actions' (" +
             join(state_names()) + "), so connect exactly state0" +
             (state_index_.size() > 1 ? "..state" + std::to_string(state_index_.size() - 1) : std::string()));
      if (!given) continue;
      const at::Tensor& s = ctx.in(kState0 + k);
      if (s.dim() == 0 || s.size(0) != envs)
        throw std::invalid_argument("planners.cem: state" + std::to_string(k) + " must be [E, D] with E = " +
                                    std::to_string(envs) + " (from state0), got " + shape(s));
      inputs[state_index_[k]] = s.repeat_interleave(candidates_, 0);
    }

    const auto opts = state0.options().dtype(at::kFloat);
    at::Tensor mean = at::zeros({envs, horizon_, action_size_}, opts);
    at::Tensor std = at::ones({envs, horizon_, action_size_}, opts);
    at::Tensor weights;  // discount^t over the reward's time axis, built at the first iteration
    at::Tensor top;      // the objective of the current elites
    for (int64_t it = 0; it < iterations_; ++it) {
      auto eps = normal({envs, candidates_, horizon_, action_size_}, mean);
      auto actions = (mean.unsqueeze(1) + std.unsqueeze(1) * eps).clamp_(min_action_, max_action_);
      inputs[actions_index_] = actions.view({n, horizon_, action_size_});
      const auto out = model_->call(inputs);
      const at::Tensor objective = objective_of(out.at(reward_index_), n, weights).view({envs, candidates_});
      auto [values, index] = objective.topk(elites_, 1, /*largest=*/true, /*sorted=*/false);
      const auto elite = actions.gather(1, index.view({envs, elites_, 1, 1}).expand({envs, elites_, horizon_, action_size_}));
      mean = elite.mean(1);
      std = (elite.var(1, /*unbiased=*/false) + 1e-6).sqrt_();
      top = values;
    }
    ctx.set(kAction, mean.select(1, 0).contiguous());
    ctx.set(kValue, top.mean(1));
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument("planners.cem: model flow '" + model_name_ + "' " + what);
  }

  static std::string shape(const at::Tensor& t) {
    std::string s = "[";
    for (int64_t d = 0; d < t.dim(); ++d) s += (d ? ", " : "") + std::to_string(t.size(d));
    return s + "]";
  }

  std::vector<std::string> state_names() const {
    std::vector<std::string> names;
    for (size_t i : state_index_) names.push_back(model_->input_names()[i]);
    return names;
  }

  // R [n] from the model's reward: [n] as is, or [n, T, ...] summed with discount^t over time.
  at::Tensor objective_of(const at::Tensor& reward, int64_t n, at::Tensor& weights) const {
    const std::string& name = model_->output_names()[reward_index_];
    if (!reward.defined() || reward.dim() == 0 || reward.size(0) != n)
      fail("output '" + name + "' must be [E*C, ...] with E*C = " + std::to_string(n) + ", got " +
           (reward.defined() ? shape(reward) : "nothing"));
    if (reward.dim() == 1) return reward;
    const auto per_step = reward.reshape({n, reward.size(1), -1}).sum(-1);
    if (discount_ == 1.0) return per_step.sum(1);
    if (!weights.defined() || weights.size(0) != per_step.size(1))
      weights = at::pow(discount_, at::arange(per_step.size(1), per_step.options()));
    return per_step.matmul(weights);
  }

  std::string model_name_;
  std::shared_ptr<FlowHandle> model_;
  int64_t action_size_, horizon_, candidates_, elites_, iterations_;
  double min_action_, max_action_, discount_;
  size_t actions_index_;             // the model's input index of `actions`
  std::vector<size_t> state_index_;  // the model's input index of state0, state1, ...
  size_t reward_index_;
};

}  // namespace

NodeSchema CemSchema() {
  return SchemaBuilder("planners.cem")
      .category("planners")
      .doc("PlaNet's cross-entropy-method planner over a model flow: first action of the final mean")
      // [E, *], not [E, ...]: a node's "..." dims must agree across its inputs, and states differ.
      .input("state0", {"E", "*"}, "the model flow's first state input, one row per env")
      .optional_input("state1", {"E", "*"}, "its second state input")
      .optional_input("state2", {"E", "*"}, "its third state input")
      .optional_input("state3", {"E", "*"}, "its fourth state input")
      .output("action", {"E", "action_size"}, "first action of the final mean")
      .output("value", {"E"}, "mean objective of the final elites")
      .param("model", ParamType::Flow, nullptr,
             "flow rolled out: input 'actions' [E*C, horizon, action_size] and the states, output 'reward' [E*C, ...]")
      .param("action_size", ParamType::Int, nullptr, "action dims", 1)
      .param("horizon", ParamType::Int, 12, "planning horizon", 1)
      .param("candidates", ParamType::Int, 1000, "action sequences per env per iteration", 1)
      .param("elites", ParamType::Int, 100, "best candidates the belief is refitted to", 1)
      .param("iterations", ParamType::Int, 10, "refits (model calls) per plan", 1)
      .param("min_action", ParamType::Float, -1.0, "lower action bound (candidates are clipped)")
      .param("max_action", ParamType::Float, 1.0, "upper action bound (candidates are clipped)")
      .param("discount", ParamType::Float, 0.99, "reward weight discount^t inside the horizon (PlaNet's code: 0.99)",
             0.0, 1.0)
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeCem(const Params& p, BuildContext& ctx) { return std::make_unique<Cem>(p, ctx); }

}  // namespace lf::planners
