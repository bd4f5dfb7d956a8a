#include "squashed_gaussian.h"

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>

#include "latentflow/node_random.h"

namespace lf::rl {
namespace {

constexpr double kHalfLogTwoPi = 0.9189385175704956;  // the reference's constant

class SquashedGaussian final : public Node {
  enum Out { kAction, kMean, kEntropy, kScaledEntropy };

 public:
  SquashedGaussian(uint64_t seed, double low, double high) : rng_(seed), low_(low), high_(high) {}
  void run(CallContext& ctx) override {
    const at::Tensor& x = ctx.in(0);
    if (x.dim() == 0 || x.size(-1) % 2 != 0)
      throw std::invalid_argument("rl.squashed_gaussian: x must be [..., 2A] (means, then log-stds), got " +
                                  shape_text(x.sizes()));
    const auto parts = x.chunk(2, -1);
    const auto& mu = parts[0];
    const auto log_std = low_ + 0.5 * (high_ - low_) * (at::tanh(parts[1]) + 1);
    const auto eps = rng_.normal(mu.sizes(), mu);
    const auto log_p = (-0.5 * eps.square() - log_std - kHalfLogTwoPi).sum(-1);
    const auto action = at::tanh(mu + eps * log_std.exp());
    const auto log_pi = log_p - at::log(at::relu(1 - action.square()) + 1e-6).sum(-1);
    const auto scale = static_cast<double>(mu.size(-1)) * log_p / (log_pi + 1e-8);
    ctx.set(kAction, action);
    ctx.set(kMean, at::tanh(mu));
    ctx.set(kEntropy, -log_pi);
    ctx.set(kScaledEntropy, -log_pi * scale);
  }
  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  NodeRandom rng_;
  double low_, high_;
};

}  // namespace

NodeSchema SquashedGaussianSchema() {
  return SchemaBuilder("rl.squashed_gaussian")
      .category("rl")
      .doc("TD-MPC2's policy head: tanh-squashed Gaussian with bounded log-std, sample and entropies")
      .input("x", {"...", "A2"}, "means, then log-std pre-activations")
      .output("action", {"...", "A"}, "tanh of the reparameterized sample")
      .output("mean", {"...", "A"}, "tanh of the mean")
      .output("entropy", {"..."}, "-log pi of the sample")
      .output("scaled_entropy", {"..."}, "the entropy term of TD-MPC2's policy objective")
      .param("log_std_min", ParamType::Float, -10.0, "lower bound of the log-std")
      .param("log_std_max", ParamType::Float, 2.0, "upper bound of the log-std")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeSquashedGaussian(const Params& p, BuildContext& ctx) {
  if (!(p.f("log_std_min") < p.f("log_std_max")))
    throw std::invalid_argument("rl.squashed_gaussian: log_std_min must be below log_std_max");
  return std::make_unique<SquashedGaussian>(ctx.seed(), p.f("log_std_min"), p.f("log_std_max"));
}

}  // namespace lf::rl
