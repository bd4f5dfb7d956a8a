#include "actor_loss.h"

#include <ATen/ATen.h>

namespace lf::rl {
namespace {

class ActorLoss final : public Node {
  enum In { kReturns, kWeight };
  enum Out { kLoss };
 public:
  void run(CallContext& ctx) override {
    ctx.set(kLoss, -(ctx.in(kWeight).detach() * ctx.in(kReturns)).mean());
  }
};

}  // namespace

NodeSchema ActorLossSchema() {
  return SchemaBuilder("rl.actor_loss")
      .category("rl")
      .doc("Dreamer actor loss: -mean(weight * returns), gradients through the returns only")
      .input("returns", {"B", "T"}, "lambda-returns, differentiable in the actions")
      .input("weight", {"B", "T"}, "discount weights (detached)")
      .output("loss", {}, "0-dim")
      .build();
}

std::unique_ptr<Node> MakeActorLoss(const Params&, BuildContext&) { return std::make_unique<ActorLoss>(); }

}  // namespace lf::rl
