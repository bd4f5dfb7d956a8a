// Discrete regression (plugins/rl/two_hot.h), rl.two_hot_decode and rl.two_hot_loss: symlog/symexp
// are inverses, a two-hot vector holds a scalar exactly and decodes back to it (TD-MPC2's symlog
// bins and DreamerV3's symexp bins), the cross-entropy's gradient is softmax minus the two-hot
// target.
#include <gtest/gtest.h>

#include <cmath>

#include <ATen/ATen.h>

#include "two_hot.h"
#include "support/node_harness.h"

namespace two_hot_test {

using lf::rl::TwoHotBins;
using lf::testing::error_of;
using lf::testing::TestNode;

TEST(TwoHot, SymlogAndSymexpAreInverses) {
  const auto x = at::tensor({-1000.0, -3.5, -1e-3, 0.0, 2e-4, 1.0, 77.0}, at::kDouble);
  EXPECT_TRUE(at::allclose(lf::symexp(lf::symlog(x)), x, 1e-12, 1e-12));
  EXPECT_NEAR(lf::symlog(at::tensor({std::exp(2.0) - 1}, at::kDouble)).item<double>(), 2.0, 1e-12);
}

// 5 bins over [-2, 2] in symlog space: centres -2, -1, 0, 1, 2.
TEST(TwoHot, SpreadsTheSymlogOverTheTwoNeighbouringBins) {
  const TwoHotBins b{5, -2.0, 2.0};
  const auto x = at::tensor({std::expm1(0.25), -std::expm1(1.5), 0.0, std::expm1(9.0)}, at::kDouble);
  const auto t = lf::rl::two_hot(x, b);
  const auto expected = at::tensor({0.0, 0.0, 0.75, 0.25, 0.0,    // 0.25: a quarter of the way to 1
                                    0.5, 0.5, 0.0, 0.0, 0.0,      // -1.5: halfway between -2 and -1
                                    0.0, 0.0, 1.0, 0.0, 0.0,      // 0: the centre bin
                                    0.0, 0.0, 0.0, 0.0, 1.0},     // 9 clamps to the top bin
                                   at::kDouble).view({4, 5});
  EXPECT_TRUE(at::allclose(t, expected, 1e-12, 1e-12)) << t;
}

TEST(TwoHot, DecodingTheTwoHotOfAValueGivesTheValue) {
  const TwoHotBins b{101, -10.0, 10.0};
  const auto x = at::tensor({-500.0, -2.7, -0.01, 0.0, 0.3, 12.0, 4000.0}, at::kDouble);
  // log of the two-hot as logits: the softmax is the two-hot itself (exp(log 0) = 0)
  const auto back = lf::rl::two_hot_decode(lf::rl::two_hot(x, b).log(), b);
  EXPECT_TRUE(at::allclose(back, x, 1e-9, 1e-9)) << back;
  TestNode node("rl.two_hot_decode");
  const auto y = node.run({{"logits", lf::rl::two_hot(x.to(at::kFloat), b).log()}}).at("y");
  EXPECT_TRUE(at::allclose(y, x.to(at::kFloat), 1e-4, 1e-3)) << y;
}

TEST(TwoHot, CrossEntropyGradientIsSoftmaxMinusTarget) {
  const TwoHotBins b{7, -3.0, 3.0};
  const auto logits = at::randn({4, 7}, at::kDouble).requires_grad_(true);
  const auto target = at::tensor({-4.0, 0.2, 1.5, 30.0}, at::kDouble);
  lf::rl::two_hot_cross_entropy(logits, target, b).sum().backward();
  const auto expected = logits.detach().softmax(-1) - lf::rl::two_hot(target, b);
  EXPECT_TRUE(at::allclose(logits.grad(), expected, 1e-12, 1e-12));
}

TEST(TwoHot, DecodeRejectsTheWrongBinCount) {
  TestNode node("rl.two_hot_decode", {{"bins", 5}});
  EXPECT_NE(error_of([&] { node.run({{"logits", at::zeros({2, 4})}}); }).find("must be [..., 5], got [2, 4]"),
            std::string::npos);
}

// DreamerV3's bins: symexp(linspace(-2, 2, 5)) = -(e^2 - 1), -(e - 1), 0, e - 1, e^2 - 1, with
// the two-hot weights by distance in the untransformed space.
TEST(TwoHot, SymexpSpacingIsDreamerV3s) {
  const TwoHotBins b{5, -2.0, 2.0, true};
  const double e1 = std::expm1(1.0), e2 = std::expm1(2.0);
  const auto x = at::tensor({e1 / 4, -(e1 + e2) / 2, 0.0, 100.0, -e1}, at::kDouble);
  const auto expected = at::tensor({0.0, 0.0, 0.75, 0.25, 0.0,    // a quarter of the way to e - 1
                                    0.5, 0.5, 0.0, 0.0, 0.0,      // halfway between the two lowest
                                    0.0, 0.0, 1.0, 0.0, 0.0,      // 0: the centre bin
                                    0.0, 0.0, 0.0, 0.0, 1.0,      // beyond the top: the top bin
                                    0.0, 1.0, 0.0, 0.0, 0.0},     // on a bin: that bin
                                   at::kDouble).view({5, 5});
  const auto t = lf::rl::two_hot(x, b);
  EXPECT_TRUE(at::allclose(t, expected, 1e-12, 1e-12)) << t;
  // Decoding a two-hot (as logits: log of it, with zeros as -inf) gives the value back inside the range.
  const auto inside = x.narrow(0, 0, 3);
  EXPECT_TRUE(at::allclose(lf::rl::two_hot_decode(t.narrow(0, 0, 3).log(), b), inside, 1e-9, 1e-12));
  // DreamerV3's 255 bins: exactly symmetric, so uniform logits decode to exactly 0.
  const TwoHotBins v3{255, -20.0, 20.0, true};
  EXPECT_EQ(lf::rl::two_hot_decode(at::zeros({3, 255}), v3).abs().max().item<float>(), 0.0f);
  EXPECT_NEAR(lf::rl::two_hot_decode(at::full({1, 255}, -1e9, at::kDouble).index_put_({0, 254}, 0.0), v3).item<double>(),
              std::expm1(20.0), 1e-3);
}

TEST(TwoHotLoss, IsTheCrossEntropyOfTheTwoHotTargetWeighted) {
  TestNode loss("rl.two_hot_loss", {{"bins", 5}, {"low", -2.0}, {"high", 2.0}});
  const auto logits = at::randn({2, 3, 5}, at::kDouble), target = at::randn({2, 3}, at::kDouble);
  const TwoHotBins b{5, -2.0, 2.0, true};
  const auto ce = -(lf::rl::two_hot(target, b) * logits.log_softmax(-1)).sum(-1);
  EXPECT_NEAR(loss.run({{"logits", logits}, {"target", target}}).at("loss").item<double>(), ce.mean().item<double>(), 1e-12);
  const auto w = at::rand({2, 3}, at::kDouble);
  EXPECT_NEAR(loss.run({{"logits", logits}, {"target", target}, {"weight", w}}).at("loss").item<double>(),
              (ce * w).mean().item<double>(), 1e-12);
  EXPECT_NE(error_of([&] { loss.run({{"logits", at::zeros({2, 3, 4})}, {"target", target}}); }).find("[2, 3, 5]"),
            std::string::npos);
}

}  // namespace two_hot_test
