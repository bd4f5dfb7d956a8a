#include "actor_loss.h"

#include <stdexcept>

#include <ATen/ATen.h>

namespace lf::rl {
namespace {

class ActorLoss final : public Node {
  enum In { kReturns, kWeight, kLogp, kBaseline, kScale, kEntropy };
  enum Out { kLoss };

 public:
  explicit ActorLoss(const Params& p)
      : reinforce_(p.f("reinforce")), entropy_(p.f("entropy")), dynamics_advantage_(p.b("dynamics_advantage")) {}

  void run(CallContext& ctx) override {
    const at::Tensor& returns = ctx.in(kReturns);
    at::Tensor objective = at::zeros_like(returns);
    if (reinforce_ < 1) {
      at::Tensor target = returns;
      if (dynamics_advantage_) {
        if (ctx.has(kBaseline)) target = target - ctx.in(kBaseline);
        if (ctx.has(kScale)) target = target / ctx.in(kScale).detach();
      }
      objective = (1 - reinforce_) * target;
    }
    if (reinforce_ > 0) {
      if (!ctx.has(kLogp)) throw std::invalid_argument("rl.actor_loss: reinforce > 0 needs the input logp");
      at::Tensor advantage = returns.detach();
      if (ctx.has(kBaseline)) advantage = advantage - ctx.in(kBaseline).detach();
      if (ctx.has(kScale)) advantage = advantage / ctx.in(kScale).detach();
      objective = objective + reinforce_ * ctx.in(kLogp) * advantage;
    }
    if (entropy_ > 0) {
      if (!ctx.has(kEntropy)) throw std::invalid_argument("rl.actor_loss: entropy > 0 needs the input entropy");
      objective = objective + entropy_ * ctx.in(kEntropy);
    }
    ctx.set(kLoss, -(ctx.in(kWeight).detach() * objective).mean());
  }

 private:
  double reinforce_, entropy_;
  bool dynamics_advantage_;
};

}  // namespace

NodeSchema ActorLossSchema() {
  return SchemaBuilder("rl.actor_loss")
      .category("rl")
      .doc("Dreamer's actor loss: -mean(weight * ((1-r) returns + r logp sg(advantage) + e entropy)) (Dreamer, V2, V3)")
      .input("returns", {"B", "T"}, "lambda-returns, differentiable in the actions")
      .input("weight", {"B", "T"}, "discount weights (detached)")
      .optional_input("logp", {"B", "T"}, "log-probabilities of the imagined actions (REINFORCE)")
      .optional_input("baseline", {"B", "T"}, "critic values subtracted from the returns (detached in the REINFORCE term)")
      .optional_input("scale", {}, "divides the advantage (DreamerV3's return scale)")
      .optional_input("entropy", {"B", "T"}, "the policy's entropy")
      .output("loss", {}, "0-dim")
      .param("reinforce", ParamType::Float, 0.0, "weight of the REINFORCE term; 1 - it weights the dynamics gradient", 0.0, 1.0)
      .param("entropy", ParamType::Float, 0.0, "entropy coefficient (DreamerV2: 1e-4, DreamerV3: 3e-4)", 0.0)
      .param("dynamics_advantage", ParamType::Bool, false,
             "the dynamics term is (returns - baseline) / scale, the baseline not detached (DreamerV3's backprop)")
      .build();
}

std::unique_ptr<Node> MakeActorLoss(const Params& p, BuildContext&) { return std::make_unique<ActorLoss>(p); }

}  // namespace lf::rl
