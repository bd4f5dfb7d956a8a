#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

// Layout of one row (in_dim 2, action_size 2): [b0, b1, W00, W01, W10, W11], W[i, a] row-major.
TEST(EsLinearController, MatchesHandComputedValues) {
  TestNode c("es.linear_controller", {{"in_dim", 2}, {"action_size", 2}});
  auto params = at::tensor({0.1f, -0.2f, 1.0f, 2.0f, 3.0f, 4.0f,    // row 0
                            0.0f, 0.0f, 0.5f, 0.0f, 0.0f, -0.5f})  // row 1
                    .view({2, 6});
  auto x = at::tensor({1.0f, -1.0f, 2.0f, 4.0f}).view({2, 2});
  auto a = c.run({{"params", params}, {"x", x}}).at("action");
  ASSERT_EQ(a.sizes(), (std::vector<int64_t>{2, 2}));
  // row 0: x W = [1*1 + -1*3, 1*2 + -1*4] = [-2, -2]; + b = [-1.9, -2.2]
  // row 1: x W = [2*0.5, 4*-0.5] = [1, -2]
  EXPECT_NEAR(a[0][0].item<float>(), std::tanh(-1.9f), 1e-6);
  EXPECT_NEAR(a[0][1].item<float>(), std::tanh(-2.2f), 1e-6);
  EXPECT_NEAR(a[1][0].item<float>(), std::tanh(1.0f), 1e-6);
  EXPECT_NEAR(a[1][1].item<float>(), std::tanh(-2.0f), 1e-6);
}

TEST(EsLinearController, EachRowUsesItsOwnParams) {
  TestNode c("es.linear_controller", {{"in_dim", 5}, {"action_size", 3}});
  auto params = at::randn({4, 18});
  auto x = at::randn({4, 5});
  auto a = c.run({{"params", params}, {"x", x}}).at("action");
  ASSERT_EQ(a.sizes(), (std::vector<int64_t>{4, 3}));
  EXPECT_TRUE(a.abs().le(1).all().item<bool>());
  for (int64_t n = 0; n < 4; ++n) {
    auto one = c.run({{"params", params.narrow(0, n, 1)}, {"x", x.narrow(0, n, 1)}}).at("action");
    auto ref = at::tanh(at::matmul(x[n], params[n].narrow(0, 3, 15).view({5, 3})) + params[n].narrow(0, 0, 3));
    EXPECT_TRUE(at::allclose(a[n], one[0], 1e-5, 1e-6)) << "row " << n;
    EXPECT_TRUE(at::allclose(a[n], ref, 1e-5, 1e-6)) << "row " << n;
  }
}

TEST(EsLinearController, GradientsFlowToParamsAndFeatures) {
  TestNode c("es.linear_controller", {{"in_dim", 3}, {"action_size", 2}});
  auto f = [&](const std::vector<at::Tensor>& in) { return c.run({{"params", in[0]}, {"x", in[1]}}).at("action"); };
  auto params = at::randn({2, 8}, at::kDouble).mul_(0.5).requires_grad_();
  auto x = at::randn({2, 3}, at::kDouble).requires_grad_();
  EXPECT_LT(lf::testing::gradient_error(f, {params, x}), 1e-6);
}

TEST(EsLinearController, BadShapesAreInvalidArgument) {
  TestNode c("es.linear_controller", {{"in_dim", 3}, {"action_size", 2}});
  EXPECT_NO_THROW(c.run({{"params", at::zeros({2, 8})}, {"x", at::zeros({2, 3})}}));
  try {  // dim must be (3 + 1) * 2 = 8; the message says so
    c.run({{"params", at::zeros({2, 6})}, {"x", at::zeros({2, 3})}});
    ADD_FAILURE() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("[N, 8]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(c.run({{"params", at::zeros({8})}, {"x", at::zeros({1, 3})}}), std::invalid_argument);
  EXPECT_THROW(c.run({{"params", at::zeros({2, 8})}, {"x", at::zeros({2, 4})}}), std::invalid_argument);
  EXPECT_THROW(c.run({{"params", at::zeros({2, 8})}, {"x", at::zeros({3, 3})}}), std::invalid_argument);
}

TEST(EsLinearController, ParamsAreRequired) {
  EXPECT_THROW(TestNode("es.linear_controller", {{"in_dim", 3}}), std::invalid_argument);
  EXPECT_THROW(TestNode("es.linear_controller", {{"action_size", 3}}), std::invalid_argument);
  EXPECT_THROW(TestNode("es.linear_controller", {{"in_dim", 0}, {"action_size", 1}}), std::invalid_argument);
}

}  // namespace
