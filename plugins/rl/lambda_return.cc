#include "lambda_return.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "powers.h"

namespace lf::rl {
namespace {

class LambdaReturn final : public Node {
  enum In { kReward, kValue, kCont };
  enum Out { kReturns, kWeight };
 public:
  explicit LambdaReturn(const Params& p)
      : gamma_(p.f("gamma")), lambda_(p.f("lambda")), next_(p.s("reward_at") == "next") {}

  void run(CallContext& ctx) override {
    const auto &reward = ctx.in(kReward), &value = ctx.in(kValue);
    const int64_t h = reward.size(1);
    if (h < 2)
      throw std::invalid_argument("rl.lambda_return: the horizon (axis 1) is " + std::to_string(h) +
                                  ": at least 2 steps are needed, the last one only bootstraps");
    // d_t, the discount from step t to t + 1: gamma, times the continuation of the step whose
    // reward R_t adds (t, or t + 1 with rewards of the next state).
    const int64_t shift = next_ ? 1 : 0;
    at::Tensor discount = ctx.has(kCont) ? gamma_ * ctx.in(kCont).narrow(1, shift, h - 1).detach()
                                         : at::full({reward.size(0), h - 1}, gamma_, reward.options().requires_grad(false));
    std::vector<at::Tensor> returns(static_cast<size_t>(h - 1));
    at::Tensor next = value.select(1, h - 1);  // R_{H-1} := v_{H-1}
    for (int64_t t = h - 2; t >= 0; --t) {
      next = reward.select(1, t + shift) +
             discount.select(1, t) * ((1 - lambda_) * value.select(1, t + 1) + lambda_ * next);
      returns[static_cast<size_t>(t)] = next;
    }
    // w_t = d_0 ... d_{t-1}: the probability-weighted discount of reaching step t (gamma^t exactly
    // without continuations).
    const auto weight =
        ctx.has(kCont)
            ? at::cat({at::ones_like(discount.narrow(1, 0, 1)), discount.narrow(1, 0, h - 2)}, 1).cumprod(1)
            : powers(gamma_, h - 1, reward).unsqueeze(0).expand({reward.size(0), h - 1});
    ctx.set(kReturns, at::stack(returns, 1));
    ctx.set(kWeight, weight);
  }

 private:
  double gamma_, lambda_;
  bool next_;
};

}  // namespace

NodeSchema LambdaReturnSchema() {
  return SchemaBuilder("rl.lambda_return")
      .category("rl")
      .doc("TD(lambda) returns over an imagined horizon, bootstrapped from the last value, and gamma^t weights")
      .input("reward", {"B", "H"}, "rewards at the imagined states 0..H-1")
      .input("value", {"B", "H"}, "values at the imagined states 0..H-1")
      .optional_input("cont", {"B", "H"}, "continuation flags or probabilities of the states (1 where unconnected)")
      .output("returns", {"B", "*"}, "[B, H-1] lambda-returns R_0..R_{H-2}")
      .output("weight", {"B", "*"}, "[B, H-1] d_0 ... d_{t-1} (gamma^t without cont), no gradient")
      .param("gamma", ParamType::Float, 0.99, "discount (Dreamer: discount 0.99)", 0.0, 1.0)
      .param("lambda", ParamType::Float, 0.95, "TD(lambda) mixing (Dreamer: disclam 0.95)", 0.0, 1.0)
      .choice("reward_at", {"state", "next"}, "state",
              "state: R_t adds r_t (Dreamer, DreamerV2); next: R_t adds r_{t+1}, the reward of the state reached (DreamerV3)")
      .build();
}

std::unique_ptr<Node> MakeLambdaReturn(const Params& p, BuildContext&) {
  return std::make_unique<LambdaReturn>(p);
}

}  // namespace lf::rl
