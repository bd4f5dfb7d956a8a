#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

// -mean(w * R) = -(1*2 + 0.5*4 + 0.25*(-8) + 1*1 + 0.5*0 + 0.25*6) / 6 = -4.5 / 6
TEST(RlActorLoss, IsTheNegatedWeightedMeanReturn) {
  TestNode n("rl.actor_loss");
  auto returns = at::tensor({2.0, 4.0, -8.0, 1.0, 0.0, 6.0}, at::kDouble).view({2, 3});
  auto weight = at::tensor({1.0, 0.5, 0.25}, at::kDouble).repeat({2, 1});
  auto loss = n.run({{"returns", returns}, {"weight", weight}}).at("loss");
  EXPECT_EQ(loss.dim(), 0);
  EXPECT_DOUBLE_EQ(loss.item<double>(), -0.75);
}

TEST(RlActorLoss, GradientReachesTheReturnsOnly) {
  TestNode n("rl.actor_loss");
  auto returns = at::randn({4, 5}, at::kDouble).requires_grad_();
  auto weight = at::rand({4, 5}, at::kDouble).requires_grad_();
  auto loss = n.run({{"returns", returns}, {"weight", weight}}).at("loss");
  auto g = torch::autograd::grad({loss}, {returns, weight}, {}, false, false, /*allow_unused=*/true);
  EXPECT_TRUE(at::allclose(g[0], -weight.detach() / 20.0, 1e-12, 1e-15));
  EXPECT_FALSE(g[1].defined());
}

}  // namespace
