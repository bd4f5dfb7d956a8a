#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(RssmFeatures, ConcatenatesStateOnLastDim) {
  TestNode feat("rssm.features");
  auto h = at::randn({3, 5, 4}), s = at::randn({3, 5, 2});
  auto f = feat.run({{"h", h}, {"s", s}}).at("features");
  EXPECT_EQ(f.sizes(), (Sizes{3, 5, 6}));
  EXPECT_TRUE(at::equal(f.slice(-1, 0, 4), h));
  EXPECT_TRUE(at::equal(f.slice(-1, 4, 6), s));
}

TEST(RssmFeatures, TakesNoParams) {  // its size comes from its inputs
  EXPECT_THROW(TestNode("rssm.features", {{"deter", 4}}), std::invalid_argument);
}

TEST(RssmFeatures, GradientMatchesFiniteDifferences) {
  TestNode feat("rssm.features");
  auto f = [&](const std::vector<at::Tensor>& in) { return feat.run({{"h", in[0]}, {"s", in[1]}}).at("features"); };
  EXPECT_LT(lf::testing::gradient_error(f, {at::randn({3, 4}, at::kDouble).requires_grad_(),
                                            at::randn({3, 2}, at::kDouble).requires_grad_()}),
            1e-6);
}

}  // namespace
