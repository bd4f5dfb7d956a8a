#include "mppi.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "latentflow/node_random.h"
#include "model_flow.h"

namespace lf::planners {
namespace {

class Mppi final : public Node {
  enum In { kState0, kPlan = kState0 + kMaxStates, kMinStd, kHorizon };
  enum Out { kAction, kPlanOut, kValue };

 public:
  Mppi(const Params& p, BuildContext& ctx)
      : rng_(ctx.seed()),
        model_("planners.mppi", p.s("model"), ctx),
        action_size_(p.i("action_size")),
        horizon_(p.i("horizon")),
        samples_(p.i("samples")),
        policy_samples_(p.i("policy_samples")),
        elites_(p.i("elites")),
        iterations_(p.i("iterations")),
        temperature_(p.f("temperature")),
        momentum_(p.f("momentum")),
        min_std_(p.f("min_std")),
        max_std_(p.f("max_std")),
        discount_(p.f("discount")),
        min_action_(p.f("min_action")),
        max_action_(p.f("max_action")),
        explore_(p.b("explore")) {
    auto bad = [](const std::string& param, const std::string& what) { throw ParamError(param, "planners.mppi: " + what); };
    if (elites_ > samples_ + policy_samples_)
      bad("elites", "elites (" + std::to_string(elites_) + ") must not exceed samples + policy_samples (" +
          std::to_string(samples_ + policy_samples_) + ")");
    if (!(min_action_ < max_action_)) bad("min_action", "min_action must be below max_action");
    if (!(min_std_ <= max_std_)) bad("min_std", "min_std must not exceed max_std");
    const std::string policy = p.s("policy");
    if (policy.empty() != (policy_samples_ == 0))
      bad("policy", policy.empty() ? "policy_samples is " + std::to_string(policy_samples_) + " but no policy flow is given"
                         : "a policy flow is given but policy_samples is 0");
    if (policy.empty()) return;
    policy_ = ctx.flow(policy);
    const auto& ins = policy_->input_names();
    for (const auto& name : ins) {
      if (name == "ticks") continue;
      bool found = false;
      for (const auto& s : model_.state_names()) found |= s == name;
      if (!found)
        bad("policy", "policy flow '" + policy + "' has an input '" + name +
            "' that is not a state input of the model flow (those: " + join_names(model_.state_names()) +
            ") nor 'ticks'");
    }
    const auto& outs = policy_->output_names();
    for (size_t i = 0; i < outs.size(); ++i)
      if (outs[i] == "actions") policy_actions_ = static_cast<int>(i);
    if (policy_actions_ < 0)
      bad("policy", "policy flow '" + policy + "' needs an output named 'actions' [E*P, horizon, action_size] (its outputs: " +
          join_names(outs) + ")");
  }

  void run(CallContext& ctx) override {
    at::NoGradGuard no_grad;
    const int64_t envs = ctx.in(kState0).dim() > 0 ? ctx.in(kState0).size(0) : 0;
    const int64_t n = samples_ + policy_samples_, A = action_size_;
    const int64_t H = ctx.has(kHorizon)
                          ? std::clamp(static_cast<int64_t>(std::floor(ctx.in(kHorizon).item<double>())), int64_t{1}, horizon_)
                          : horizon_;
    const double min_std = ctx.has(kMinStd) ? ctx.in(kMinStd).item<double>() : min_std_;
    const auto opts = ctx.in(kState0).options().dtype(at::kFloat);
    const auto states = model_.repeated_states(ctx, kState0, n);

    at::Tensor mean = at::zeros({envs, H, A}, opts);
    if (ctx.has(kPlan)) {
      const at::Tensor& plan = ctx.in(kPlan);
      if (plan.dim() != 3 || plan.size(0) != envs || plan.size(1) != horizon_ || plan.size(2) != A)
        throw std::invalid_argument("planners.mppi: plan must be [E, horizon, action_size] = [" + std::to_string(envs) +
                                    ", " + std::to_string(horizon_) + ", " + std::to_string(A) + "], got " +
                                    shape_text(plan.sizes()));
      mean.narrow(1, 0, H - 1).copy_(plan.narrow(1, 1, H - 1));
    }
    at::Tensor std = at::full({envs, H, A}, max_std_, opts);
    const at::Tensor pi = policy_actions(states, envs, H, opts);  // [E, P, H, A] or undefined

    at::Tensor actions, weights, top;  // the last iteration's candidates, elite weights, elite values
    at::Tensor elite;
    for (int64_t it = 0; it < iterations_; ++it) {
      actions = (mean.unsqueeze(1) + std.unsqueeze(1) * rng_.normal({envs, samples_, H, A}, mean))
                    .clamp_(min_action_, max_action_);
      if (pi.defined()) actions = at::cat({actions, pi}, 1);
      const at::Tensor value = model_.objective(states, actions.view({envs * n, H, A}), discount_)
                                   .view({envs, n})
                                   .nan_to_num(0.0);
      auto [values, index] = value.topk(elites_, 1);
      elite = actions.gather(1, index.view({envs, elites_, 1, 1}).expand({envs, elites_, H, A}));
      auto score = (temperature_ * (values - std::get<0>(values.max(1, true)))).exp();
      score = score / score.sum(1, true);
      const auto w = score.view({envs, elites_, 1, 1});
      const auto denom = score.sum(1).view({envs, 1, 1}) + 1e-9;
      const auto fit_mean = (w * elite).sum(1) / denom;
      const auto fit_std = ((w * (elite - fit_mean.unsqueeze(1)).square()).sum(1) / denom).sqrt().clamp(min_std, max_std_);
      mean = momentum_ * mean + (1 - momentum_) * fit_mean;
      std = fit_std;
      weights = score;
      top = values;
    }
    ctx.set(kPlanOut, at::constant_pad_nd(mean, {0, 0, 0, horizon_ - H}));

    // One elite per env, drawn with its softmax weight.
    const auto pick = at::multinomial(weights.to(at::kCPU), 1, /*replacement=*/false, rng_.generator()).to(weights.device());
    auto action = elite.gather(1, pick.view({envs, 1, 1, 1}).expand({envs, 1, H, A})).select(1, 0).select(1, 0);
    if (explore_) action = action + std.select(1, 0) * rng_.normal({envs, A}, action);
    ctx.set(kAction, action.clamp(min_action_, max_action_).contiguous());
    ctx.set(kValue, (weights * top).sum(1));
  }

  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  // Policy trajectories [E, P, H, A]: the policy flow from each env's states repeated P times.
  at::Tensor policy_actions(const std::vector<at::Tensor>& states, int64_t envs, int64_t H, const at::TensorOptions& opts) {
    if (!policy_) return {};
    const int64_t n = samples_ + policy_samples_;
    std::vector<at::Tensor> inputs;
    for (const auto& name : policy_->input_names()) {
      if (name == "ticks") {
        inputs.push_back(at::zeros({envs * policy_samples_, H}, opts));
        continue;
      }
      for (size_t k = 0; k < states.size(); ++k)
        if (model_.state_names()[k] == name)  // row e*n + j of the model's copy is env e: take P of them
          inputs.push_back(states[k].view({envs, n, -1}).narrow(1, 0, policy_samples_).reshape({envs * policy_samples_, -1}));
    }
    const at::Tensor a = policy_->call(inputs).at(static_cast<size_t>(policy_actions_));
    if (!a.defined() || a.sizes() != at::IntArrayRef{envs * policy_samples_, H, action_size_})
      throw std::invalid_argument("planners.mppi: the policy flow's 'actions' must be [E*P, horizon, action_size] = [" +
                                  std::to_string(envs * policy_samples_) + ", " + std::to_string(H) + ", " +
                                  std::to_string(action_size_) + "], got " +
                                  (a.defined() ? shape_text(a.sizes()) : std::string("nothing")));
    return a.view({envs, policy_samples_, H, action_size_});
  }

