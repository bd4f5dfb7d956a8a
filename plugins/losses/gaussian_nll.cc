#include "gaussian_nll.h"

#include <cmath>

#include "reduce.h"

namespace lf::losses {
namespace {

class GaussianNll : public Node {
  enum In { kMean, kTarget, kStd };
  enum Out { kLoss };
 public:
  explicit GaussianNll(const Params& p) : event_dims_(p.i("event_dims")), std_(p.f("std")) {}

  void run(CallContext& ctx) override {
    const double half_log_2pi = 0.5 * std::log(2.0 * M_PI);
    auto diff = ctx.in(kTarget) - ctx.in(kMean);
    at::Tensor nll;
    if (ctx.has(kStd)) {
      const auto& std = ctx.in(kStd);
      nll = 0.5 * (diff / std).square() + std.log() + half_log_2pi;
    } else {
      nll = 0.5 * diff.square() / (std_ * std_) + (std::log(std_) + half_log_2pi);
    }
    ctx.set(kLoss, reduce_loss(nll, event_dims_, "losses.gaussian_nll"));
  }

 private:
  int64_t event_dims_;
  double std_;
};

}  // namespace

NodeSchema GaussianNllSchema() {
  return SchemaBuilder("losses.gaussian_nll")
      .category("losses")
      .doc("-log N(target; mean, std) summed over each event, mean over leading dims")
      .input("mean", {"..."}, "predicted mean")
      .input("target", {"..."}, "observed value")
      .optional_input("std", {"..."}, "predicted std; the `std` param when unconnected")
      .output("loss", {}, "0-dim")
      .param("event_dims", ParamType::Int, 1, "trailing dims summed per event", 0)
      .param("std", ParamType::Float, 1.0, "fixed std used when the std input is not connected", 1e-12)
      .build();
}

std::unique_ptr<Node> MakeGaussianNll(const Params& p, BuildContext&) {
  return std::make_unique<GaussianNll>(p);
}

}  // namespace lf::losses
