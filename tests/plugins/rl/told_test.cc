// TD-MPC's losses: rl.told_loss, rl.td_target, rl.q_policy_loss against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace told_test {

using lf::testing::error_of;
using lf::testing::TestNode;

// B = 2, H = 3, L = 2, every value known.
struct Batch {
  at::Tensor z_pred = at::tensor({0.f, 1.f, 2.f, 3.f, 4.f, 5.f, 1.f, 1.f, 1.f, 1.f, 1.f, 1.f}).view({2, 3, 2});
  at::Tensor z_target = at::zeros({2, 3, 2});
  at::Tensor reward_pred = at::tensor({1.f, 2.f, 3.f, 0.f, 0.f, 0.f}).view({2, 3});
  at::Tensor reward = at::tensor({0.f, 0.f, 0.f, 1.f, 1.f, 1.f}).view({2, 3});
  at::Tensor q1 = at::tensor({1.f, 1.f, 1.f, 2.f, 2.f, 2.f}).view({2, 3});
  at::Tensor q2 = at::tensor({0.f, 0.f, 0.f, 2.f, 2.f, 2.f}).view({2, 3});
  at::Tensor y = at::ones({2, 3});
  at::Tensor weight = at::tensor({1.f, 0.5f});
  std::map<std::string, at::Tensor> inputs() const {
    return {{"z_pred", z_pred}, {"z_target", z_target}, {"reward_pred", reward_pred}, {"reward", reward},
            {"q1", q1},         {"q2", q2},             {"td_target", y},           {"weight", weight}};
  }
};

TEST(RlToldLoss, MatchesTheHandComputedObjective) {
  TestNode told("rl.told_loss");  // rho 0.5, coefficients 2, 0.5, 0.1
  const Batch b;
  const auto out = told.run(b.inputs());
  // consistency per step: mean_L z^2 -> b0: 0.5, 6.5, 20.5; b1: 1, 1, 1
  const double c0 = 0.5 + 0.5 * 6.5 + 0.25 * 20.5, c1 = 1 + 0.5 + 0.25;
  // reward: b0: 1, 4, 9; b1: 1, 1, 1
  const double r0 = 1 + 0.5 * 4 + 0.25 * 9, r1 = 1.75;
  // value: b0: (1-1)^2 + (0-1)^2 = 1 per step; b1: 1 + 1 = 2 per step
  const double v0 = 1.75, v1 = 3.5;
  const double t0 = 2 * c0 + 0.5 * r0 + 0.1 * v0, t1 = 2 * c1 + 0.5 * r1 + 0.1 * v1;
  EXPECT_NEAR(out.at("loss").item<double>(), (1.0 * t0 + 0.5 * t1) / 2 / 3, 1e-5);
  EXPECT_NEAR(out.at("consistency").item<double>(), (c0 + c1) / 2, 1e-5);
  EXPECT_NEAR(out.at("reward_loss").item<double>(), (r0 + r1) / 2, 1e-5);
  EXPECT_NEAR(out.at("value_loss").item<double>(), (v0 + v1) / 2, 1e-5);
  // priority: b0: |1-1| + |0-1| = 1 per step; b1: 2 per step
  EXPECT_TRUE(at::allclose(out.at("priority"), at::tensor({1.75f, 3.5f})));
}

TEST(RlToldLoss, TargetsAndWeightsGetNoGradientAndTermsAreClamped) {
  TestNode told("rl.told_loss");
  Batch b;
  b.z_pred = b.z_pred.clone().requires_grad_();
  b.z_target = b.z_target.clone().requires_grad_();
  b.y = b.y.clone().requires_grad_();
  const auto out = told.run(b.inputs());
  const auto g = torch::autograd::grad({out.at("loss")}, {b.z_pred, b.z_target, b.y}, {}, false, false,
                                       /*allow_unused=*/true);
  EXPECT_TRUE(g[0].defined());
  EXPECT_FALSE(g[1].defined());
  EXPECT_FALSE(g[2].defined());
  EXPECT_FALSE(out.at("priority").requires_grad());

  Batch huge;
  huge.z_pred = at::full({2, 3, 2}, 1e3f);
  huge.reward_pred = at::full({2, 3}, 1e3f);
  huge.q1 = at::full({2, 3}, 1e5f);
  const auto h = told.run(huge.inputs());
  EXPECT_EQ(h.at("consistency").item<double>(), 1e4);
  EXPECT_EQ(h.at("reward_loss").item<double>(), 1e4);
  EXPECT_EQ(h.at("value_loss").item<double>(), 1e4);
  EXPECT_TRUE(at::equal(h.at("priority"), at::full({2}, 1e4f)));
  // without weights: every sample counts once
  auto unweighted = b.inputs();
  unweighted.erase("weight");
  EXPECT_GT(told.run(unweighted).at("loss").item<double>(), out.at("loss").item<double>());
}

TEST(RlToldLoss, RejectsPerStepInputsOfAnotherShape) {
  TestNode told("rl.told_loss");
  auto in = Batch().inputs();
  in["reward"] = at::zeros({2, 4});
  EXPECT_NE(error_of([&] { told.run(in); }).find("must be [B, H] = [2, 3] like z_pred, got [2, 4]"), std::string::npos);
}

TEST(RlTdTarget, RewardPlusDiscountedMinimumWithoutGradient) {
  TestNode td("rl.td_target", {{"discount", 0.9}});
  const auto q1 = at::tensor({1.f, 5.f}).requires_grad_(), q2 = at::tensor({3.f, 2.f});
  const auto y = td.run({{"reward", at::tensor({0.5f, -1.f})}, {"q1", q1}, {"q2", q2}}).at("target");
  EXPECT_TRUE(at::allclose(y, at::tensor({0.5f + 0.9f * 1.f, -1.f + 0.9f * 2.f})));
  EXPECT_FALSE(y.requires_grad());
}

TEST(RlQPolicyLoss, RhoWeightedNegativeMinimumAndItsGradient) {
  TestNode pi_loss("rl.q_policy_loss", {{"rho", 0.5}});
  const auto q1 = at::tensor({1.f, 2.f, 3.f, 4.f}).view({2, 2}).requires_grad_();
  const auto q2 = at::tensor({2.f, 1.f, 0.f, 5.f}).view({2, 2});
  const auto loss = pi_loss.run({{"q1", q1}, {"q2", q2}}).at("loss");
  // min: [[1, 1], [0, 4]] -> means over b: 0.5, 2.5 -> -(0.5 + 0.5 * 2.5)
  EXPECT_NEAR(loss.item<double>(), -1.75, 1e-6);
  const auto g = torch::autograd::grad({loss}, {q1})[0];
  // d/dq1: only where q1 is the minimum: [0][0] (-1/2), [1][1] (-0.5/2)
  EXPECT_TRUE(at::allclose(g, at::tensor({-0.5f, 0.f, 0.f, -0.25f}).view({2, 2}))) << g;
}

}  // namespace told_test
