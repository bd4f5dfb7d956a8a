#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace minimum_test {

using lf::testing::TestNode;

TEST(NnMinimum, ElementwiseMinimumAndItsGradient) {
  TestNode min("nn.minimum");
  const auto a = at::tensor({1.f, 5.f, -2.f}).requires_grad_(), b = at::tensor({3.f, 2.f, -1.f}).requires_grad_();
  const auto y = min.run({{"a", a}, {"b", b}}).at("y");
  EXPECT_TRUE(at::equal(y, at::tensor({1.f, 2.f, -2.f})));
  const auto g = torch::autograd::grad({y.sum()}, {a, b});
  EXPECT_TRUE(at::equal(g[0], at::tensor({1.f, 0.f, 1.f})));
  EXPECT_TRUE(at::equal(g[1], at::tensor({0.f, 1.f, 0.f})));
}

}  // namespace minimum_test
