#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

TEST(NnDetach, SameValuesNoGradientReachesX) {
  TestNode sg("nn.detach");
  auto x = at::randn({2, 5, 3}).requires_grad_();
  const auto h = x * 3;  // x reaches the loss both directly and through the detached branch
  const auto y = sg.run({{"x", h}}).at("y");
  EXPECT_TRUE(at::equal(y, h));
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE(y.is_alias_of(h));  // no copy
  // d/dx sum(y * 3x) is 3 y with y held fixed; 6 * 3x if the gradient also flowed through y.
  (y * h).sum().backward();
  EXPECT_TRUE(at::allclose(x.grad(), 3 * h.detach()));
}

TEST(NnDetach, KeepsDtypeAndShape) {
  TestNode sg("nn.detach");
  const auto img = at::ones({2, 4, 4, 3}, at::kByte);
  const auto y = sg.run({{"x", img}}).at("y");
  EXPECT_EQ(y.scalar_type(), at::kByte);
  EXPECT_TRUE(at::equal(y, img));
}

}  // namespace
