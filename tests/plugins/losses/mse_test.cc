#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

TEST(LossesMse, SumsEventsAndAveragesLeadingDims) {
  auto pred = at::tensor({1., 2., 3., 4., 5., 6.}, at::kDouble).view({2, 3});
  auto target = at::zeros({2, 3}, at::kDouble);
  // squares: [1 4 9 | 16 25 36]; per row 14, 77
  auto run = [&](int event_dims) {
    TestNode mse("losses.mse", {{"event_dims", event_dims}});
    auto loss = mse.run({{"pred", pred}, {"target", target}}).at("loss");
    EXPECT_EQ(loss.dim(), 0);
    return loss.item<double>();
  };
  EXPECT_DOUBLE_EQ(run(1), (14. + 77.) / 2);
  EXPECT_DOUBLE_EQ(run(0), 91. / 6);
  EXPECT_DOUBLE_EQ(run(2), 91.);
}

// DreamerV3's symlog squared error: the target squashed by sign(x) ln(1 + |x|).
TEST(LossesMse, SymlogSquashesTheTarget) {
  TestNode mse("losses.mse", {{"symlog", true}});
  auto target = at::tensor({-100., 0., 3.}, at::kDouble).view({1, 3}), pred = at::zeros({1, 3}, at::kDouble);
  const double want = std::pow(std::log(101.), 2) + 0 + std::pow(std::log(4.), 2);
  EXPECT_NEAR(mse.run({{"pred", pred}, {"target", target}}).at("loss").item<double>(), want, 1e-12);
  // A prediction at symlog(target) costs nothing.
  auto exact = at::tensor({-std::log(101.), 0., std::log(4.)}, at::kDouble).view({1, 3});
  EXPECT_NEAR(mse.run({{"pred", exact}, {"target", target}}).at("loss").item<double>(), 0.0, 1e-24);
}

TEST(LossesMse, RejectsInvalidParamsAndTooFewDims) {
  EXPECT_THROW(TestNode("losses.mse", {{"event_dims", -1}}), std::invalid_argument);
  TestNode mse("losses.mse", {{"event_dims", 3}});
  EXPECT_THROW(mse.run({{"pred", at::zeros({2, 3})}, {"target", at::zeros({2, 3})}}), std::invalid_argument);
}

TEST(LossesMse, GradientMatchesFiniteDifferences) {
  TestNode mse("losses.mse");
  auto f = [&](const std::vector<at::Tensor>& in) { return mse.run({{"pred", in[0]}, {"target", in[1]}}).at("loss"); };
  EXPECT_LT(lf::testing::gradient_error(f, {at::randn({4, 3}, at::kDouble).requires_grad_(),
                                            at::randn({4, 3}, at::kDouble).requires_grad_()}),
            1e-6);
}

}  // namespace
