#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

at::Tensor flatten(const nlohmann::json& params, const at::Tensor& x) {
  return TestNode("nn.flatten", params).run({{"x", x}}).at("y");
}

TEST(NnFlatten, MergesBatchAndTimeBatchMajor) {
  const auto x = at::arange(2 * 3 * 4, at::kFloat).view({2, 3, 4});
  const auto y = flatten({}, x);
  EXPECT_EQ(y.sizes(), (Sizes{6, 4}));
  // Row b * T + t of y is x[b, t]: Dreamer's reshape to [-1] + shape[2:].
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t t = 0; t < 3; ++t) EXPECT_TRUE(at::equal(y[b * 3 + t], x[b][t]));
  EXPECT_TRUE(y.is_alias_of(x));  // a view of a contiguous x
  EXPECT_EQ(flatten({}, at::zeros({2, 3})).sizes(), (Sizes{6}));
  EXPECT_EQ(flatten({}, at::zeros({2, 3, 8, 8, 3}, at::kByte)).scalar_type(), at::kByte);
}

TEST(NnFlatten, OtherRangesLikeTorchFlatten) {
  const auto x = at::randn({2, 3, 4, 5});
  EXPECT_TRUE(at::equal(flatten({{"start", 1}, {"end", 2}}, x), x.flatten(1, 2)));
  EXPECT_TRUE(at::equal(flatten({{"start", -3}, {"end", -1}}, x), x.flatten(1, 3)));
  EXPECT_TRUE(at::equal(flatten({{"start", 0}, {"end", -1}}, x), x.reshape({-1})));
  EXPECT_EQ(flatten({{"start", 2}, {"end", 2}}, x).sizes(), x.sizes());
}

TEST(NnFlatten, PassesGradients) {
  auto x = at::randn({2, 3, 4}).requires_grad_();
  const auto y = flatten({}, x.transpose(0, 1));  // not contiguous: a copy, still differentiable
  EXPECT_EQ(y.sizes(), (Sizes{6, 4}));
  (y * at::arange(6).view({6, 1})).sum().backward();
  // y row t * 2 + b is x[b, t]: its gradient is that row's index.
  const auto want = (at::arange(3).view({1, 3, 1}) * 2 + at::arange(2).view({2, 1, 1})).expand({2, 3, 4}).to(at::kFloat);
  EXPECT_TRUE(at::equal(x.grad(), want));
}

TEST(NnFlatten, RejectsDimsOutsideXAndReversedRanges) {
  auto message = [](const nlohmann::json& params, const at::Tensor& x) {
    TestNode node("nn.flatten", params);
    try {
      node.run({{"x", x}});
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const auto x = at::zeros({2, 3, 4});
  auto m = message({{"end", 3}}, x);
  EXPECT_NE(m.find("nn.flatten: end 3 is not a dim of x"), std::string::npos) << m;
  EXPECT_NE(m.find("[2, 3, 4]"), std::string::npos) << m;
  m = message({{"start", -4}}, x);
  EXPECT_NE(m.find("start -4"), std::string::npos) << m;
  m = message({{"start", 2}, {"end", -2}}, x);
  EXPECT_NE(m.find("end -2 comes before start 2"), std::string::npos) << m;
}

}  // namespace
