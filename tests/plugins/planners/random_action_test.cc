#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(PlannersRandomAction, UniformCoversTheBoundsEvenly) {
  TestNode r("planners.random_action", {{"min_action", -2.0}, {"max_action", 0.5}});
  auto a = r.run({{"prev", at::zeros({20000, 3})}}).at("action").to(at::kDouble);
  ASSERT_EQ(a.sizes(), (Sizes{20000, 3}));
  EXPECT_GE(a.min().item<double>(), -2.0);
  EXPECT_LT(a.max().item<double>(), 0.5);
  // U(-2, 0.5): mean -0.75, variance 2.5^2 / 12; standard errors ~0.004 and ~0.003
  EXPECT_NEAR(a.mean().item<double>(), -0.75, 0.02);
  EXPECT_NEAR(a.var().item<double>(), 6.25 / 12, 0.02);
  EXPECT_NEAR((a < -1.375).to(at::kDouble).mean().item<double>(), 0.25, 0.01);  // first quarter
}

TEST(PlannersRandomAction, UniformIgnoresThePreviousAction) {
  TestNode a("planners.random_action", {}, {}, 3), b("planners.random_action", {}, {}, 3);
  EXPECT_TRUE(at::equal(a.run({{"prev", at::zeros({4, 2})}}).at("action"),
                        b.run({{"prev", at::full({4, 2}, 0.9f)}}).at("action")));
}

TEST(PlannersRandomAction, BrownianStepsHaveStdSigmaAndStayInBounds) {
  TestNode r("planners.random_action", {{"mode", "brownian"}, {"sigma", 0.2}});
  auto prev = at::linspace(-0.5, 0.5, 50000).view({-1, 1});
  auto step = (r.run({{"prev", prev}}).at("action") - prev).to(at::kDouble);
  EXPECT_NEAR(step.mean().item<double>(), 0.0, 0.005);  // standard error ~0.001
  EXPECT_NEAR(step.std().item<double>(), 0.2, 0.004);
  // a walk pressed against a bound is clipped to it: about half the steps at the bound
  auto at_edge = r.run({{"prev", at::full({20000, 2}, 1.0f)}}).at("action");
  EXPECT_LE(at_edge.max().item<double>(), 1.0);
  EXPECT_NEAR((at_edge == 1.0f).to(at::kDouble).mean().item<double>(), 0.5, 0.02);
}

TEST(PlannersRandomAction, DefaultSigmaIsWorldModelsSqrtDt) {
  TestNode r("planners.random_action", {{"mode", "brownian"}});
  auto step = (r.run({{"prev", at::zeros({100000, 1})}}).at("action")).to(at::kDouble);
  EXPECT_NEAR(step.std().item<double>(), std::sqrt(1.0 / 50.0), 0.002);
}

TEST(PlannersRandomAction, RejectsBadParams) {
  EXPECT_THROW(TestNode("planners.random_action", {{"mode", "pink"}}), std::invalid_argument);
  EXPECT_THROW(TestNode("planners.random_action", {{"sigma", -0.1}}), std::invalid_argument);
  EXPECT_THROW(TestNode("planners.random_action", {{"min_action", 1.0}, {"max_action", 1.0}}), std::invalid_argument);
}

TEST(PlannersRandomAction, SameSeedSameActionsAndSaveLoadResumes) {
  for (const char* mode : {"uniform", "brownian"}) {
    SCOPED_TRACE(mode);
    TestNode a("planners.random_action", {{"mode", mode}}, {}, 7), b("planners.random_action", {{"mode", mode}}, {}, 7),
        c("planners.random_action", {{"mode", mode}}, {}, 8);
    const auto prev = at::zeros({5, 2});
    const auto xa = a.run({{"prev", prev}}).at("action");
    EXPECT_TRUE(at::equal(xa, b.run({{"prev", prev}}).at("action")));
    EXPECT_FALSE(at::equal(xa, c.run({{"prev", prev}}).at("action")));
    lf::TensorDict state;
    a.node().save_state(state);
    const auto next = a.run({{"prev", prev}}).at("action");
    EXPECT_FALSE(at::equal(next, xa));
    c.node().load_state(state);
    EXPECT_TRUE(at::equal(next, c.run({{"prev", prev}}).at("action")));
  }
}

}  // namespace
