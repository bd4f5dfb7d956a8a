// TD-MPC2's discrete regression (plugins/rl/two_hot.h) and rl.two_hot_decode: symlog/symexp are
// inverses, a two-hot vector holds a scalar exactly and decodes back to it, the cross-entropy's
// gradient is softmax minus the two-hot target.
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
  EXPECT_TRUE(at::allclose(lf::rl::symexp(lf::rl::symlog(x)), x, 1e-12, 1e-12));
  EXPECT_NEAR(lf::rl::symlog(at::tensor({std::exp(2.0) - 1}, at::kDouble)).item<double>(), 2.0, 1e-12);
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

}  // namespace two_hot_test
