#include "tdmpc2_loss.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

#include "powers.h"
#include "two_hot.h"

namespace lf::rl {
namespace {

class Tdmpc2Loss final : public Node {
  enum In { kZPred, kZTarget, kRewardLogits, kReward, kQLogits, kTdTarget };
  enum Out { kLoss, kConsistency, kRewardLoss, kValueLoss };

 public:
  explicit Tdmpc2Loss(const Params& p)
      : rho_(p.f("rho")),
        c_coef_(p.f("consistency_coef")),
        r_coef_(p.f("reward_coef")),
        v_coef_(p.f("value_coef")),
        bins_{p.i("bins"), p.f("low"), p.f("high")} {}

  void run(CallContext& ctx) override {
    const at::Tensor& z_pred = ctx.in(kZPred);
    const at::Tensor& q = ctx.in(kQLogits);
    const int64_t B = z_pred.size(0), H = z_pred.size(1), K = q.dim() == 4 ? q.size(0) : 0;
    auto expect = [&](int input, at::IntArrayRef shape, const char* name) {
      if (ctx.in(input).sizes() != shape)
        throw std::invalid_argument(std::string("rl.tdmpc2_loss: ") + name + " must be " + shape_text(shape) +
                                    ", got " + shape_text(ctx.in(input).sizes()));
    };
    expect(kZTarget, z_pred.sizes(), "z_target");
    expect(kRewardLogits, {B, H, bins_.bins}, "reward_logits [B, H, bins]");
    expect(kReward, {B, H}, "reward [B, H]");
    expect(kTdTarget, {B, H}, "td_target [B, H]");
    if (K == 0) throw std::invalid_argument("rl.tdmpc2_loss: q_logits must be [K, B, H, bins], got " + shape_text(q.sizes()));
    expect(kQLogits, {K, B, H, bins_.bins}, "q_logits [K, B, H, bins]");

    const auto rho = powers(rho_, H, z_pred);  // [H]
    const auto consistency = ((z_pred - ctx.in(kZTarget).detach()).square().mean(at::IntArrayRef{0, 2}) * rho).sum() / H;
    const auto reward = (two_hot_cross_entropy(ctx.in(kRewardLogits), ctx.in(kReward), bins_).mean(0) * rho).sum() / H;
    const auto y = ctx.in(kTdTarget).detach().unsqueeze(0).expand({K, B, H});
    const auto value = (two_hot_cross_entropy(q, y, bins_).mean(1).sum(0) * rho).sum() / (H * K);
    ctx.set(kLoss, c_coef_ * consistency + r_coef_ * reward + v_coef_ * value);
    ctx.set(kConsistency, consistency.detach());
    ctx.set(kRewardLoss, reward.detach());
    ctx.set(kValueLoss, value.detach());
  }

 private:
  double rho_, c_coef_, r_coef_, v_coef_;
  TwoHotBins bins_;
};

}  // namespace

NodeSchema Tdmpc2LossSchema() {
  return SchemaBuilder("rl.tdmpc2_loss")
      .category("rl")
      .doc("TD-MPC2's model loss: rho^t-weighted consistency and two-hot reward and Q cross-entropies")
      .input("z_pred", {"B", "H", "L"}, "predicted next latents")
      .input("z_target", {"B", "H", "L"}, "encoded next observations (detached here)")
      .input("reward_logits", {"B", "H", "bins"}, "reward head logits")
      .input("reward", {"B", "H"}, "rewards received")
      .input("q_logits", {"K", "B", "H", "bins"}, "every Q's logits")
      .input("td_target", {"B", "H"}, "TD targets (detached here)")
      .output("loss", {}, "weighted total")
      .output("consistency", {}, "consistency term")
      .output("reward_loss", {}, "reward term")
      .output("value_loss", {}, "value term")
      .param("rho", ParamType::Float, 0.5, "temporal weight rho^t", 0.0, 1.0)
      .param("consistency_coef", ParamType::Float, 20.0, "weight of the consistency term", 0.0)
      .param("reward_coef", ParamType::Float, 0.1, "weight of the reward term", 0.0)
      .param("value_coef", ParamType::Float, 0.1, "weight of the value term", 0.0)
      .param("bins", ParamType::Int, 101, "two-hot bins", 2)
      .param("low", ParamType::Float, -10.0, "lowest bin, in symlog space")
      .param("high", ParamType::Float, 10.0, "highest bin, in symlog space")
      .build();
}

std::unique_ptr<Node> MakeTdmpc2Loss(const Params& p, BuildContext&) { return std::make_unique<Tdmpc2Loss>(p); }

}  // namespace lf::rl
