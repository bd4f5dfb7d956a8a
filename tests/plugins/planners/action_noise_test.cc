#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(PlannersActionNoise, AddsZeroMeanNoiseOfStdScale) {
  TestNode n("planners.action_noise");  // scale 0.3
  auto a = at::full({40000, 2}, 0.1f);
  auto d = (n.run({{"action", a}}).at("action") - a).to(at::kDouble);
  ASSERT_EQ(d.sizes(), (Sizes{40000, 2}));
  // 0.1 + N(0, 0.09) exceeds the bound 1 with probability ~0.0013: the moments are barely affected
  EXPECT_NEAR(d.mean().item<double>(), 0.0, 0.005);  // standard error ~0.001
  EXPECT_NEAR(d.std().item<double>(), 0.3, 0.005);
  EXPECT_TRUE((d.flatten().slice(0, 0, 2) != 0).all().item<bool>());
}

TEST(PlannersActionNoise, ClipsToTheBounds) {
  TestNode n("planners.action_noise", {{"scale", 2.0}, {"min_action", -0.5}, {"max_action", 0.25}});
  auto y = n.run({{"action", at::zeros({10000, 3})}}).at("action");
  EXPECT_EQ(y.min().item<float>(), -0.5f);
  EXPECT_EQ(y.max().item<float>(), 0.25f);
  // P(N(0, 4) > 0.25) = 0.45: that many land exactly on the upper bound
  EXPECT_NEAR((y == 0.25f).to(at::kDouble).mean().item<double>(), 0.45, 0.015);
}

TEST(PlannersActionNoise, ZeroScaleOnlyClips) {
  TestNode n("planners.action_noise", {{"scale", 0.0}});
  auto a = at::tensor({-1.5f, -0.2f, 0.7f, 3.0f}).view({2, 2});
  EXPECT_TRUE(at::equal(n.run({{"action", a}}).at("action"), a.clamp(-1.0, 1.0)));
}

TEST(PlannersActionNoise, RejectsBadParams) {
  EXPECT_THROW(TestNode("planners.action_noise", {{"scale", -0.3}}), std::invalid_argument);
  EXPECT_THROW(TestNode("planners.action_noise", {{"min_action", 2.0}}), std::invalid_argument);
}

TEST(PlannersActionNoise, SameSeedSameNoiseAndSaveLoadResumes) {
  TestNode a("planners.action_noise", {}, {}, 4), b("planners.action_noise", {}, {}, 4),
      c("planners.action_noise", {}, {}, 5);
  const auto x = at::zeros({6, 2});
  const auto ya = a.run({{"action", x}}).at("action");
  EXPECT_TRUE(at::equal(ya, b.run({{"action", x}}).at("action")));
  EXPECT_FALSE(at::equal(ya, c.run({{"action", x}}).at("action")));
  lf::TensorDict state;
  a.node().save_state(state);
  const auto next = a.run({{"action", x}}).at("action");
  EXPECT_FALSE(at::equal(next, ya));
  c.node().load_state(state);
  EXPECT_TRUE(at::equal(next, c.run({{"action", x}}).at("action")));
}

}  // namespace
