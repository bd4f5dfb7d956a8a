#include "trunc_normal_actor.h"

#include <ATen/ATen.h>

#include "actor_mlp.h"

namespace lf::rl {
namespace {

class TruncNormalActor final : public Node {
  enum In { kX };
  enum Out { kMean, kStd };
 public:
  explicit TruncNormalActor(const Params& p)
      : net_(actor_mlp(p.i("in_dim"), p.ints("hidden"), p.s("activation"), p.i("action_size"))),
        init_std_(p.f("init_std")),
        min_std_(p.f("min_std")) {}

  void run(CallContext& ctx) override {
    const auto raw = net_->forward(ctx.in(kX)).chunk(2, -1);
    ctx.set(kMean, at::tanh(raw[0]));
    ctx.set(kStd, 2 * at::sigmoid((raw[1] + init_std_) / 2) + min_std_);
  }
  torch::nn::Module* module() override { return net_.get(); }

 private:
  torch::nn::Sequential net_;
  double init_std_, min_std_;
};

}  // namespace

NodeSchema TruncNormalActorSchema() {
  return SchemaBuilder("rl.trunc_normal_actor")
      .category("rl")
      .doc("DreamerV2's continuous action model: MLP -> location tanh(raw) and scale 2 sigmoid(raw / 2) + min_std "
           "of a normal truncated to [-1, 1]")
      .input("x", {"...", "in_dim"}, "features")
      .output("mean", {"...", "action_size"}, "location, tanh(raw)")
      .output("std", {"...", "action_size"}, "scale, 2 sigmoid((raw + init_std) / 2) + min_std")
      .param("in_dim", ParamType::Int, nullptr, "input width", 1)
      .param("action_size", ParamType::Int, nullptr, "action dims", 1)
      .param("hidden", ParamType::IntList, {400, 400, 400, 400}, "hidden layer widths (DreamerV2: 4 x 400)", 1)
      .choice("activation", {"elu", "relu"}, "elu", "hidden activation (DreamerV2: elu)")
      .param("init_std", ParamType::Float, 0.0, "added to the raw scale before the sigmoid")
      .param("min_std", ParamType::Float, 0.1, "added to the scale", 0.0)
      .learns()
      .build();
}

std::unique_ptr<Node> MakeTruncNormalActor(const Params& p, BuildContext&) {
  return std::make_unique<TruncNormalActor>(p);
}

}  // namespace lf::rl
