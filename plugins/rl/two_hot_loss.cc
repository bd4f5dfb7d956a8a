#include "two_hot_loss.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

#include "two_hot.h"

namespace lf::rl {
namespace {

class TwoHotLoss final : public Node {
  enum In { kLogits, kTarget, kWeight };

 public:
  explicit TwoHotLoss(TwoHotBins bins) : bins_(bins) {}
  void run(CallContext& ctx) override {
    const at::Tensor &logits = ctx.in(kLogits), &target = ctx.in(kTarget);
    std::vector<int64_t> want(target.sizes().begin(), target.sizes().end());
    want.push_back(bins_.bins);
    if (!logits.sizes().equals(want))
      throw std::invalid_argument("rl.two_hot_loss: logits must be the target's shape plus bins, " + shape_text(want) +
                                  ", got " + shape_text(logits.sizes()));
    at::Tensor ce = two_hot_cross_entropy(logits, target.detach(), bins_);
    if (ctx.has(kWeight)) ce = ce * ctx.in(kWeight).detach();
    ctx.set(0, ce.mean());
  }

 private:
  TwoHotBins bins_;
};

}  // namespace

NodeSchema TwoHotLossSchema() {
  return SchemaBuilder("rl.two_hot_loss")
      .category("rl")
      .doc("Cross-entropy of two-hot heads against scalar targets (DreamerV3's reward and critic loss)")
      .input("logits", {"...", "bins"}, "a two-hot head's logits")
      .input("target", {"..."}, "scalar targets, detached")
      .optional_input("weight", {"..."}, "per-element weights, detached")
      .output("loss", {}, "0-dim, the mean over the leading dims")
      .param("bins", ParamType::Int, 255, "number of bins", 2)
      .param("low", ParamType::Float, -20.0, "lowest bin, in symlog space")
      .param("high", ParamType::Float, 20.0, "highest bin, in symlog space")
      .choice("spacing", {"symlog", "symexp"}, "symexp", "symexp: DreamerV3's bins; symlog: TD-MPC2's (two_hot.h)")
      .build();
}

std::unique_ptr<Node> MakeTwoHotLoss(const Params& p, BuildContext&) {
  if (!(p.f("low") < p.f("high"))) throw ParamError("high", "rl.two_hot_loss: low must be below high");
  return std::make_unique<TwoHotLoss>(TwoHotBins{p.i("bins"), p.f("low"), p.f("high"), p.s("spacing") == "symexp"});
}

}  // namespace lf::rl
