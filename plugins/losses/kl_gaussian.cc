#include "kl_gaussian.h"

#include "reduce.h"

namespace lf::losses {
namespace {

class KlGaussian : public Node {
  enum In { kPostMean, kPostStd, kPriorMean, kPriorStd };
  enum Out { kKl, kKlRaw };
 public:
  explicit KlGaussian(const Params& p)
      : free_nats_(p.f("free_nats")),
        per_step_(p.s("free_nats_mode") == "per_step"),
        event_dims_(p.i("event_dims")) {}

  void run(CallContext& ctx) override {
    const auto &mq = ctx.in(kPostMean), &sq = ctx.in(kPostStd);
    const auto &mp = ctx.in(kPriorMean), &sp = ctx.in(kPriorStd);
    auto kl_elem = (sp / sq).log() + (sq.square() + (mq - mp).square()) / (2 * sp.square()) - 0.5;
    auto kl_event = sum_events(kl_elem, event_dims_, "losses.kl_gaussian");
    auto kl_raw = kl_event.mean();
    // clamp_min passes no gradient where the bound is active.
    ctx.set(kKl, per_step_ ? kl_event.clamp_min(free_nats_).mean() : kl_raw.clamp_min(free_nats_));
    ctx.set(kKlRaw, kl_raw.detach());
  }

 private:
  double free_nats_;
  bool per_step_;
  int64_t event_dims_;
};

}  // namespace

NodeSchema KlGaussianSchema() {
  return SchemaBuilder("losses.kl_gaussian")
      .category("losses")
      .doc("KL(q||p) of diagonal Gaussians with free nats (PlaNet per step or Dreamer batch mean)")
      .input("post_mean", {"...", "*"}, "posterior mean")
      .input("post_std", {"...", "*"}, "posterior std")
      .input("prior_mean", {"...", "*"}, "prior mean")
      .input("prior_std", {"...", "*"}, "prior std")
      .output("kl", {}, "after free nats (optimize this)")
      .output("kl_raw", {}, "before free nats, detached (log this)")
      .param("free_nats", ParamType::Float, 3.0, "KL below this many nats is not penalized", 0.0)
      .choice("free_nats_mode", {"per_step", "batch_mean"}, "per_step",
              "clamp each step's KL (PlaNet) or the averaged KL (Dreamer)")
      .param("event_dims", ParamType::Int, 1, "trailing dims summed per event", 0)
      .build();
}

std::unique_ptr<Node> MakeKlGaussian(const Params& p, BuildContext&) {
  return std::make_unique<KlGaussian>(p);
}

}  // namespace lf::losses
