#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

// [2, 5, 3] with x[b, t, d] = 100 b + 10 t + d, so that every element names its place.
at::Tensor indexed() {
  return (at::arange(2).view({2, 1, 1}) * 100 + at::arange(5).view({1, 5, 1}) * 10 + at::arange(3).view({1, 1, 3}))
      .to(at::kFloat);
}

at::Tensor slice(const nlohmann::json& params, const at::Tensor& x) {
  return TestNode("nn.slice", params).run({{"x", x}}).at("y");
}

TEST(NnSlice, TimeShiftLikePython) {
  const auto z = indexed();
  // z[:, :-1] and z[:, 1:]: World Models' inputs and targets.
  const auto in = slice({{"stop", -1}}, z), out = slice({{"start", 1}}, z);
  EXPECT_EQ(in.sizes(), (Sizes{2, 4, 3}));
  EXPECT_EQ(out.sizes(), (Sizes{2, 4, 3}));
  EXPECT_TRUE(at::equal(in, z.narrow(1, 0, 4)));
  EXPECT_TRUE(at::equal(out, z.narrow(1, 1, 4)));
  EXPECT_EQ(out.select(1, 0).select(0, 1)[2].item<float>(), 112.f);  // z[1, 1, 2]
  // z[:, :2], z[:, -2:], z[:, 1:-1]; the defaults keep everything.
  EXPECT_TRUE(at::equal(slice({{"stop", 2}}, z), z.narrow(1, 0, 2)));
  EXPECT_TRUE(at::equal(slice({{"start", -2}}, z), z.narrow(1, 3, 2)));
  EXPECT_TRUE(at::equal(slice({{"start", 1}, {"stop", -1}}, z), z.narrow(1, 1, 3)));
  EXPECT_TRUE(at::equal(slice({}, z), z));
}

TEST(NnSlice, OtherDimsAndNegativeDims) {
  const auto z = indexed();
  EXPECT_TRUE(at::equal(slice({{"dim", 0}, {"start", 1}}, z), z.narrow(0, 1, 1)));
  EXPECT_TRUE(at::equal(slice({{"dim", -1}, {"start", 1}, {"stop", 2}}, z), z.narrow(2, 1, 1)));
  EXPECT_TRUE(at::equal(slice({{"dim", -2}, {"stop", 3}}, z), z.narrow(1, 0, 3)));
  const auto img = at::zeros({2, 6, 4, 4, 3}, at::kByte);  // any dtype: the first 5 frames of u8 images
  const auto ctx = slice({{"stop", 5}}, img);
  EXPECT_EQ(ctx.sizes(), (Sizes{2, 5, 4, 4, 3}));
  EXPECT_EQ(ctx.scalar_type(), at::kByte);
}

TEST(NnSlice, IsAViewThatPassesGradients) {
  auto x = at::randn({2, 5, 3}, at::kDouble).requires_grad_();
  const auto y = slice({{"start", 1}, {"stop", 3}}, x);
  EXPECT_TRUE(y.is_alias_of(x));
  (y * 2).sum().backward();
  auto want = at::zeros_like(x);
  want.narrow(1, 1, 2).fill_(2);
  EXPECT_TRUE(at::equal(x.grad(), want));
}

// The message names the node, the param and its value, the dim's size and x's shape.
void expect_error(const nlohmann::json& params, const at::Tensor& x, const std::vector<std::string>& parts) {
  TestNode node("nn.slice", params);
  try {
    node.run({{"x", x}});
    ADD_FAILURE() << "no error for " << params.dump();
  } catch (const std::invalid_argument& e) {
    for (const auto& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(NnSlice, RejectsOutOfRangeAndEmptySlices) {
  const auto z = indexed();  // [2, 5, 3]
  expect_error({{"start", 5}}, z, {"nn.slice", "start 5", "dim 1 of size 5", "[2, 5, 3]"});
  expect_error({{"start", -6}}, z, {"start -6", "size 5"});
  expect_error({{"stop", 6}}, z, {"stop 6", "size 5"});
  expect_error({{"stop", -6}}, z, {"stop -6", "size 5"});
  expect_error({{"start", 3}, {"stop", 3}}, z, {"start 3", "stop 3", "no index"});
  expect_error({{"start", 4}, {"stop", -2}}, z, {"start 4", "stop -2", "no index"});
  expect_error({{"stop", -5}}, z, {"stop -5", "no index"});
  expect_error({{"dim", 3}}, z, {"dim 3", "not a dim", "[2, 5, 3]"});
  expect_error({{"dim", -4}}, z, {"dim -4", "not a dim"});
  // The edges themselves are fine: the last index alone, everything but the first.
  EXPECT_EQ(slice({{"start", 4}}, z).size(1), 1);
  EXPECT_EQ(slice({{"start", -5}, {"stop", 5}}, z).size(1), 5);
}

}  // namespace
