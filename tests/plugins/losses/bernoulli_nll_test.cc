// losses.bernoulli_nll: the closed form, finite losses at saturated logits, the gradient
// sigmoid(x) - t, weights, and bad shapes.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace bernoulli_nll_test {

using lf::testing::TestNode;

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

TEST(LossesBernoulliNll, MatchesTheClosedForm) {
  TestNode nll("losses.bernoulli_nll");
  auto x = at::tensor({0.5, -2.0}, at::kDouble), t = at::tensor({1.0, 0.0}, at::kDouble);
  const double want = (-std::log(sigmoid(0.5)) - std::log(1 - sigmoid(-2.0))) / 2;
  EXPECT_NEAR(nll.run({{"logits", x}, {"target", t}}).at("loss").item<double>(), want, 1e-12);
  // Soft targets too (a discount of 0.99 as target).
  auto soft = at::tensor({0.99}, at::kDouble);
  const double s = -(0.99 * std::log(sigmoid(0.5)) + 0.01 * std::log(1 - sigmoid(0.5)));
  EXPECT_NEAR(nll.run({{"logits", x.narrow(0, 0, 1)}, {"target", soft}}).at("loss").item<double>(), s, 1e-12);
}

TEST(LossesBernoulliNll, SaturatedLogitsStayFiniteAndTheGradientIsSigmoidMinusTarget) {
  TestNode nll("losses.bernoulli_nll");
  auto x = at::tensor({200.0, -200.0, 0.3}, at::kDouble).requires_grad_();
  auto t = at::tensor({0.0, 1.0, 1.0}, at::kDouble);
  const auto loss = nll.run({{"logits", x}, {"target", t}}).at("loss");
  EXPECT_NEAR(loss.item<double>(), (200.0 + 200.0 - std::log(sigmoid(0.3))) / 3, 1e-9);
  const auto g = torch::autograd::grad({loss}, {x})[0];
  EXPECT_NEAR(g[2].item<double>(), (sigmoid(0.3) - 1.0) / 3, 1e-12);
  EXPECT_NEAR(g[0].item<double>(), 1.0 / 3, 1e-12);
}

TEST(LossesBernoulliNll, WeightsScaleEachElement) {
  TestNode nll("losses.bernoulli_nll");
  auto x = at::tensor({0.5, -2.0}, at::kDouble), t = at::tensor({1.0, 0.0}, at::kDouble);
  auto w = at::tensor({0.0, 2.0}, at::kDouble);
  const double want = 2 * -std::log(1 - sigmoid(-2.0)) / 2;
  EXPECT_NEAR(nll.run({{"logits", x}, {"target", t}, {"weight", w}}).at("loss").item<double>(), want, 1e-12);
  EXPECT_THROW(nll.run({{"logits", x}, {"target", at::zeros({3}, at::kDouble)}}), std::invalid_argument);
}

}  // namespace bernoulli_nll_test
