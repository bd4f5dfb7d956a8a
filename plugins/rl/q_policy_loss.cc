#include "q_policy_loss.h"

#include <ATen/ATen.h>

#include "powers.h"

namespace lf::rl {
namespace {

class QPolicyLoss final : public Node {
  enum In { kQ1, kQ2 };
  enum Out { kLoss };

 public:
  explicit QPolicyLoss(double rho) : rho_(rho) {}
  void run(CallContext& ctx) override {
    const auto q = at::minimum(ctx.in(kQ1), ctx.in(kQ2));  // [B, T]
    const auto rho = powers(rho_, q.size(1), q);
    ctx.set(kLoss, -(q.mean(0) * rho).sum());
  }

 private:
  double rho_;
};

}  // namespace

NodeSchema QPolicyLossSchema() {
  return SchemaBuilder("rl.q_policy_loss")
      .category("rl")
      .doc("TD-MPC's policy loss: -sum_t rho^t mean_b min(q1, q2)")
      .input("q1", {"B", "T"}, "first online Q at the policy's actions")
      .input("q2", {"B", "T"}, "second online Q at the policy's actions")
      .output("loss", {}, "0-dim")
      .param("rho", ParamType::Float, 0.5, "temporal weight rho^t", 0.0, 1.0)
      .build();
}

std::unique_ptr<Node> MakeQPolicyLoss(const Params& p, BuildContext&) { return std::make_unique<QPolicyLoss>(p.f("rho")); }

}  // namespace lf::rl
