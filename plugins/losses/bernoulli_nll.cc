#include "bernoulli_nll.h"

#include <stdexcept>

#include "reduce.h"

namespace lf::losses {
namespace {

class BernoulliNll : public Node {
  enum In { kLogits, kTarget, kWeight };
  enum Out { kLoss };

 public:
  explicit BernoulliNll(const Params& p) : event_dims_(p.i("event_dims")) {}
  void run(CallContext& ctx) override {
    const at::Tensor &x = ctx.in(kLogits), &t = ctx.in(kTarget);
    if (!x.sizes().equals(t.sizes()))
      throw std::invalid_argument("losses.bernoulli_nll: target must have the logits' shape " + shape_text(x.sizes()) +
                                  ", got " + shape_text(t.sizes()));
    // -log sigmoid(x) = softplus(-x), -log(1 - sigmoid(x)) = softplus(x).
    at::Tensor nll = t * at::softplus(-x) + (1 - t) * at::softplus(x);
    if (ctx.has(kWeight)) nll = nll * ctx.in(kWeight).detach();
    ctx.set(kLoss, reduce_loss(nll, event_dims_, "losses.bernoulli_nll"));
  }

 private:
  int64_t event_dims_;
};

}  // namespace

NodeSchema BernoulliNllSchema() {
  return SchemaBuilder("losses.bernoulli_nll")
      .category("losses")
      .doc("Bernoulli NLL of binary targets from logits (DreamerV2's discount, DreamerV3's continue head)")
      .input("logits", {"..."}, "Bernoulli logits")
      .input("target", {"..."}, "targets in [0, 1], same shape")
      .optional_input("weight", {"..."}, "per-element weights, detached")
      .output("loss", {}, "0-dim")
      .param("event_dims", ParamType::Int, 0, "trailing dims summed per event", 0)
      .build();
}

std::unique_ptr<Node> MakeBernoulliNll(const Params& p, BuildContext&) { return std::make_unique<BernoulliNll>(p); }

}  // namespace lf::losses
