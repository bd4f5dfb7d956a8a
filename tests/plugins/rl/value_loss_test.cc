#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

// mean(w * (0.5 (target - value)^2 + 0.5 log 2 pi)) with errors [1, 2, 0, -4], weights [1, 0.5, 1, 0.25]:
// (1 * 0.5 + 0.5 * 2 + 0 + 0.25 * 8) / 4 + mean(w) * 0.5 log 2 pi = 0.875 + 0.6875 * 0.5 log 2 pi
TEST(RlValueLoss, IsTheWeightedUnitGaussianNll) {
  TestNode n("rl.value_loss");
  auto value = at::tensor({0.0, 1.0, 2.0, 3.0}, at::kDouble).view({2, 2});
  auto target = at::tensor({1.0, 3.0, 2.0, -1.0}, at::kDouble).view({2, 2});
  auto weight = at::tensor({1.0, 0.5, 1.0, 0.25}, at::kDouble).view({2, 2});
  auto loss = n.run({{"value", value}, {"target", target}, {"weight", weight}}).at("loss");
  EXPECT_EQ(loss.dim(), 0);
  EXPECT_NEAR(loss.item<double>(), 0.875 + 0.6875 * 0.5 * std::log(2 * M_PI), 1e-12);
  // a perfect prediction leaves the constant of the log-density
  loss = n.run({{"value", target}, {"target", target}, {"weight", weight}}).at("loss");
  EXPECT_NEAR(loss.item<double>(), 0.6875 * 0.5 * std::log(2 * M_PI), 1e-12);
}

TEST(RlValueLoss, GradientReachesTheValueOnly) {
  TestNode n("rl.value_loss");
  auto value = at::randn({3, 4}, at::kDouble).requires_grad_();
  auto target = at::randn({3, 4}, at::kDouble).requires_grad_();
  auto weight = at::rand({3, 4}, at::kDouble).requires_grad_();
  auto loss = n.run({{"value", value}, {"target", target}, {"weight", weight}}).at("loss");
  auto g = torch::autograd::grad({loss}, {value, target, weight}, {}, false, false, /*allow_unused=*/true);
  EXPECT_TRUE(at::allclose(g[0], -weight.detach() * (target.detach() - value.detach()) / 12.0, 1e-12, 1e-15));
  EXPECT_FALSE(g[1].defined());
  EXPECT_FALSE(g[2].defined());
}

}  // namespace
