#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

TEST(EsRepeatRows, RepeatsEachRowInARow) {
  TestNode r("es.repeat_rows", {{"repeats", 3}});
  auto x = at::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({2, 2});
  auto y = r.run({{"x", x}}).at("y");
  ASSERT_EQ(y.sizes(), (std::vector<int64_t>{6, 2}));
  auto expected = at::tensor({1.0f, 2.0f, 1.0f, 2.0f, 1.0f, 2.0f, 3.0f, 4.0f, 3.0f, 4.0f, 3.0f, 4.0f}).view({6, 2});
  EXPECT_TRUE(y.equal(expected));
}

TEST(EsRepeatRows, KeepsTrailingDimsAndDtype) {
  TestNode r("es.repeat_rows", {{"repeats", 2}});
  auto x = at::arange(12, at::kLong).view({3, 2, 2});
  auto y = r.run({{"x", x}}).at("y");
  ASSERT_EQ(y.sizes(), (std::vector<int64_t>{6, 2, 2}));
  EXPECT_EQ(y.scalar_type(), at::kLong);
  for (int64_t k = 0; k < 3; ++k) {
    EXPECT_TRUE(y[2 * k].equal(x[k]));
    EXPECT_TRUE(y[2 * k + 1].equal(x[k]));
  }
  TestNode once("es.repeat_rows", {{"repeats", 1}});
  EXPECT_TRUE(once.run({{"x", x}}).at("y").equal(x));
}

TEST(EsRepeatRows, Errors) {
  EXPECT_THROW(TestNode("es.repeat_rows", nlohmann::json::object()), std::invalid_argument);
  EXPECT_THROW(TestNode("es.repeat_rows", {{"repeats", 0}}), std::invalid_argument);
  TestNode r("es.repeat_rows", {{"repeats", 2}});
  EXPECT_THROW(r.run({{"x", at::scalar_tensor(1.0)}}), std::invalid_argument);
}

}  // namespace
