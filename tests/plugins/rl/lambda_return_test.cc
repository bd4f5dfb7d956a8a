#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

at::Tensor rows(std::vector<std::vector<double>> v) {
  std::vector<at::Tensor> r;
  for (const auto& row : v) r.push_back(at::tensor(row, at::kDouble));
  return at::stack(r);
}

// H = 4, gamma = lambda = 0.5, by hand (r_3 is never used):
//   R_3 = v_3 = 40
//   R_2 = 3 + 0.5 (0.5 * 40 + 0.5 * 40)    = 23
//   R_1 = 2 + 0.5 (0.5 * 30 + 0.5 * 23)    = 15.25
//   R_0 = 1 + 0.5 (0.5 * 20 + 0.5 * 15.25) = 9.8125
// and for r = 0, v = 1: R_2 = 0.5, R_1 = 0.375, R_0 = 0.34375.
TEST(RlLambdaReturn, HandComputedExample) {
  TestNode n("rl.lambda_return", {{"gamma", 0.5}, {"lambda", 0.5}});
  auto out = n.run({{"reward", rows({{1, 2, 3, 4}, {0, 0, 0, 0}})}, {"value", rows({{10, 20, 30, 40}, {1, 1, 1, 1}})}});
  EXPECT_TRUE(at::allclose(out.at("returns"), rows({{9.8125, 15.25, 23}, {0.34375, 0.375, 0.5}}), 0, 1e-12));
  EXPECT_TRUE(at::allclose(out.at("weight"), rows({{1, 0.5, 0.25}, {1, 0.5, 0.25}}), 0, 1e-12));
}

// DreamerV3's convention, by hand: H = 4, gamma = lambda = 0.5, rewards of the next state
// (r_0 is never used), continuations c = [1, 1, 0.5, 1]:
//   d = gamma * [c_1, c_2, c_3] = [0.5, 0.25, 0.5]
//   R_3 = 40
//   R_2 = r_3 + d_2 (0.5 * 40 + 0.5 * 40)       = 4 + 0.5 * 40     = 24
//   R_1 = r_2 + d_1 (0.5 * 30 + 0.5 * 24)       = 3 + 0.25 * 27    = 9.75
//   R_0 = r_1 + d_0 (0.5 * 20 + 0.5 * 9.75)     = 2 + 0.5 * 14.875 = 9.4375
//   weight = [1, d_0, d_0 d_1] = [1, 0.5, 0.125]
TEST(RlLambdaReturn, RewardsOfTheNextStateAndContinuations) {
  TestNode n("rl.lambda_return", {{"gamma", 0.5}, {"lambda", 0.5}, {"reward_at", "next"}});
  auto out = n.run({{"reward", rows({{100, 2, 3, 4}})}, {"value", rows({{10, 20, 30, 40}})}, {"cont", rows({{1, 1, 0.5, 1}})}});
  EXPECT_TRUE(at::allclose(out.at("returns"), rows({{9.4375, 9.75, 24}}), 0, 1e-12));
  EXPECT_TRUE(at::allclose(out.at("weight"), rows({{1, 0.5, 0.125}}), 0, 1e-12));
  // Without cont: d_t = gamma, weight gamma^t.
  auto plain = n.run({{"reward", rows({{100, 2, 3, 4}})}, {"value", rows({{10, 20, 30, 40}})}});
  EXPECT_TRUE(at::allclose(plain.at("returns").select(1, 2), at::full({1}, 4 + 0.5 * 40, at::kDouble)));
  EXPECT_TRUE(at::allclose(plain.at("weight"), rows({{1, 0.5, 0.25}}), 0, 1e-12));
  // With "state" the continuation of the step itself discounts: d = 0.5 * [1, 1, 0.5].
  TestNode state("rl.lambda_return", {{"gamma", 0.5}, {"lambda", 0.5}});
  auto s = state.run({{"reward", rows({{1, 2, 3, 4}})}, {"value", rows({{10, 20, 30, 40}})}, {"cont", rows({{1, 1, 0.5, 1}})}});
  EXPECT_TRUE(at::allclose(s.at("returns").select(1, 2), at::full({1}, 3 + 0.25 * 40, at::kDouble)));
  EXPECT_TRUE(at::allclose(s.at("weight"), rows({{1, 0.5, 0.25}}), 0, 1e-12));
}

