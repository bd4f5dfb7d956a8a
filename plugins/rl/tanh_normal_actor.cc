#include "tanh_normal_actor.h"

#include <cmath>

#include <ATen/ATen.h>

#include "actor_mlp.h"
#include "latentflow/linear.h"

namespace lf::rl {
namespace {

class TanhNormalActor final : public Node {
  enum In { kX };
  enum Out { kMean, kStd };
 public:
  explicit TanhNormalActor(const Params& p)
      : net_(actor_mlp(p.i("in_dim"), p.ints("hidden"), p.s("activation"), p.i("action_size"), /*layer_norm=*/false,
                       lf::compute_of(p))),
        mean_scale_(p.f("mean_scale")),
        raw_init_std_(p.f("init_std") + std::log1p(-std::exp(-p.f("init_std")))),
        min_std_(p.f("min_std")) {}

  void run(CallContext& ctx) override {
    const auto raw = net_->forward(ctx.in(kX)).chunk(2, -1);
    ctx.set(kMean, mean_scale_ * at::tanh(raw[0] / mean_scale_));
    ctx.set(kStd, at::softplus(raw[1] + raw_init_std_) + min_std_);
  }
  torch::nn::Module* module() override { return net_.get(); }

 private:
  torch::nn::Sequential net_;
  double mean_scale_, raw_init_std_, min_std_;
};

}  // namespace

NodeSchema TanhNormalActorSchema() {
  return SchemaBuilder("rl.tanh_normal_actor")
      .category("rl")
      .doc("Dreamer's action model: MLP -> pre-tanh Gaussian mean (soft-clipped) and std (softplus, offset to init_std)")
      .input("x", {"...", "in_dim"}, "features")
      .output("mean", {"...", "action_size"}, "pre-tanh mean, mean_scale * tanh(raw / mean_scale)")
      .output("std", {"...", "action_size"}, "pre-tanh std, softplus(raw + log(exp(init_std) - 1)) + min_std")
      .param("in_dim", ParamType::Int, nullptr, "input width", 1)
      .param("action_size", ParamType::Int, nullptr, "action dims", 1)
      .param("hidden", ParamType::IntList, {400, 400, 400, 400}, "hidden layer widths (Dreamer: 4 x 400)", 1)
      .choice("activation", {"elu", "relu"}, "elu", "hidden activation (Dreamer: elu)")
      .param("mean_scale", ParamType::Float, 5.0, "bound of the soft-clipped mean", 1e-6)
      .param("init_std", ParamType::Float, 5.0, "std where the raw std output is 0", 1e-6)
      .param("min_std", ParamType::Float, 1e-4, "added to the softplus so that std > min_std", 0.0)
      .compute()
      .learns()
      .build();
}

std::unique_ptr<Node> MakeTanhNormalActor(const Params& p, BuildContext&) {
  return std::make_unique<TanhNormalActor>(p);
}

}  // namespace lf::rl
