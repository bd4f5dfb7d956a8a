#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(RssmInitialState, ZerosWithTheBatchOfLike) {
  TestNode init("rssm.initial_state", {{"deter", 5}, {"stoch", 3}});
  auto out = init.run({{"like", at::randn({7, 2, 9}, at::kDouble)}});
  EXPECT_EQ(out.at("h").sizes(), (Sizes{7, 5}));
  EXPECT_EQ(out.at("s").sizes(), (Sizes{7, 3}));
  EXPECT_EQ(out.at("h").scalar_type(), at::kDouble);
  EXPECT_EQ(out.at("h").abs().sum().item<double>(), 0.0);
  EXPECT_EQ(out.at("s").abs().sum().item<double>(), 0.0);
}

TEST(RssmInitialState, PixelsGiveFloatState) {
  TestNode init("rssm.initial_state", {{"deter", 5}, {"stoch", 3}});
  auto out = init.run({{"like", at::zeros({2, 3, 8, 8}, at::kByte)}});
  EXPECT_EQ(out.at("h").scalar_type(), at::kFloat);
  EXPECT_EQ(out.at("s").sizes(), (Sizes{2, 3}));
}

TEST(RssmInitialState, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("rssm.initial_state", {{"deter", -1}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rssm.initial_state", {{"size", 3}}), std::invalid_argument);
}

}  // namespace
