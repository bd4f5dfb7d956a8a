#include "cem.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "latentflow/node_random.h"
#include "model_flow.h"

namespace lf::planners {
namespace {

class Cem final : public Node {
  enum In { kState0 };  // state0..state3 are inputs 0..3
  enum Out { kAction, kValue };

 public:
  Cem(const Params& p, BuildContext& ctx)
      : rng_(ctx.seed()),
        model_("planners.cem", p.s("model"), ctx),
        action_size_(p.i("action_size")),
        horizon_(p.i("horizon")),
        candidates_(p.i("candidates")),
        elites_(p.i("elites")),
        iterations_(p.i("iterations")),
        min_action_(p.f("min_action")),
        max_action_(p.f("max_action")),
        discount_(p.f("discount")) {
    if (elites_ > candidates_)
      throw ParamError("elites", "planners.cem: elites (" + std::to_string(elites_) + ") must not exceed candidates (" +
                                     std::to_string(candidates_) + ")");
    if (!(min_action_ < max_action_)) throw ParamError("min_action", "planners.cem: min_action must be below max_action");
  }

  void run(CallContext& ctx) override {
    at::NoGradGuard no_grad;
    const auto states = model_.repeated_states(ctx, kState0, candidates_);
    const int64_t envs = ctx.in(kState0).size(0);
    const int64_t n = envs * candidates_;
    const auto opts = ctx.in(kState0).options().dtype(at::kFloat);
    at::Tensor mean = at::zeros({envs, horizon_, action_size_}, opts);
    at::Tensor std = at::ones({envs, horizon_, action_size_}, opts);
    at::Tensor top;  // the objective of the current elites
    for (int64_t it = 0; it < iterations_; ++it) {
      auto eps = rng_.normal({envs, candidates_, horizon_, action_size_}, mean);
      auto actions = (mean.unsqueeze(1) + std.unsqueeze(1) * eps).clamp_(min_action_, max_action_);
      const at::Tensor objective =
          model_.objective(states, actions.view({n, horizon_, action_size_}), discount_).view({envs, candidates_});
      auto [values, index] = objective.topk(elites_, 1, /*largest=*/true, /*sorted=*/false);
      const auto elite = actions.gather(1, index.view({envs, elites_, 1, 1}).expand({envs, elites_, horizon_, action_size_}));
      mean = elite.mean(1);
      std = (elite.var(1, /*unbiased=*/false) + 1e-6).sqrt_();
      top = values;
    }
    ctx.set(kAction, mean.select(1, 0).contiguous());
    ctx.set(kValue, top.mean(1));
  }

  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  NodeRandom rng_;
  ModelFlow model_;
  int64_t action_size_, horizon_, candidates_, elites_, iterations_;
  double min_action_, max_action_, discount_;
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
