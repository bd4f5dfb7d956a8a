#include "sample.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include <ATen/ATen.h>
#include "latentflow/node_random.h"

#include "mixture.h"

namespace lf::mdn {
namespace {

class Sample : public Node {
  enum In { kLogitPi, kMu, kLogSigma };
  enum Out { kZ };
 public:
  Sample(double temperature, uint64_t seed)
      : tau_(temperature), rng_(seed) {}

  void run(CallContext& ctx) override {
    const auto &logit = ctx.in(kLogitPi), &mu = ctx.in(kMu), &log_sigma = ctx.in(kLogSigma);
    check_mixture_shapes("mdn.sample", logit, mu, log_sigma, at::Tensor());
    auto u = rng_.uniform(logit.sizes(), mu).clamp_min(1e-20);
    auto eps = rng_.normal(mu.sizes().slice(0, mu.dim() - 1), mu);
    auto gumbel = -at::log(-at::log(u)).to(logit.device());
    auto k = (logit.detach() / tau_ + gumbel).argmax(-1, /*keepdim=*/true);
    auto m = mu.gather(-1, k).squeeze(-1);
    auto s = at::exp(log_sigma.gather(-1, k).squeeze(-1));
    ctx.set(kZ, m + s * (std::sqrt(tau_) * eps));
  }

  void save_state(lf::TensorDict& out) const override { rng_.save(out); }
  void load_state(const lf::TensorDict& in) override { rng_.load(in); }

 private:
  double tau_;
  lf::NodeRandom rng_;
};

}  // namespace

NodeSchema SampleSchema() {
  return SchemaBuilder("mdn.sample")
      .category("mdn")
      .doc("Sample z from the MDN-RNN mixture at a temperature: logits / tau, std * sqrt(tau)")
      .input("logit_pi", {"...", "*", "*"}, "mixture logits [..., z, K]")
      .input("mu", {"...", "*", "*"}, "component means [..., z, K]")
      .input("log_sigma", {"...", "*", "*"}, "component log stds [..., z, K]")
      .output("z", {"...", "*"}, "sample [..., z]")
      .param("temperature", ParamType::Float, 1.0, "tau > 0: logits / tau, std * sqrt(tau)", 1e-12)
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeSample(const Params& p, BuildContext& ctx) {
  const double tau = p.f("temperature");
  if (!(tau > 0.0) || !std::isfinite(tau))
    throw std::invalid_argument("mdn.sample: temperature must be > 0 and finite, got " + std::to_string(tau));
  return std::make_unique<Sample>(tau, ctx.seed());
}

}  // namespace lf::mdn
