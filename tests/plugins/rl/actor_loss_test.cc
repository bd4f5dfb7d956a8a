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

// REINFORCE: the gradient reaches logp through sg((R - b) / scale) and nothing reaches the returns;
// the entropy term adds entropy * H.
TEST(RlActorLoss, ReinforceAndEntropyTerms) {
  TestNode n("rl.actor_loss", {{"reinforce", 1.0}, {"entropy", 0.1}});
  auto returns = at::tensor({2.0, 4.0}, at::kDouble).view({1, 2}).requires_grad_();
  auto logp = at::tensor({-1.0, -0.5}, at::kDouble).view({1, 2}).requires_grad_();
  auto baseline = at::tensor({1.0, 1.0}, at::kDouble).view({1, 2});
  auto entropy = at::tensor({0.3, 0.7}, at::kDouble).view({1, 2}).requires_grad_();
  auto weight = at::tensor({1.0, 0.5}, at::kDouble).view({1, 2});
  auto scale = at::scalar_tensor(2.0, at::kDouble);
  auto loss = n.run({{"returns", returns}, {"weight", weight}, {"logp", logp}, {"baseline", baseline}, {"scale", scale},
                     {"entropy", entropy}}).at("loss");
  // advantages (2-1)/2 = 0.5 and (4-1)/2 = 1.5
  const double want = -(1.0 * (-1.0 * 0.5 + 0.1 * 0.3) + 0.5 * (-0.5 * 1.5 + 0.1 * 0.7)) / 2;
  EXPECT_NEAR(loss.item<double>(), want, 1e-12);
  auto g = torch::autograd::grad({loss}, {returns, logp, entropy}, {}, false, false, true);
  EXPECT_TRUE(!g[0].defined() || g[0].abs().sum().item<double>() == 0);
  EXPECT_TRUE(at::allclose(g[1], -at::tensor({1.0 * 0.5, 0.5 * 1.5}, at::kDouble).view({1, 2}) / 2, 1e-12, 1e-15));
  EXPECT_TRUE(at::allclose(g[2], -at::tensor({0.1, 0.05}, at::kDouble).view({1, 2}) / 2, 1e-12, 1e-15));
}

// DreamerV2's 'both': mix the dynamics gradient and REINFORCE.
TEST(RlActorLoss, MixesTheTwoGradients) {
  TestNode n("rl.actor_loss", {{"reinforce", 0.25}});
  auto returns = at::tensor({2.0}, at::kDouble).view({1, 1}).requires_grad_();
  auto logp = at::tensor({-1.0}, at::kDouble).view({1, 1}).requires_grad_();
  auto loss = n.run({{"returns", returns}, {"weight", at::ones({1, 1}, at::kDouble)}, {"logp", logp}}).at("loss");
  EXPECT_NEAR(loss.item<double>(), -(0.75 * 2.0 + 0.25 * -1.0 * 2.0), 1e-12);
  auto g = torch::autograd::grad({loss}, {returns, logp});
  EXPECT_NEAR(g[0].item<double>(), -0.75, 1e-12);
  EXPECT_NEAR(g[1].item<double>(), -0.25 * 2.0, 1e-12);
}

// DreamerV3's backprop objective: -mean(w (R - b) / S); the gradient reaches the returns and the
// baseline (w / (S n) each, opposite signs), not the scale. By hand for R = [2, 4], b = [1, 3],
// S = 2, w = [1, 0.5]: -(1 * 0.5 + 0.5 * 0.5) / 2 = -0.375.
TEST(RlActorLoss, DynamicsAdvantageNormalizesAndKeepsTheBaselineGradient) {
  TestNode n("rl.actor_loss", {{"dynamics_advantage", true}});
  auto returns = at::tensor({2.0, 4.0}, at::kDouble).view({1, 2}).requires_grad_();
  auto baseline = at::tensor({1.0, 3.0}, at::kDouble).view({1, 2}).requires_grad_();
  auto scale = at::scalar_tensor(2.0, at::kDouble).requires_grad_();
  auto weight = at::tensor({1.0, 0.5}, at::kDouble).view({1, 2});
  auto loss = n.run({{"returns", returns}, {"baseline", baseline}, {"scale", scale}, {"weight", weight}}).at("loss");
  EXPECT_DOUBLE_EQ(loss.item<double>(), -0.375);
  auto g = torch::autograd::grad({loss}, {returns, baseline, scale}, {}, false, false, /*allow_unused=*/true);
  EXPECT_TRUE(at::allclose(g[0], -weight / 4.0));
  EXPECT_TRUE(at::allclose(g[1], weight / 4.0));
  EXPECT_FALSE(g[2].defined());
  // Without it the dynamics term ignores baseline and scale (Dreamer, DreamerV2).
  TestNode plain("rl.actor_loss");
  EXPECT_DOUBLE_EQ(plain.run({{"returns", returns}, {"baseline", baseline}, {"scale", scale}, {"weight", weight}})
                       .at("loss").item<double>(), -(2.0 + 0.5 * 4.0) / 2);
}

TEST(RlActorLoss, TermsNeedTheirInputs) {
  auto r = at::zeros({1, 2}), w = at::ones({1, 2});
  EXPECT_THROW(TestNode("rl.actor_loss", {{"reinforce", 1.0}}).run({{"returns", r}, {"weight", w}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rl.actor_loss", {{"entropy", 1e-4}}).run({{"returns", r}, {"weight", w}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rl.actor_loss", {{"reinforce", 1.5}}), std::invalid_argument);
}

// rl.bernoulli_mode: 1 where the probability is above 1/2, no gradient.
TEST(RlBernoulliMode, OneWhereTheLogitIsPositive) {
  TestNode n("rl.bernoulli_mode");
  auto logits = at::tensor({-3.0, 0.0, 1e-9, 7.0}, at::kDouble).requires_grad_();
  auto y = n.run({{"logits", logits}}).at("y");
  EXPECT_TRUE(at::equal(y, at::tensor({0.0, 0.0, 1.0, 1.0}, at::kDouble)));
  EXPECT_FALSE(y.requires_grad());
}

}  // namespace
