#include "action_noise.h"

#include <stdexcept>

#include "latentflow/node_random.h"

namespace lf::planners {
namespace {

class ActionNoise final : public Node {
  enum In { kActionIn };
  enum Out { kActionOut };
 public:
  ActionNoise(const Params& p, uint64_t seed)
      : rng_(seed),
        scale_(p.f("scale")),
        min_(p.f("min_action")),
        max_(p.f("max_action")) {
    if (!(min_ < max_)) throw std::invalid_argument("planners.action_noise: min_action must be below max_action");
  }

  void run(CallContext& ctx) override {
    const at::Tensor& a = ctx.in(kActionIn);
    ctx.set(kActionOut, (a + scale_ * rng_.normal(a.sizes(), a)).clamp_(min_, max_));
  }

  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  NodeRandom rng_;
  double scale_, min_, max_;
};

}  // namespace

NodeSchema ActionNoiseSchema() {
  return SchemaBuilder("planners.action_noise")
      .category("planners")
      .doc("Exploration noise: clip(action + scale * N(0, 1), min, max)")
      .input("action", {"E", "A"}, "action to perturb")
      .output("action", {"E", "A"}, "perturbed, clipped action")
      .param("scale", ParamType::Float, 0.3, "noise std (PlaNet, Dreamer: 0.3)", 0.0)
      .param("min_action", ParamType::Float, -1.0, "lower action bound")
      .param("max_action", ParamType::Float, 1.0, "upper action bound")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeActionNoise(const Params& p, BuildContext& ctx) {
  return std::make_unique<ActionNoise>(p, ctx.seed());
}

}  // namespace lf::planners
