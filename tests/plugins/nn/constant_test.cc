#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

TEST(NnConstant, FillsTheShapeWithTheValue) {
  TestNode c("nn.constant", {{"shape", {2, 3}}, {"value", 1.5}});
  const auto y = c.run({}).at("y");
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 3}));
  EXPECT_TRUE(at::equal(y, at::full({2, 3}, 1.5f)));
  EXPECT_TRUE(at::equal(TestNode("nn.constant", {{"shape", {4}}}).run({}).at("y"), at::zeros({4})));
}

TEST(NnConstant, RejectsNegativeSizesAndMissingShape) {
  EXPECT_THROW(TestNode("nn.constant", {{"shape", {2, -1}}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.constant", nlohmann::json::object()), std::invalid_argument);
}

}  // namespace
