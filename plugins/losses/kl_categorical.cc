#include "kl_categorical.h"

#include <stdexcept>

#include <ATen/ATen.h>

namespace lf::losses {
namespace {

class KlCategorical : public Node {
  enum In { kPost, kPrior };
  enum Out { kLoss, kKl };

 public:
  explicit KlCategorical(const Params& p)
      : dyn_scale_(p.f("dyn_scale")),
        rep_scale_(p.f("rep_scale")),
        free_nats_(p.f("free_nats")),
        per_step_(p.s("free_nats_mode") == "per_step") {}

  void run(CallContext& ctx) override {
    const at::Tensor &q = ctx.in(kPost), &p = ctx.in(kPrior);
    if (q.dim() < 2 || !q.sizes().equals(p.sizes()))
      throw std::invalid_argument("losses.kl_categorical: post_logits and prior_logits must be the same [..., stoch, classes], got " +
                                  shape_text(q.sizes()) + " and " + shape_text(p.sizes()));
    const at::Tensor log_q = q.log_softmax(-1), log_p = p.log_softmax(-1);
    // Per step: summed over the classes and the latents.
    auto kl = [](const at::Tensor& log_a, const at::Tensor& log_b) { return (log_a.exp() * (log_a - log_b)).sum({-2, -1}); };
    const at::Tensor dyn = kl(log_q.detach(), log_p), rep = kl(log_q, log_p.detach());
    auto term = [&](const at::Tensor& k) { return per_step_ ? k.clamp_min(free_nats_).mean() : k.mean().clamp_min(free_nats_); };
    ctx.set(kLoss, dyn_scale_ * term(dyn) + rep_scale_ * term(rep));
    ctx.set(kKl, dyn.mean().detach());
  }

 private:
  double dyn_scale_, rep_scale_, free_nats_;
  bool per_step_;
};

}  // namespace

NodeSchema KlCategoricalSchema() {
  return SchemaBuilder("losses.kl_categorical")
      .category("losses")
      .doc("KL(q||p) of categorical latents, balanced (DreamerV2 0.8/0.2; DreamerV3 dyn 0.5, rep 0.1) with free nats")
      .input("post_logits", {"...", "stoch", "classes"}, "posterior logits q")
      .input("prior_logits", {"...", "stoch", "classes"}, "prior logits p")
      .output("loss", {}, "dyn_scale * KL(sg(q)||p) + rep_scale * KL(q||sg(p)), each after free nats")
      .output("kl", {}, "mean KL(q||p) before free nats, detached (log this)")
      .param("dyn_scale", ParamType::Float, 0.8, "weight of KL(sg(q)||p), which trains the prior", 0.0)
      .param("rep_scale", ParamType::Float, 0.2, "weight of KL(q||sg(p)), which trains the posterior", 0.0)
      .param("free_nats", ParamType::Float, 1.0, "KL below this many nats is not penalized", 0.0)
      .choice("free_nats_mode", {"batch_mean", "per_step"}, "batch_mean",
              "clamp the averaged KL (DreamerV2's free_avg) or each step's (DreamerV3)")
      .build();
}

std::unique_ptr<Node> MakeKlCategorical(const Params& p, BuildContext&) { return std::make_unique<KlCategorical>(p); }

}  // namespace lf::losses
