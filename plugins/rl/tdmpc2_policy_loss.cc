#include "tdmpc2_policy_loss.h"

#include <stdexcept>

#include <ATen/ATen.h>

#include "powers.h"

namespace lf::rl {
namespace {

class Tdmpc2PolicyLoss final : public Node {
  enum In { kQ, kScaledEntropy };

 public:
  Tdmpc2PolicyLoss(double rho, double entropy_coef) : rho_(rho), entropy_coef_(entropy_coef) {}
  void run(CallContext& ctx) override {
    const at::Tensor& q = ctx.in(kQ);
    if (q.dim() != 2 || ctx.in(kScaledEntropy).sizes() != q.sizes())
      throw std::invalid_argument("rl.tdmpc2_policy_loss: q and scaled_entropy must be the same [B, T], got " +
                                  shape_text(q.sizes()) + " and " + shape_text(ctx.in(kScaledEntropy).sizes()));
    const auto rho = powers(rho_, q.size(1), q);
    ctx.set(0, (-(entropy_coef_ * ctx.in(kScaledEntropy) + q).mean(0) * rho).mean());
  }

 private:
  double rho_, entropy_coef_;
};

}  // namespace

NodeSchema Tdmpc2PolicyLossSchema() {
  return SchemaBuilder("rl.tdmpc2_policy_loss")
      .category("rl")
      .doc("TD-MPC2's policy loss: mean_t rho^t mean_b -(entropy_coef scaled_entropy + scaled Q)")
      .input("q", {"B", "T"}, "scaled Q of the policy's actions")
      .input("scaled_entropy", {"B", "T"}, "the policy's scaled entropy")
      .output("loss", {}, "0-dim")
      .param("rho", ParamType::Float, 0.5, "temporal weight rho^t", 0.0, 1.0)
      .param("entropy_coef", ParamType::Float, 1e-4, "weight of the entropy bonus", 0.0)
      .build();
}

std::unique_ptr<Node> MakeTdmpc2PolicyLoss(const Params& p, BuildContext&) {
  return std::make_unique<Tdmpc2PolicyLoss>(p.f("rho"), p.f("entropy_coef"));
}

}  // namespace lf::rl
