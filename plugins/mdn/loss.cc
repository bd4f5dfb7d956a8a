#include "loss.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

#include "mixture.h"

namespace lf::mdn {
namespace {

class Loss : public Node {
  enum In { kLogitPi, kMu, kLogSigma, kTarget, kRewardPred, kReward, kDoneLogit, kDone };
  enum Out { kLoss, kNll };
 public:
  explicit Loss(const Params& p)
      : reward_weight_(p.f("reward_weight")), done_weight_(p.f("done_weight")), pos_weight_(p.f("done_pos_weight")) {}

  void run(CallContext& ctx) override {
    check_mixture_shapes("mdn.loss", ctx.in(kLogitPi), ctx.in(kMu), ctx.in(kLogSigma), ctx.in(kTarget));
    auto nll = -mixture_log_prob(ctx.in(kLogitPi), ctx.in(kMu), ctx.in(kLogSigma), ctx.in(kTarget)).mean();
    auto loss = nll;
    if (pair(ctx, kRewardPred, kReward, "reward_pred", "reward")) {
      loss = loss + reward_weight_ * (ctx.in(kRewardPred) - ctx.in(kReward)).pow(2).mean();
    }
    if (pair(ctx, kDoneLogit, kDone, "done_logit", "done")) {
      const auto& done = ctx.in(kDone);
      auto bce = at::binary_cross_entropy_with_logits(ctx.in(kDoneLogit), done, {}, {}, at::Reduction::None);
      if (pos_weight_ != 1.0) bce = bce * (1.0 + (pos_weight_ - 1.0) * done);
      loss = loss + done_weight_ * bce.mean();
    }
    ctx.set(kLoss, loss);
    ctx.set(kNll, nll.detach());
  }

 private:
  // True when both ports of an optional pair are connected (and their shapes agree).
  static bool pair(CallContext& ctx, size_t pred, size_t obs, const char* pred_name, const char* obs_name) {
    if (ctx.has(pred) != ctx.has(obs))
      throw std::invalid_argument(std::string("mdn.loss: '") + pred_name + "' and '" + obs_name +
                                  "' must be connected together or not at all");
    if (!ctx.has(pred)) return false;
    if (!ctx.in(pred).sizes().equals(ctx.in(obs).sizes()))
      throw std::invalid_argument(std::string("mdn.loss: '") + pred_name + "' and '" + obs_name +
                                  "' must have the same shape");
    return true;
  }
  double reward_weight_, done_weight_, pos_weight_;
};

}  // namespace

NodeSchema LossSchema() {
  return SchemaBuilder("mdn.loss")
      .category("losses")
      .doc("MDN-RNN loss: Gaussian-mixture NLL of z_{t+1} (mean over z dims and time) + reward MSE + done BCE")
      .input("logit_pi", {"...", "*", "*"}, "mixture logits [..., z, K]")
      .input("mu", {"...", "*", "*"}, "component means [..., z, K]")
      .input("log_sigma", {"...", "*", "*"}, "component log stds [..., z, K]")
      .input("target", {"...", "*"}, "observed next latent [..., z]")
      .optional_input("reward_pred", {"..."}, "predicted reward; the reward term is omitted when unconnected")
      .optional_input("reward", {"..."}, "observed reward")
      .optional_input("done_logit", {"..."}, "predicted done logit; the done term is omitted when unconnected")
      .optional_input("done", {"..."}, "observed done (0 or 1)")
      .output("loss", {}, "0-dim total loss")
      .output("nll", {}, "0-dim mixture NLL, detached")
      .param("reward_weight", ParamType::Float, 1.0, "weight of the reward MSE", 0.0)
      .param("done_weight", ParamType::Float, 1.0, "weight of the done BCE", 0.0)
      .param("done_pos_weight", ParamType::Float, 1.0, "BCE weight of done = 1 examples (Doom reference: 10)", 1e-12)
      .build();
}

std::unique_ptr<Node> MakeLoss(const Params& p, BuildContext&) { return std::make_unique<Loss>(p); }

}  // namespace lf::mdn
