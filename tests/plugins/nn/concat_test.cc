#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

at::Tensor concat(const nlohmann::json& params, const at::Tensor& a, const at::Tensor& b) {
  return TestNode("nn.concat", params).run({{"a", a}, {"b", b}}).at("y");
}

TEST(NnConcat, LastDimByDefault) {
  const auto a = at::randn({2, 5, 3}), b = at::randn({2, 5, 4});
  const auto y = concat({}, a, b);
  EXPECT_EQ(y.sizes(), (Sizes{2, 5, 7}));
  EXPECT_TRUE(at::equal(y.narrow(2, 0, 3), a));
  EXPECT_TRUE(at::equal(y.narrow(2, 3, 4), b));
}

TEST(NnConcat, AlongTimeContextThenImagined) {
  // Dreamer's open-loop video: 5 context frames, then the rest.
  const auto a = at::randint(256, {2, 5, 4, 4, 3}, at::kByte), b = at::randint(256, {2, 7, 4, 4, 3}, at::kByte);
  const auto y = concat({{"dim", 1}}, a, b);
  EXPECT_EQ(y.sizes(), (Sizes{2, 12, 4, 4, 3}));
  EXPECT_EQ(y.scalar_type(), at::kByte);
  EXPECT_TRUE(at::equal(y.narrow(1, 0, 5), a));
  EXPECT_TRUE(at::equal(y.narrow(1, 5, 7), b));
  EXPECT_TRUE(at::equal(concat({{"dim", -4}}, a, b), y));
}

TEST(NnConcat, PassesGradientsToBoth) {
  auto a = at::randn({2, 3}).requires_grad_(), b = at::randn({2, 2}).requires_grad_();
  (concat({}, a, b) * at::arange(5).to(at::kFloat)).sum().backward();
  EXPECT_TRUE(at::equal(a.grad(), at::arange(3).to(at::kFloat).expand({2, 3})));
  EXPECT_TRUE(at::equal(b.grad(), at::arange(3, 5).to(at::kFloat).expand({2, 2})));
}

TEST(NnConcat, RejectsMismatchesNamingBothShapes) {
  auto message = [](const nlohmann::json& params, const at::Tensor& a, const at::Tensor& b) {
    TestNode node("nn.concat", params);
    try {
      node.run({{"a", a}, {"b", b}});
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto m = message({{"dim", 1}}, at::zeros({2, 5, 3}), at::zeros({2, 4, 4}));
  EXPECT_NE(m.find("nn.concat: a and b differ in dim 2, and only dim 1 may differ"), std::string::npos) << m;
  EXPECT_NE(m.find("a is [2, 5, 3]"), std::string::npos) << m;
  EXPECT_NE(m.find("b is [2, 4, 4]"), std::string::npos) << m;
  m = message({}, at::zeros({2, 3}), at::zeros({2, 1, 3}));
  EXPECT_NE(m.find("differ in rank"), std::string::npos) << m;
  m = message({}, at::zeros({2, 3}), at::zeros({2, 3}, at::kDouble));
  EXPECT_NE(m.find("differ in dtype"), std::string::npos) << m;
  m = message({{"dim", 2}}, at::zeros({2, 3}), at::zeros({2, 3}));
  EXPECT_NE(m.find("dim 2 is not a dim of a"), std::string::npos) << m;
}

}  // namespace
