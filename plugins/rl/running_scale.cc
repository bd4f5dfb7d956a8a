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
      : rate_(p.f("rate")), low_(p.f("low")), high_(p.f("high")), min_scale_(p.f("min_scale")) {}

  void run(CallContext& ctx) override {
    if (c10::GradMode::is_enabled()) {
      const at::Tensor sample = ctx.in(kSample).detach().flatten().to(at::kDouble);
      if (sample.numel() == 0) throw std::invalid_argument("rl.running_scale: the sample is empty");
      const at::Tensor sorted = std::get<0>(sample.sort());
      const double range = std::max(percentile(sorted, high_) - percentile(sorted, low_), min_scale_);
      scale_ += rate_ * (range - scale_);
    }
    ctx.set(kY, ctx.in(kX) / scale_);
    ctx.set(kScale, at::scalar_tensor(scale_, at::kFloat));
  }

  void save_state(TensorDict& out) const override { out["scale"] = at::scalar_tensor(scale_, at::kDouble); }
  void load_state(const TensorDict& in) override { scale_ = state_at(in, "scale").item<double>(); }

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
  double scale_ = 1.0;
};

}  // namespace

NodeSchema RunningScaleSchema() {
  return SchemaBuilder("rl.running_scale")
      .category("rl")
      .doc("TD-MPC2's running scale: x divided by an EMA of a sample's 5-95 percentile range (>= 1)")
      .input("x", {"..."}, "values to scale")
      .input("sample", {"N"}, "values the scale is updated from (in training calls)")
      .output("y", {"..."}, "x / S")
      .output("scale", {}, "S")
      .param("rate", ParamType::Float, 0.01, "EMA rate toward the sample's range", 0.0, 1.0)
      .param("low", ParamType::Float, 5.0, "lower percentile", 0.0, 100.0)
      .param("high", ParamType::Float, 95.0, "upper percentile", 0.0, 100.0)
      .param("min_scale", ParamType::Float, 1.0, "lower bound of the range", 0.0)
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeRunningScale(const Params& p, BuildContext&) {
  if (!(p.f("low") < p.f("high"))) throw std::invalid_argument("rl.running_scale: low must be below high");
  return std::make_unique<RunningScale>(p);
}

}  // namespace lf::rl
