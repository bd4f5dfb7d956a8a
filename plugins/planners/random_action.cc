#include "random_action.h"

#include <cmath>
#include <stdexcept>

#include "latentflow/node_random.h"

namespace lf::planners {
namespace {

class RandomAction final : public Node {
  enum In { kPrev };
  enum Out { kAction };
 public:
  RandomAction(const Params& p, uint64_t seed)
      : rng_(seed),
        brownian_(p.s("mode") == "brownian"),
        sigma_(p.f("sigma")),
        min_(p.f("min_action")),
        max_(p.f("max_action")) {
    if (!(min_ < max_)) throw std::invalid_argument("planners.random_action: min_action must be below max_action");
  }

  void run(CallContext& ctx) override {
    const at::Tensor& prev = ctx.in(kPrev);
    if (brownian_) ctx.set(kAction, (prev + sigma_ * rng_.normal(prev.sizes(), prev)).clamp_(min_, max_));
    else ctx.set(kAction, rng_.uniform(prev.sizes(), prev) * (max_ - min_) + min_);
  }

  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  NodeRandom rng_;
  bool brownian_;
  double sigma_, min_, max_;
};

}  // namespace

NodeSchema RandomActionSchema() {
  return SchemaBuilder("planners.random_action")
      .category("planners")
      .doc("Random actions for seed episodes: uniform in the bounds, or a clipped Brownian walk")
      .input("prev", {"E", "A"}, "previous action (gives E and A)")
      .output("action", {"E", "A"})
      .choice("mode", {"uniform", "brownian"}, "uniform",
              "uniform: U(min, max) (PlaNet, Dreamer); brownian: clip(prev + sigma N(0,1)) (World Models)")
      .param("sigma", ParamType::Float, std::sqrt(1.0 / 50.0), "brownian step std (sqrt(dt), dt = 1/50)", 0.0)
      .param("min_action", ParamType::Float, -1.0, "lower action bound")
      .param("max_action", ParamType::Float, 1.0, "upper action bound")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeRandomAction(const Params& p, BuildContext& ctx) {
  return std::make_unique<RandomAction>(p, ctx.seed());
}

}  // namespace lf::planners