// lambda = 1: the discounted Monte Carlo return, bootstrapped with the last value,
//   R_t = sum_{k=t}^{H-2} gamma^(k-t) r_k + gamma^(H-1-t) v_{H-1};
// by hand for the example above: R = [7.75, 13.5, 23].
TEST(RlLambdaReturn, LambdaOneIsTheBootstrappedMonteCarloReturn) {
  TestNode half("rl.lambda_return", {{"gamma", 0.5}, {"lambda", 1.0}});
  auto out = half.run({{"reward", rows({{1, 2, 3, 4}})}, {"value", rows({{10, 20, 30, 40}})}});
  EXPECT_TRUE(at::allclose(out.at("returns"), rows({{7.75, 13.5, 23}}), 0, 1e-12));

  const double g = 0.9;
  const int64_t h = 7;
  TestNode n("rl.lambda_return", {{"gamma", g}, {"lambda", 1.0}});
  auto r = at::randn({3, h}, at::kDouble), v = at::randn({3, h}, at::kDouble);
  auto got = n.run({{"reward", r}, {"value", v}}).at("returns");
  ASSERT_EQ(got.sizes(), (Sizes{3, h - 1}));
  for (int64_t t = 0; t < h - 1; ++t) {
    auto want = std::pow(g, h - 1 - t) * v.select(1, h - 1);
    for (int64_t k = t; k < h - 1; ++k) want = want + std::pow(g, k - t) * r.select(1, k);
    EXPECT_TRUE(at::allclose(got.select(1, t), want, 1e-12, 1e-12)) << "t = " << t;
  }
}

// lambda = 0: one-step TD targets r_t + gamma v_{t+1}; [11, 17, 23] for the example.
TEST(RlLambdaReturn, LambdaZeroIsTheOneStepTarget) {
  TestNode n("rl.lambda_return", {{"gamma", 0.5}, {"lambda", 0.0}});
  auto out = n.run({{"reward", rows({{1, 2, 3, 4}})}, {"value", rows({{10, 20, 30, 40}})}});
  EXPECT_TRUE(at::allclose(out.at("returns"), rows({{11, 17, 23}}), 0, 1e-12));
}

TEST(RlLambdaReturn, DefaultsAndWeights) {
  TestNode n("rl.lambda_return");  // gamma 0.99, lambda 0.95
  const int64_t h = 15;
  auto out = n.run({{"reward", at::randn({5, h})}, {"value", at::randn({5, h})}});
  ASSERT_EQ(out.at("returns").sizes(), (Sizes{5, h - 1}));
  ASSERT_EQ(out.at("weight").sizes(), (Sizes{5, h - 1}));
  for (int64_t t = 0; t < h - 1; ++t)
    EXPECT_NEAR(out.at("weight")[4][t].item<double>(), std::pow(0.99, t), 1e-6) << t;
}

TEST(RlLambdaReturn, GradientsFlowToRewardAndValueButNotToWeight) {
  TestNode n("rl.lambda_return");
  auto r = at::randn({2, 5}, at::kDouble).requires_grad_(), v = at::randn({2, 5}, at::kDouble).requires_grad_();
  auto f = [&](const std::vector<at::Tensor>& in) { return n.run({{"reward", in[0]}, {"value", in[1]}}).at("returns"); };
  EXPECT_LT(lf::testing::gradient_error(f, {r, v}), 1e-8);
  auto out = n.run({{"reward", r}, {"value", v}});
  EXPECT_FALSE(out.at("weight").requires_grad());
  auto g = torch::autograd::grad({out.at("returns").sum()}, {r, v});
  EXPECT_EQ(g[0].select(1, 4).abs().max().item<double>(), 0.0);  // the last reward is never used
  EXPECT_GT(g[0].narrow(1, 0, 4).abs().min().item<double>(), 0.0);
  // the targets use v_1 .. v_{H-1}; v_0 is only the prediction the value loss regresses
  EXPECT_EQ(g[1].select(1, 0).abs().max().item<double>(), 0.0);
  EXPECT_GT(g[1].narrow(1, 1, 4).abs().min().item<double>(), 0.0);
}

TEST(RlLambdaReturn, RejectsBadParamsAndAHorizonOfOne) {
  EXPECT_THROW(TestNode("rl.lambda_return", {{"gamma", 1.5}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rl.lambda_return", {{"lambda", -0.1}}), std::invalid_argument);
  TestNode n("rl.lambda_return");
  EXPECT_THROW(n.run({{"reward", at::zeros({2, 1})}, {"value", at::zeros({2, 1})}}), std::invalid_argument);
}

}  // namespace
