#include "told_loss.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

#include "powers.h"

namespace lf::rl {
namespace {

constexpr double kMaxLoss = 1e4;  // the reference's clamp of each summed term and the priority

class ToldLoss final : public Node {
  enum In { kZPred, kZTarget, kRewardPred, kReward, kQ1, kQ2, kTdTarget, kWeight };
  enum Out { kLoss, kConsistency, kRewardLoss, kValueLoss, kPriority };

 public:
  explicit ToldLoss(const Params& p)
      : rho_(p.f("rho")), c_coef_(p.f("consistency_coef")), r_coef_(p.f("reward_coef")), v_coef_(p.f("value_coef")) {}

  void run(CallContext& ctx) override {
    const at::Tensor& z_pred = ctx.in(kZPred);
    const int64_t B = z_pred.size(0), H = z_pred.size(1);
    for (int i : {kRewardPred, kReward, kQ1, kQ2, kTdTarget})
      if (ctx.in(i).sizes() != at::IntArrayRef{B, H})
        throw std::invalid_argument("rl.told_loss: every per-step input must be [B, H] = [" + std::to_string(B) + ", " +
                                    std::to_string(H) + "] like z_pred, got " + shape_text(ctx.in(i).sizes()));
    const auto rho = powers(rho_, H, z_pred);  // [H]
    auto over_time = [&](const at::Tensor& per_step) { return per_step.matmul(rho); };     // [B, H] -> [B]
    const auto y = ctx.in(kTdTarget).detach();
    const auto c = over_time((z_pred - ctx.in(kZTarget).detach()).square().mean(-1)).clamp_max(kMaxLoss);
    const auto r = over_time((ctx.in(kRewardPred) - ctx.in(kReward)).square()).clamp_max(kMaxLoss);
    const auto q1 = ctx.in(kQ1), q2 = ctx.in(kQ2);
    const auto v = over_time((q1 - y).square() + (q2 - y).square()).clamp_max(kMaxLoss);
    auto total = c_coef_ * c + r_coef_ * r + v_coef_ * v;
    if (ctx.has(kWeight)) total = total * ctx.in(kWeight).detach().to(total.dtype());
    ctx.set(kLoss, total.mean() / static_cast<double>(H));
    ctx.set(kConsistency, c.detach().mean());
    ctx.set(kRewardLoss, r.detach().mean());
    ctx.set(kValueLoss, v.detach().mean());
    ctx.set(kPriority, over_time(((q1 - y).abs() + (q2 - y).abs()).detach()).clamp_max(kMaxLoss));
  }

 private:
  double rho_, c_coef_, r_coef_, v_coef_;
};

}  // namespace

NodeSchema ToldLossSchema() {
  return SchemaBuilder("rl.told_loss")
      .category("rl")
      .doc("TD-MPC's model loss: rho^t-weighted consistency, reward and twin-Q TD terms, PER-weighted")
      .input("z_pred", {"B", "H", "L"}, "predicted next latents")
      .input("z_target", {"B", "H", "L"}, "target encoder's latents of the next observations (detached here)")
      .input("reward_pred", {"B", "H"}, "predicted rewards")
      .input("reward", {"B", "H"}, "rewards received")
      .input("q1", {"B", "H"}, "first online Q at (z_t, a_t)")
      .input("q2", {"B", "H"}, "second online Q at (z_t, a_t)")
      .input("td_target", {"B", "H"}, "TD targets (detached here)")
      .optional_input("weight", {"B"}, "importance weights (detached here)")
      .output("loss", {}, "weighted total / H")
      .output("consistency", {}, "batch mean of the consistency term")
      .output("reward_loss", {}, "batch mean of the reward term")
      .output("value_loss", {}, "batch mean of the value term")
      .output("priority", {"B"}, "sum_t rho^t (|q1 - y| + |q2 - y|), detached")
      .param("rho", ParamType::Float, 0.5, "temporal weight rho^t", 0.0, 1.0)
      .param("consistency_coef", ParamType::Float, 2.0, "weight of the consistency term", 0.0)
      .param("reward_coef", ParamType::Float, 0.5, "weight of the reward term", 0.0)
      .param("value_coef", ParamType::Float, 0.1, "weight of the value term", 0.0)
      .build();
}

std::unique_ptr<Node> MakeToldLoss(const Params& p, BuildContext&) { return std::make_unique<ToldLoss>(p); }

}  // namespace lf::rl
