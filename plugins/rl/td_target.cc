#include "td_target.h"

#include <ATen/ATen.h>

namespace lf::rl {
namespace {

class TdTarget final : public Node {
  enum In { kReward, kQ1, kQ2 };
  enum Out { kTarget };

 public:
  explicit TdTarget(double discount) : discount_(discount) {}
  void run(CallContext& ctx) override {
    at::NoGradGuard no_grad;
    const auto next = ctx.has(kQ2) ? at::minimum(ctx.in(kQ1), ctx.in(kQ2)) : ctx.in(kQ1);
    ctx.set(kTarget, ctx.in(kReward) + discount_ * next);
  }

 private:
  double discount_;
};

}  // namespace

NodeSchema TdTargetSchema() {
  return SchemaBuilder("rl.td_target")
      .category("rl")
      .doc("TD target reward + discount * min(q1, q2) (or q1 alone), without gradient")
      .input("reward", {"..."}, "the step's reward")
      .input("q1", {"..."}, "first target Q at the next state")
      .optional_input("q2", {"..."}, "second target Q at the next state (unconnected: q1 is the value)")
      .output("target", {"..."}, "detached")
      .param("discount", ParamType::Float, 0.99, "discount of the next state's value", 0.0, 1.0)
      .build();
}

std::unique_ptr<Node> MakeTdTarget(const Params& p, BuildContext&) { return std::make_unique<TdTarget>(p.f("discount")); }

}  // namespace lf::rl