  NodeRandom rng_;
  ModelFlow model_;
  std::shared_ptr<FlowHandle> policy_;
  int policy_actions_ = -1;
  int64_t action_size_, horizon_, samples_, policy_samples_, elites_, iterations_;
  double temperature_, momentum_, min_std_, max_std_, discount_, min_action_, max_action_;
  bool explore_;
};

}  // namespace

NodeSchema MppiSchema() {
  return SchemaBuilder("planners.mppi")
      .category("planners")
      .doc("TD-MPC's planner: MPPI over a model flow with policy trajectories and a warm start")
      .input("state0", {"E", "*"}, "the model flow's first state input, one row per env")
      .optional_input("state1", {"E", "*"}, "its second state input")
      .optional_input("state2", {"E", "*"}, "its third state input")
      .optional_input("state3", {"E", "*"}, "its fourth state input")
      .optional_input("plan", {"E", "horizon", "action_size"},
                      "the previous step's plan (carried; zeros at an episode's start): the warm start")
      .optional_input("min_std", {}, "the std's lower bound for this call (a schedule); else the param")
      .optional_input("horizon", {}, "the horizon for this call (a schedule, floored, at most the param)")
      .output("action", {"E", "action_size"}, "the action to take")
      .output("plan", {"E", "horizon", "action_size"}, "this step's plan (the refitted mean), zero past the horizon used")
      .output("value", {"E"}, "softmax-weighted objective of the final elites")
      .param("model", ParamType::Flow, nullptr,
             "flow rolled out: input 'actions' [E*N, horizon, action_size] and the states; outputs 'reward' "
             "[E*N, horizon, ...] and optionally 'terminal' [E*N]")
      .param("policy", ParamType::Flow, "", "flow giving policy trajectories 'actions' [E*P, horizon, action_size]")
      .param("policy_samples", ParamType::Int, 25, "policy trajectories per env (TD-MPC: 5% of 512)", 0)
      .param("action_size", ParamType::Int, nullptr, "action dims", 1)
      .param("horizon", ParamType::Int, 5, "planning horizon", 1)
      .param("samples", ParamType::Int, 512, "Gaussian action sequences per env per iteration", 1)
      .param("elites", ParamType::Int, 64, "best candidates the belief is refitted to", 1)
      .param("iterations", ParamType::Int, 6, "refits (model calls) per plan", 1)
      .param("temperature", ParamType::Float, 0.5, "softmax temperature of the elites' objectives", 0.0)
      .param("momentum", ParamType::Float, 0.1, "weight of the previous mean in each refit", 0.0, 1.0)
      .param("min_std", ParamType::Float, 0.05, "lower bound of the refitted std", 0.0)
      .param("max_std", ParamType::Float, 2.0, "initial std and its upper bound", 0.0)
      .param("discount", ParamType::Float, 0.99, "reward weight discount^t; terminal gets discount^horizon", 0.0, 1.0)
      .param("min_action", ParamType::Float, -1.0, "lower action bound")
      .param("max_action", ParamType::Float, 1.0, "upper action bound")
      .param("explore", ParamType::Bool, true, "add the final std's noise to the action (false: evaluation)")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeMppi(const Params& p, BuildContext& ctx) { return std::make_unique<Mppi>(p, ctx); }

}  // namespace lf::planners
