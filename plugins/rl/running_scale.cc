#include "running_scale.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

namespace lf::rl {
namespace {

class RunningScale final : public Node {
  enum In { kX, kSample };
  enum Out { kY, kScale };

 public:
  explicit RunningScale(const Params& p)
      : rate_(p.f("rate")),
        low_(p.f("low")),
        high_(p.f("high")),
        min_scale_(p.f("min_scale")),
        percentiles_(p.s("rule") == "percentiles") {}

  void run(CallContext& ctx) override {
    if (c10::GradMode::is_enabled()) {
      const at::Tensor sample = ctx.in(kSample).detach().flatten().to(at::kDouble);
      if (sample.numel() == 0) throw std::invalid_argument("rl.running_scale: the sample is empty");
      const at::Tensor sorted = std::get<0>(sample.sort());
      const double lo = percentile(sorted, low_), hi = percentile(sorted, high_);
      if (percentiles_) {
        ema_low_ += rate_ * (lo - ema_low_);
        ema_high_ += rate_ * (hi - ema_high_);
        scale_ = std::max(ema_high_ - ema_low_, min_scale_);
      } else {
        scale_ += rate_ * (std::max(hi - lo, min_scale_) - scale_);
      }
    }
    ctx.set(kY, ctx.in(kX) / scale_);
    ctx.set(kScale, at::scalar_tensor(scale_, at::kFloat));
  }

  void save_state(TensorDict& out) const override {
    out["scale"] = at::scalar_tensor(scale_, at::kDouble);
    if (percentiles_) out["percentiles"] = at::tensor({ema_low_, ema_high_}, at::kDouble);
  }
  void load_state(const TensorDict& in) override {
    scale_ = state_at(in, "scale").item<double>();
    if (!percentiles_) return;
    const at::Tensor p = state_at(in, "percentiles");
    if (p.numel() != 2) throw std::invalid_argument("rl.running_scale: load_state: 'percentiles' must hold 2 values");
    ema_low_ = p[0].item<double>();
    ema_high_ = p[1].item<double>();
  }

 private:
  // The reference's rule: position q (n - 1) / 100 between the floor and the next sorted value.
  static double percentile(const at::Tensor& sorted, double q) {
    const int64_t n = sorted.size(0);
    const double pos = q * static_cast<double>(n - 1) / 100.0;
    const auto lo = static_cast<int64_t>(std::floor(pos));
    const int64_t hi = std::min(lo + 1, n - 1);
    const double w = pos - static_cast<double>(lo);
    return sorted[lo].item<double>() * (1 - w) + sorted[hi].item<double>() * w;
  }

  double rate_, low_, high_, min_scale_;
  bool percentiles_;
  double scale_ = 1.0;
  double ema_low_ = 0, ema_high_ = 0;  // rule "percentiles": DreamerV3's EMAs start at 0
};

}  // namespace

NodeSchema RunningScaleSchema() {
  return SchemaBuilder("rl.running_scale")
      .category("rl")
      .doc("A running scale: x divided by an EMA of a sample's 5-95 percentile range (TD-MPC2) or the range of EMAs of the percentiles (DreamerV3), >= 1")
      .input("x", {"..."}, "values to scale")
      .input("sample", {"N"}, "values the scale is updated from (in training calls)")
      .output("y", {"..."}, "x / S")
      .output("scale", {}, "S")
      .param("rate", ParamType::Float, 0.01, "EMA rate toward the sample's range", 0.0, 1.0)
      .param("low", ParamType::Float, 5.0, "lower percentile", 0.0, 100.0)
      .param("high", ParamType::Float, 95.0, "upper percentile", 0.0, 100.0)
      .param("min_scale", ParamType::Float, 1.0, "lower bound of the range", 0.0)
      .choice("rule", {"range", "percentiles"}, "range",
              "range: EMA of the range, from 1 (TD-MPC2); percentiles: range of the percentiles' EMAs, from 0 (DreamerV3, rate 0.01)")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeRunningScale(const Params& p, BuildContext&) {
  if (!(p.f("low") < p.f("high"))) throw std::invalid_argument("rl.running_scale: low must be below high");
  return std::make_unique<RunningScale>(p);
}

}  // namespace lf::rl
