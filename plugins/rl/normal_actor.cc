#include "normal_actor.h"

#include <ATen/ATen.h>

#include "actor_mlp.h"
#include "latentflow/linear.h"

namespace lf::rl {
namespace {

class NormalActor final : public Node {
  enum In { kX };
  enum Out { kMean, kStd };
 public:
  explicit NormalActor(const Params& p)
      : net_(actor_mlp(p.i("in_dim"), p.ints("hidden"), p.s("activation"), p.i("action_size"), p.b("layer_norm"),
                       lf::compute_of(p))),
        v3_(p.s("std_rule") == "dreamerv3"),
        init_std_(p.f("init_std")),
        min_std_(p.f("min_std")),
        max_std_(p.f("max_std")) {
    if (v3_ && !(max_std_ > min_std_)) throw ParamError("max_std", "rl.normal_actor: max_std must be above min_std");
  }

  void run(CallContext& ctx) override {
    const auto raw = net_->forward(ctx.in(kX)).chunk(2, -1);
    ctx.set(kMean, at::tanh(raw[0]));
    ctx.set(kStd, v3_ ? (max_std_ - min_std_) * at::sigmoid(raw[1] + 2) + min_std_
                      : 2 * at::sigmoid((raw[1] + init_std_) / 2) + min_std_);
  }
  torch::nn::Module* module() override { return net_.get(); }

 private:
  torch::nn::Sequential net_;
  bool v3_;
  double init_std_, min_std_, max_std_;
};

}  // namespace

NodeSchema NormalActorSchema() {
  return SchemaBuilder("rl.normal_actor")
      .category("rl")
      .doc("DreamerV2/V3's continuous action model: MLP -> location tanh(raw) and a sigmoid-bounded scale")
      .input("x", {"...", "in_dim"}, "features")
      .output("mean", {"...", "action_size"}, "location, tanh(raw)")
      .output("std", {"...", "action_size"}, "scale, by std_rule")
      .param("in_dim", ParamType::Int, nullptr, "input width", 1)
      .param("action_size", ParamType::Int, nullptr, "action dims", 1)
      .param("hidden", ParamType::IntList, {400, 400, 400, 400}, "hidden layer widths (DreamerV2: 4 x 400)", 1)
      .choice("activation", {"elu", "relu", "silu"}, "elu", "hidden activation (DreamerV2: elu, DreamerV3: silu)")
      .param("layer_norm", ParamType::Bool, false, "LayerNorm after each hidden linear (DreamerV3)")
      .choice("std_rule", {"dreamerv2", "dreamerv3"}, "dreamerv2",
              "dreamerv2: 2 sigmoid((raw + init_std) / 2) + min_std; dreamerv3: (max - min) sigmoid(raw + 2) + min")
      .param("init_std", ParamType::Float, 0.0, "added to the raw scale before the sigmoid (dreamerv2)")
      .param("min_std", ParamType::Float, 0.1, "lower bound of the scale", 0.0)
      .param("max_std", ParamType::Float, 1.0, "upper bound of the scale (dreamerv3)", 0.0)
      .compute()
      .learns()
      .build();
}

std::unique_ptr<Node> MakeNormalActor(const Params& p, BuildContext&) { return std::make_unique<NormalActor>(p); }

}  // namespace lf::rl
