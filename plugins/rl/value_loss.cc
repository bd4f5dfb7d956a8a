#include "value_loss.h"

#include <cmath>

#include <ATen/ATen.h>

namespace lf::rl {
namespace {

class ValueLoss final : public Node {
  enum In { kValue, kTarget, kWeight };
  enum Out { kLoss };
 public:
  void run(CallContext& ctx) override {
    const double half_log_2pi = 0.5 * std::log(2.0 * M_PI);
    const auto nll = 0.5 * (ctx.in(kTarget).detach() - ctx.in(kValue)).square() + half_log_2pi;
    ctx.set(kLoss, (ctx.in(kWeight).detach() * nll).mean());
  }
};

}  // namespace

NodeSchema ValueLossSchema() {
  return SchemaBuilder("rl.value_loss")
      .category("rl")
      .doc("Dreamer value loss: mean(weight * -log N(target; value, 1)), target and weight detached")
      .input("value", {"B", "T"}, "value predictions from detached imagined features")
      .input("target", {"B", "T"}, "lambda-returns (detached here)")
      .input("weight", {"B", "T"}, "discount weights (detached here)")
      .output("loss", {}, "0-dim")
      .build();
}

std::unique_ptr<Node> MakeValueLoss(const Params&, BuildContext&) { return std::make_unique<ValueLoss>(); }

}  // namespace lf::rl
