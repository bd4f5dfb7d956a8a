#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

double nll(double x, double m, double s) {
  return 0.5 * std::pow((x - m) / s, 2) + std::log(s) + 0.5 * std::log(2 * M_PI);
}

TEST(LossesGaussianNll, MatchesFormulaWithStdInput) {
  TestNode node("losses.gaussian_nll");
  auto mean = at::tensor({0., 1., 2., -1.}, at::kDouble).view({2, 2});
  auto target = at::tensor({0.5, 1., 0., 1.}, at::kDouble).view({2, 2});
  auto std = at::tensor({1., 2., 0.5, 3.}, at::kDouble).view({2, 2});
  auto loss = node.run({{"mean", mean}, {"target", target}, {"std", std}}).at("loss");
  double want = (nll(0.5, 0, 1) + nll(1, 1, 2) + nll(0, 2, 0.5) + nll(1, -1, 3)) / 2;
  EXPECT_EQ(loss.dim(), 0);
  EXPECT_NEAR(loss.item<double>(), want, 1e-12);
}

TEST(LossesGaussianNll, UsesStdParamWhenStdIsUnconnected) {
  TestNode node("losses.gaussian_nll", {{"std", 2.0}, {"event_dims", 0}});
  auto loss = node.run({{"mean", at::tensor({1., 3.}, at::kDouble)}, {"target", at::tensor({0., 0.}, at::kDouble)}})
                  .at("loss");
  EXPECT_NEAR(loss.item<double>(), (nll(0, 1, 2) + nll(0, 3, 2)) / 2, 1e-12);
}

TEST(LossesGaussianNll, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("losses.gaussian_nll", {{"std", 0.0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("losses.gaussian_nll", {{"event_dims", -2}}), std::invalid_argument);
}

TEST(LossesGaussianNll, GradientMatchesFiniteDifferences) {
  TestNode node("losses.gaussian_nll", {{"event_dims", 2}});
  auto f = [&](const std::vector<at::Tensor>& in) {
    return node.run({{"mean", in[0]}, {"target", in[1]}, {"std", in[2].exp()}}).at("loss");
  };
  auto r = [](at::IntArrayRef s) { return at::randn(s, at::kDouble).requires_grad_(); };
  EXPECT_LT(lf::testing::gradient_error(
                f, {r({3, 2, 2}), r({3, 2, 2}), r({3, 2, 2})}),
            1e-6);
}

}  // namespace
