#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

at::Tensor scalar(double v) { return at::scalar_tensor(v, at::kDouble); }

TEST(LossesWeightedSum, SumsConnectedInputsWithTheirWeights) {
  TestNode sum("losses.weighted_sum", {{"weights", {1.0, 5.0, 0.5}}});
  auto loss = sum.run({{"x0", scalar(2.)}, {"x2", scalar(3.)}}).at("loss");
  EXPECT_EQ(loss.dim(), 0);
  EXPECT_DOUBLE_EQ(loss.item<double>(), 2. + 0.5 * 3.);
}

TEST(LossesWeightedSum, DefaultWeightsAreOne) {
  TestNode sum("losses.weighted_sum");
  EXPECT_DOUBLE_EQ(sum.run({{"x1", scalar(2.)}, {"x7", scalar(4.)}}).at("loss").item<double>(), 6.);
}

TEST(LossesWeightedSum, GradientIsTheWeight) {
  TestNode sum("losses.weighted_sum", {{"weights", {2.0, -3.0}}});
  auto a = scalar(1.).requires_grad_(), b = scalar(1.).requires_grad_();
  auto g = torch::autograd::grad({sum.run({{"x0", a}, {"x1", b}}).at("loss")}, {a, b});
  EXPECT_DOUBLE_EQ(g[0].item<double>(), 2.);
  EXPECT_DOUBLE_EQ(g[1].item<double>(), -3.);
}

TEST(LossesWeightedSum, RejectsNoInputsAndMissingWeights) {
  TestNode sum("losses.weighted_sum", {{"weights", {1.0, 1.0}}});
  EXPECT_THROW(sum.run({}), std::invalid_argument);
  EXPECT_THROW(sum.run({{"x3", scalar(1.)}}), std::invalid_argument);
  EXPECT_THROW(TestNode("losses.weighted_sum", {{"weights", std::vector<double>(9, 1.0)}}), std::invalid_argument);
  EXPECT_THROW(TestNode("losses.weighted_sum", {{"weights", "one"}}), std::invalid_argument);
}

}  // namespace
