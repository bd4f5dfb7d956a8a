#include "truncated_normal.h"

#include <stdexcept>

#include "latentflow/node_random.h"

namespace lf::rl {
namespace {

constexpr double kEdge = 1e-6;  // the reference's eps: actions stay strictly inside the bounds

class TruncatedNormal final : public Node {
  enum In { kMean };
  enum Out { kAction };

 public:
  TruncatedNormal(const Params& p, uint64_t seed)
      : rng_(seed), std_(p.f("std")), clip_(p.f("clip")), low_(p.f("low")), high_(p.f("high")) {
    if (!(low_ + 2 * kEdge < high_)) throw std::invalid_argument("rl.truncated_normal: low must be below high");
  }

  void run(CallContext& ctx) override {
    const at::Tensor& mean = ctx.in(kMean);
    const at::Tensor x = mean + (std_ * rng_.normal(mean.sizes(), mean)).clamp(-clip_, clip_);
    const at::Tensor clamped = x.detach().clamp(low_ + kEdge, high_ - kEdge);
    ctx.set(kAction, x - x.detach() + clamped);
  }

  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  NodeRandom rng_;
  double std_, clip_, low_, high_;
};

}  // namespace

NodeSchema TruncatedNormalSchema() {
  return SchemaBuilder("rl.truncated_normal")
      .category("rl")
      .doc("TD-MPC's policy noise: mean + clip(std eps), clamped into the bounds straight-through")
      .input("mean", {"...", "A"}, "the policy's action")
      .output("action", {"...", "A"}, "noisy action inside (low, high); gradient identity in mean")
      .param("std", ParamType::Float, 0.05, "noise scale (TD-MPC's min_std)", 0.0)
      .param("clip", ParamType::Float, 0.3, "bound on the noise", 0.0)
      .param("low", ParamType::Float, -1.0, "lower action bound")
      .param("high", ParamType::Float, 1.0, "upper action bound")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeTruncatedNormal(const Params& p, BuildContext& ctx) {
  return std::make_unique<TruncatedNormal>(p, ctx.seed());
}

}  // namespace lf::rl
