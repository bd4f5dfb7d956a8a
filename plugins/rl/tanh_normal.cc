#include "tanh_normal.h"

#include <cmath>
#include <vector>

#include <ATen/ATen.h>
#include "latentflow/node_random.h"

namespace lf::rl {
namespace {

// log N(mean + std * eps; mean, std) - log|d tanh(u)/du| at u = mean + std * eps, summed over the
// last dim. The Gaussian term is written in eps, which is exact (u - mean) / std.
at::Tensor log_prob(const at::Tensor& u, const at::Tensor& eps, const at::Tensor& std) {
  const double half_log_2pi = 0.5 * std::log(2.0 * M_PI);
  const auto gauss = -0.5 * eps.square() - std.log() - half_log_2pi;
  const auto log_det = 2.0 * (std::log(2.0) - u - at::softplus(-2.0 * u));
  return (gauss - log_det).sum(-1);
}

class TanhNormal final : public Node {
  enum In { kMean, kStd };
  enum Out { kAction, kLogProb, kEntropy };
 public:
  TanhNormal(const Params& p, uint64_t seed)
      : mode_(p.s("mode") == "mode"),
        samples_(p.i("samples")),
        rng_(seed) {}

  void run(CallContext& ctx) override {
    const auto &mean = ctx.in(kMean), &std = ctx.in(kStd);
    if (!mode_) {
      const auto eps = rng_.normal(mean.sizes(), mean);
      const auto u = mean + std * eps;
      const auto lp = log_prob(u, eps, std);
      ctx.set(kAction, at::tanh(u));
      ctx.set(kLogProb, lp);
      ctx.set(kEntropy, -lp);
      return;
    }
    // SampleDist.mode: the most likely of `samples` draws, per row.
    at::NoGradGuard no_grad;
    std::vector<int64_t> sizes{samples_};
    sizes.insert(sizes.end(), mean.sizes().begin(), mean.sizes().end());
    const auto eps = rng_.normal(sizes, mean);
    const auto u = mean.unsqueeze(0) + std.unsqueeze(0) * eps;
    const auto lp = log_prob(u, eps, std.unsqueeze(0));  // [samples, ...]
    const auto best = lp.argmax(0, /*keepdim=*/true);   // [1, ...]
    auto index_sizes = u.sizes().vec();
    index_sizes[0] = 1;
    const auto u_best = u.gather(0, best.unsqueeze(-1).expand(index_sizes)).squeeze(0);
    ctx.set(kAction, at::tanh(u_best));
    ctx.set(kLogProb, lp.gather(0, best).squeeze(0));
    ctx.set(kEntropy, -lp.mean(0));
  }

  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  bool mode_;
  int64_t samples_;
  NodeRandom rng_;
};

}  // namespace

NodeSchema TanhNormalSchema() {
  return SchemaBuilder("rl.tanh_normal")
      .category("rl")
      .doc("Action from tanh(N(mean, std)): reparameterized sample or best of n draws, with log-prob and entropy")
      .input("mean", {"...", "A"}, "pre-tanh mean")
      .input("std", {"...", "A"}, "pre-tanh std (> 0)")
      .output("action", {"...", "A"}, "tanh(u), in [-1, 1]")
      .output("log_prob", {"..."}, "log-density of the action, summed over A")
      .output("entropy", {"..."}, "-log_prob (sample) or -mean log-density of the draws (mode)")
      .choice("mode", {"sample", "mode"}, "sample",
              "sample: reparameterized draw; mode: most likely of `samples` draws (Dreamer's eval policy)")
      .param("samples", ParamType::Int, 100, "draws per row in mode \"mode\" (Dreamer's SampleDist: 100)", 1)
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeTanhNormal(const Params& p, BuildContext& ctx) {
  return std::make_unique<TanhNormal>(p, ctx.seed());
}

}  // namespace lf::rl
