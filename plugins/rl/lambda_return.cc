#include "lambda_return.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace lf::rl {
namespace {

class LambdaReturn final : public Node {
  enum In { kReward, kValue };
  enum Out { kReturns, kWeight };
 public:
  explicit LambdaReturn(const Params& p) : gamma_(p.f("gamma")), lambda_(p.f("lambda")) {}

  void run(CallContext& ctx) override {
    const auto &reward = ctx.in(kReward), &value = ctx.in(kValue);
    const int64_t h = reward.size(1);
    if (h < 2)
      throw std::invalid_argument("rl.lambda_return: the horizon (axis 1) is " + std::to_string(h) +
                                  ": at least 2 steps are needed, the last one only bootstraps");
    std::vector<at::Tensor> returns(static_cast<size_t>(h - 1));
    at::Tensor next = value.select(1, h - 1);  // R_{H-1} := v_{H-1}
    for (int64_t t = h - 2; t >= 0; --t) {
      next = reward.select(1, t) + gamma_ * ((1 - lambda_) * value.select(1, t + 1) + lambda_ * next);
      returns[static_cast<size_t>(t)] = next;
    }
    auto powers = at::arange(h - 1, reward.options().requires_grad(false));
    auto weight = at::pow(gamma_, powers).unsqueeze(0).expand({reward.size(0), h - 1});
    ctx.set(kReturns, at::stack(returns, 1));
    ctx.set(kWeight, weight);
  }

 private:
  double gamma_, lambda_;
};

}  // namespace

NodeSchema LambdaReturnSchema() {
  return SchemaBuilder("rl.lambda_return")
      .category("rl")
      .doc("TD(lambda) returns over an imagined horizon, bootstrapped from the last value, and gamma^t weights")
      .input("reward", {"B", "H"}, "rewards at the imagined states 0..H-1")
      .input("value", {"B", "H"}, "values at the imagined states 0..H-1")
      .output("returns", {"B", "*"}, "[B, H-1] lambda-returns R_0..R_{H-2}")
      .output("weight", {"B", "*"}, "[B, H-1] gamma^t, no gradient")
      .param("gamma", ParamType::Float, 0.99, "discount (Dreamer: discount 0.99)", 0.0, 1.0)
      .param("lambda", ParamType::Float, 0.95, "TD(lambda) mixing (Dreamer: disclam 0.95)", 0.0, 1.0)
      .build();
}

std::unique_ptr<Node> MakeLambdaReturn(const Params& p, BuildContext&) {
  return std::make_unique<LambdaReturn>(p);
}

}  // namespace lf::rl
