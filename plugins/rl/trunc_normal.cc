#include "trunc_normal.h"

#include <cmath>
#include <stdexcept>
#include <utility>

#include <ATen/ATen.h>

#include "latentflow/node_random.h"

namespace lf::rl {
namespace {

constexpr double kEdge = 1e-6;    // the reference's clip: actions stay strictly inside the bounds
constexpr double kTail = 1e-15;   // keeps erfinv's argument off +-1 (quantiles beyond ~7.9 sigma)

double half_log_2pi() { return 0.5 * std::log(2 * M_PI); }

// Per action dim: log N(sg(action); mean, std) and the entropy of N(mean, std), which the
// truncated normal corrects by its normalizer Z.
std::pair<at::Tensor, at::Tensor> normal_terms(const at::Tensor& action, const at::Tensor& mean, const at::Tensor& std) {
  const auto z = (action.detach() - mean) / std;
  return {-0.5 * z.square() - std.log() - half_log_2pi(), half_log_2pi() + 0.5 + std.log()};
}

class TruncNormal final : public Node {
  enum In { kMean, kStd };
  enum Out { kAction, kLogProb, kEntropy };

 public:
  TruncNormal(const Params& p, uint64_t seed)
      : mode_(p.s("mode") == "mode"), truncate_(p.b("truncate")), low_(p.f("low")), high_(p.f("high")), rng_(seed) {
    if (!(low_ + 2 * kEdge < high_)) throw ParamError("high", "rl.trunc_normal: low must be below high");
  }

  void run(CallContext& ctx) override {
    if (!truncate_) return run_normal(ctx);
    const auto dtype = ctx.in(kMean).scalar_type();
    const auto mean = ctx.in(kMean).to(at::kDouble), std = ctx.in(kStd).to(at::kDouble);
    const auto alpha = (low_ - mean) / std, beta = (high_ - mean) / std;
    const auto cdf_alpha = at::special_ndtr(alpha);
    const auto z_norm = at::special_ndtr(beta) - cdf_alpha;
    at::Tensor action;
    if (mode_) {
      action = mean.clamp(low_, high_);
    } else {
      const auto u = cdf_alpha + rng_.uniform(mean.sizes(), mean) * z_norm;
      const auto q = (2 * u - 1).clamp(-1 + kTail, 1 - kTail);
      const auto quantile = at::max(at::min(M_SQRT2 * at::erfinv(q), beta), alpha);
      const auto x = mean + std * quantile;
      action = x - x.detach() + x.detach().clamp(low_ + kEdge, high_ - kEdge);
    }
    const auto [gauss_log_prob, gauss_entropy] = normal_terms(action, mean, std);
    const auto phi = [](const at::Tensor& t) { return at::exp(-0.5 * t.square() - half_log_2pi()); };
    const auto log_prob = (gauss_log_prob - z_norm.log()).sum(-1);
    const auto entropy = (gauss_entropy + z_norm.log() + (alpha * phi(alpha) - beta * phi(beta)) / (2 * z_norm)).sum(-1);
    ctx.set(kAction, action.to(dtype));
    ctx.set(kLogProb, log_prob.to(dtype));
    ctx.set(kEntropy, entropy.to(dtype));
  }

  // The untruncated normal: mean + std eps, its log-density and entropy, in the input's dtype.
  void run_normal(CallContext& ctx) {
    const auto &mean = ctx.in(kMean), &std = ctx.in(kStd);
    const auto action = mode_ ? mean : mean + std * rng_.normal(mean.sizes(), mean);
    const auto [log_prob, entropy] = normal_terms(action, mean, std);
    ctx.set(kAction, action);
    ctx.set(kLogProb, log_prob.sum(-1));
    ctx.set(kEntropy, entropy.sum(-1));
  }

  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  bool mode_, truncate_;
  double low_, high_;
  NodeRandom rng_;
};

}  // namespace

NodeSchema TruncNormalSchema() {
  return SchemaBuilder("rl.trunc_normal")
      .category("rl")
      .doc("Action from N(mean, std), truncated to [low, high] (DreamerV2) or not (DreamerV3): reparameterized "
           "sample or the mode, with log-prob and exact entropy")
      .input("mean", {"...", "A"}, "location")
      .input("std", {"...", "A"}, "scale (> 0)")
      .output("action", {"...", "A"}, "inside (low, high)")
      .output("log_prob", {"..."}, "log-density of the detached action, summed over A")
      .output("entropy", {"..."}, "entropy, summed over A")
      .choice("mode", {"sample", "mode"}, "sample", "sample: reparameterized draw; mode: clamp(mean, low, high)")
      .param("truncate", ParamType::Bool, true, "false: the untruncated normal N(mean, std) (DreamerV3's actor)")
      .param("low", ParamType::Float, -1.0, "lower bound")
      .param("high", ParamType::Float, 1.0, "upper bound")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeTruncNormal(const Params& p, BuildContext& ctx) {
  return std::make_unique<TruncNormal>(p, ctx.seed());
}

}  // namespace lf::rl
