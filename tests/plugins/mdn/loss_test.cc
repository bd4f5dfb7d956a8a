#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

TEST(MdnLoss, ZeroDimOutputsAndDetachedNll) {
  TestNode loss("mdn.loss");
  auto mu = at::randn({4, 6, 3, 5}).requires_grad_();
  auto out = loss.run({{"logit_pi", at::randn({4, 6, 3, 5})}, {"mu", mu}, {"log_sigma", at::randn({4, 6, 3, 5})},
                       {"target", at::randn({4, 6, 3})}});
  EXPECT_EQ(out.at("loss").dim(), 0);
  EXPECT_EQ(out.at("nll").dim(), 0);
  EXPECT_TRUE(out.at("loss").requires_grad());
  EXPECT_FALSE(out.at("nll").requires_grad());
  EXPECT_DOUBLE_EQ(out.at("loss").item<double>(), out.at("nll").item<double>());  // no optional terms
}

// z = 2, K = 2, one sample, everything written out by hand.
TEST(MdnLoss, NegativeLogLikelihoodAgainstAHandComputedMixture) {
  const double s2pi = std::sqrt(2.0 * M_PI);
  // dim 0: weights softmax([0, ln 3]) = (1/4, 3/4); means (0, 1); stds (1, 2); target 0.5
  const double p0 = 0.25 * std::exp(-0.5 * 0.5 * 0.5) / s2pi +
                    0.75 * std::exp(-0.5 * (0.5 / 2.0) * (0.5 / 2.0)) / (2.0 * s2pi);
  // dim 1: weights softmax([1, 1]) = (1/2, 1/2); means (-1, 2); stds (0.5, 1); target 0
  const double p1 = 0.5 * std::exp(-0.5 * 2.0 * 2.0) / (0.5 * s2pi) + 0.5 * std::exp(-0.5 * 2.0 * 2.0) / s2pi;
  const double want = -(std::log(p0) + std::log(p1)) / 2.0;  // mean over the z dims

  auto t = [](std::vector<double> v) { return at::tensor(v, at::kDouble).view({1, 2, 2}); };
  TestNode loss("mdn.loss");
  auto out = loss.run({{"logit_pi", t({0.0, std::log(3.0), 1.0, 1.0})},
                       {"mu", t({0.0, 1.0, -1.0, 2.0})},
                       {"log_sigma", t({0.0, std::log(2.0), std::log(0.5), 0.0})},
                       {"target", at::tensor(std::vector<double>{0.5, 0.0}, at::kDouble).view({1, 2})}});
  EXPECT_NEAR(out.at("nll").item<double>(), want, 1e-12);
  EXPECT_NEAR(want, 1.98506, 1e-4);  // the number itself, so that a wrong formula above is noticed
}

TEST(MdnLoss, RewardAndDoneTermsByHand) {
  TestNode loss("mdn.loss", {{"reward_weight", 2.0}, {"done_weight", 0.5}, {"done_pos_weight", 10.0}});
  auto z = at::zeros({2, 1, 1}, at::kDouble);
  auto out = loss.run({{"logit_pi", z}, {"mu", z}, {"log_sigma", z}, {"target", at::zeros({2, 1}, at::kDouble)},
                       {"reward_pred", at::tensor(std::vector<double>{1.0, 0.0}, at::kDouble)},
                       {"reward", at::tensor(std::vector<double>{0.0, 0.0}, at::kDouble)},
                       {"done_logit", at::tensor(std::vector<double>{0.0, 2.0}, at::kDouble)},
                       {"done", at::tensor(std::vector<double>{1.0, 0.0}, at::kDouble)}});
  const double nll = 0.5 * std::log(2.0 * M_PI);                                // N(0; 0, 1)
  const double mse = (1.0 + 0.0) / 2.0;
  const double bce = (10.0 * std::log(2.0) + std::log(1.0 + std::exp(2.0))) / 2.0;  // pos weighted x10
  EXPECT_NEAR(out.at("nll").item<double>(), nll, 1e-12);
  EXPECT_NEAR(out.at("loss").item<double>(), nll + 2.0 * mse + 0.5 * bce, 1e-12);
}

TEST(MdnLoss, StableForFarTargetsAndExtremeLogits) {
  TestNode loss("mdn.loss");
  auto logit = at::tensor(std::vector<float>{-1e4f, 1e4f}).view({1, 1, 2});
  auto out = loss.run({{"logit_pi", logit}, {"mu", at::zeros({1, 1, 2})}, {"log_sigma", at::full({1, 1, 2}, -5.0)},
                       {"target", at::full({1, 1}, 1e3)}});
  const double v = out.at("nll").item<double>();
  EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR(v, 0.5 * 1e6 * std::exp(10.0) - 5.0 + 0.5 * std::log(2.0 * M_PI), 1e-3 * 0.5 * 1e6 * std::exp(10.0));
}

TEST(MdnLoss, HalfConnectedPairOrBadShapesAreErrors) {
  TestNode loss("mdn.loss");
  auto m = at::zeros({3, 2, 4});
  EXPECT_THROW(loss.run({{"logit_pi", m}, {"mu", m}, {"log_sigma", m}, {"target", at::zeros({3, 2})},
                         {"reward_pred", at::zeros({3})}}),
               std::invalid_argument);
  EXPECT_THROW(loss.run({{"logit_pi", m}, {"mu", m}, {"log_sigma", m}, {"target", at::zeros({3, 4})}}),
               std::invalid_argument);
  EXPECT_THROW(loss.run({{"logit_pi", m}, {"mu", at::zeros({3, 2, 3})}, {"log_sigma", m}, {"target", at::zeros({3, 2})}}),
               std::invalid_argument);
  EXPECT_THROW(TestNode("mdn.loss", {{"reward_weight", -1.0}}), std::invalid_argument);
}

TEST(MdnLoss, GradientMatchesFiniteDifferences) {
  TestNode loss("mdn.loss", {{"reward_weight", 0.7}, {"done_weight", 1.3}, {"done_pos_weight", 3.0}});
  auto done = at::tensor(std::vector<double>{1, 0, 0, 1, 0, 1}, at::kDouble).view({2, 3});
  auto f = [&](const std::vector<at::Tensor>& in) {
    return loss.run({{"logit_pi", in[0]}, {"mu", in[1]}, {"log_sigma", in[2]}, {"target", in[3]},
                     {"reward_pred", in[4]}, {"reward", in[5]}, {"done_logit", in[6]}, {"done", done}})
        .at("loss");
  };
  auto r = [](at::IntArrayRef s) { return at::randn(s, at::kDouble).requires_grad_(); };
  EXPECT_LT(lf::testing::gradient_error(f, {r({2, 3, 2, 3}), r({2, 3, 2, 3}), (0.3 * at::randn({2, 3, 2, 3}, at::kDouble)).requires_grad_(),
                                            r({2, 3, 2}), r({2, 3}), r({2, 3}), r({2, 3})}),
            1e-6);
}

}  // namespace
