#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

TEST(NnSqueeze, DropsTheUnitLastDimAndPassesGradients) {
  TestNode sq("nn.squeeze");
  auto x = at::randn({2, 5, 1}).requires_grad_();
  const auto y = sq.run({{"x", x}}).at("y");
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 5}));
  EXPECT_TRUE(at::equal(y, x.view({2, 5})));
  (y * 2).sum().backward();
  EXPECT_TRUE(at::equal(x.grad(), at::full({2, 5, 1}, 2.f)));
}

TEST(NnSqueeze, RejectsALastDimOtherThanOne) {
  TestNode sq("nn.squeeze");
  EXPECT_THROW(sq.run({{"x", at::randn({2, 3})}}), std::invalid_argument);
}

}  // namespace
