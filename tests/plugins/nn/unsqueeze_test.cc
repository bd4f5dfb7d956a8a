#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

TEST(NnUnsqueeze, AddsALeadingUnitDimAndPassesGradients) {
  TestNode node("nn.unsqueeze");
  auto x = at::randn({4}).requires_grad_();
  const auto y = node.run({{"x", x}}).at("y");
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{1, 4}));
  EXPECT_TRUE(at::equal(y[0], x));
  (y * 3).sum().backward();
  EXPECT_TRUE(at::equal(x.grad(), at::full({4}, 3.f)));
  EXPECT_EQ(node.run({{"x", at::zeros({2, 3}, at::kLong)}}).at("y").sizes(), (std::vector<int64_t>{1, 2, 3}));
}

TEST(NnUnsqueeze, InsertsAtTheGivenDim) {
  TestNode node("nn.unsqueeze", {{"dim", 1}});
  const auto x = at::randn({5, 3});
  const auto y = node.run({{"x", x}}).at("y");
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{5, 1, 3}));
  EXPECT_TRUE(at::equal(y.select(1, 0), x));
  EXPECT_EQ(TestNode("nn.unsqueeze", {{"dim", 2}}).run({{"x", x}}).at("y").sizes(), (std::vector<int64_t>{5, 3, 1}));
  EXPECT_NE(lf::testing::error_of([&] { TestNode("nn.unsqueeze", {{"dim", 3}}).run({{"x", x}}); }).find("dim 3 is past"),
            std::string::npos);
}

}  // namespace
