#include <gtest/gtest.h>

#include <string>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace truncated_normal_test {

using lf::testing::error_of;
using lf::testing::TestNode;

TEST(RlTruncatedNormal, NoiseIsClippedAndActionsStayInsideTheBounds) {
  TestNode pi_noise("rl.truncated_normal", {{"std", 1.0}, {"clip", 0.3}});
  const auto mean = at::linspace(-1, 1, 2001).view({-1, 1}).expand({2001, 4}).contiguous();
  const auto a = pi_noise.run({{"mean", mean}}).at("action");
  const auto noise = a - mean;
  // away from the bounds the noise is the clipped Gaussian: within 0.3, and at std 1 mostly at +-0.3
  const auto inner = (mean.abs() < 0.6);
  EXPECT_LE(noise.masked_select(inner).abs().max().item<double>(), 0.3 + 1e-6);
  EXPECT_GT((noise.masked_select(inner).abs() > 0.2999).to(at::kDouble).mean().item<double>(), 0.7);
  EXPECT_LT(a.max().item<double>(), 1.0);
  EXPECT_GT(a.min().item<double>(), -1.0);
  EXPECT_NEAR(a.max().item<double>(), 1 - 1e-6, 1e-7);
}

TEST(RlTruncatedNormal, GradientIsTheIdentityInTheMeanEvenWhereClamped) {
  TestNode pi_noise("rl.truncated_normal", {{"std", 0.05}});
  const auto mean = at::tensor({-0.99f, 0.0f, 0.5f, 0.999f}).view({2, 2}).requires_grad_();
  const auto a = pi_noise.run({{"mean", mean}}).at("action");
  const auto g = torch::autograd::grad({(a * at::tensor({1.f, 2.f, 3.f, 4.f}).view({2, 2})).sum()}, {mean});
  EXPECT_TRUE(at::equal(g[0], at::tensor({1.f, 2.f, 3.f, 4.f}).view({2, 2})));
}

TEST(RlTruncatedNormal, ZeroStdIsTheMeanAndTheGeneratorIsCheckpointed) {
  TestNode plain("rl.truncated_normal", {{"std", 0.0}});
  const auto mean = at::tensor({0.2f, -0.4f});
  EXPECT_TRUE(at::equal(plain.run({{"mean", mean}}).at("action"), mean));
  TestNode a("rl.truncated_normal", {}, {}, 5);
  a.run({{"mean", mean}});
  lf::TensorDict state;
  a.node().save_state(state);
  const auto next = a.run({{"mean", mean}}).at("action");
  TestNode b("rl.truncated_normal", {}, {}, 6);
  b.node().load_state(state);
  EXPECT_TRUE(at::equal(next, b.run({{"mean", mean}}).at("action")));
  EXPECT_FALSE(at::equal(next, mean));
  EXPECT_NE(error_of([] { TestNode("rl.truncated_normal", {{"low", 1.0}, {"high", 1.0}}); }).find("low must be below high"),
            std::string::npos);
}

}  // namespace truncated_normal_test
