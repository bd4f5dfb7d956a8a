// TD-MPC2's rl nodes against hand-computed values: rl.random_pair, rl.squashed_gaussian,
// rl.running_scale, rl.tdmpc2_loss, rl.tdmpc2_policy_loss, and rl.td_target with one Q.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <utility>

#include <ATen/ATen.h>

#include "support/node_harness.h"
#include "two_hot.h"

namespace tdmpc2_test {

using lf::testing::error_of;
using lf::testing::TestNode;

// Member k's values are all k + 1: every output names the pair it drew.
TEST(RlRandomPair, MinAndMeanOfTwoDistinctMembersDrawnPerCall) {
  TestNode pair("rl.random_pair", nlohmann::json::object(), {}, 3);
  const auto values = (at::arange(5, at::kFloat) + 1).view({5, 1, 1}).expand({5, 2, 3}).contiguous();
  std::set<std::pair<int, int>> seen;
  for (int call = 0; call < 200; ++call) {
    const auto out = pair.run({{"values", values}});
    const double lo = out.at("min")[0][0].item<double>(), mean = out.at("mean")[0][0].item<double>();
    EXPECT_TRUE(at::equal(out.at("min"), at::full({2, 3}, lo)));  // one pair for the whole batch
    const double hi = 2 * mean - lo;
    ASSERT_LT(lo, hi);  // two different members
    seen.insert({static_cast<int>(lo), static_cast<int>(hi)});
  }
  EXPECT_EQ(seen.size(), 10u);  // every pair of 5 comes up
  lf::TensorDict state;
  pair.node().save_state(state);
  TestNode other("rl.random_pair", nlohmann::json::object(), {}, 4);
  other.node().load_state(state);
  EXPECT_TRUE(at::equal(pair.run({{"values", values}}).at("min"), other.run({{"values", values}}).at("min")));
  EXPECT_NE(error_of([&] { pair.run({{"values", at::zeros({1, 3})}}); }).find("K >= 2"), std::string::npos);
}

// The sample's noise is recovered from the action (eps = (atanh(a) - mu) / std), and every output
// recomputed from it by the reference's formulas.
TEST(RlSquashedGaussian, OutputsFollowTheReferenceFormulas) {
  TestNode pi("rl.squashed_gaussian", {{"log_std_min", -10.0}, {"log_std_max", 2.0}});
  const auto x = at::tensor({0.3, -0.2, -1.0, 0.5, 0.1, -0.4, 0.8, 2.0}, at::kDouble).view({2, 4});  // A = 2
  const auto out = pi.run({{"x", x}});
  const auto mu = x.narrow(1, 0, 2), log_std = -10 + 6 * (at::tanh(x.narrow(1, 2, 2)) + 1);
  const auto a = out.at("action");
  const auto eps = (at::atanh(a) - mu) / log_std.exp();
  const auto log_p = (-0.5 * eps.square() - log_std - 0.9189385175704956).sum(-1);
  const auto log_pi = log_p - at::log(at::relu(1 - a.square()) + 1e-6).sum(-1);
  EXPECT_TRUE(at::allclose(out.at("mean"), at::tanh(mu)));
  EXPECT_TRUE(at::allclose(out.at("entropy"), -log_pi, 1e-6, 1e-6));
  EXPECT_TRUE(at::allclose(out.at("scaled_entropy"), -log_pi * (2 * log_p) / (log_pi + 1e-8), 1e-6, 1e-6));
  EXPECT_TRUE((eps.abs() < 6).all().item<bool>());  // a plausible N(0, 1) draw
  // the log-std saturates at its lower bound: std e^-10, the action is the squashed mean
  const auto narrow = pi.run({{"x", at::tensor({0.3, -0.7, -50.0, -50.0}, at::kDouble).view({1, 4})}});
  EXPECT_TRUE(at::allclose(narrow.at("action"), narrow.at("mean"), 0, 1e-3));
  EXPECT_NE(error_of([&] { pi.run({{"x", at::zeros({2, 3})}}); }).find("[..., 2A]"), std::string::npos);
}

TEST(RlSquashedGaussian, ActionIsDifferentiableInTheMeanAndStd) {
  TestNode pi("rl.squashed_gaussian");
  const auto x = at::randn({3, 4}).requires_grad_(true);
  const auto out = pi.run({{"x", x}});
  (out.at("action").sum() + out.at("scaled_entropy").sum()).backward();
  EXPECT_GT(x.grad().narrow(1, 0, 2).abs().sum().item<double>(), 0);
  EXPECT_GT(x.grad().narrow(1, 2, 2).abs().sum().item<double>(), 0);
}

// 0..100: the 5th and 95th percentiles are 5 and 95, the range 90; S = 1 + 0.01 (90 - 1).
TEST(RlRunningScale, EmaOfThePercentileRangeDividesTheValues) {
  TestNode scale("rl.running_scale");
  const auto x = at::tensor({1.0f, -2.0f, 3.78f});
  auto out = scale.run({{"x", x}, {"sample", at::arange(101, at::kFloat).flip(0)}});
  const double s1 = 1 + 0.01 * (90 - 1);
  EXPECT_NEAR(out.at("scale").item<double>(), s1, 1e-6);
  EXPECT_TRUE(at::allclose(out.at("y"), x / s1));
  // 4 values: positions 0.15 and 2.85 between sorted [0, 0.1, 0.2, 0.3]: range 0.27, clamped to 1
  out = scale.run({{"x", x}, {"sample", at::tensor({0.3f, 0.0f, 0.2f, 0.1f})}});
  const double s2 = s1 + 0.01 * (1 - s1);
  EXPECT_NEAR(out.at("scale").item<double>(), s2, 1e-6);
  // a call without gradients (evaluation) does not move it
  {
    at::NoGradGuard no_grad;
    out = scale.run({{"x", x}, {"sample", at::arange(101, at::kFloat) * 100}});
  }
  EXPECT_NEAR(out.at("scale").item<double>(), s2, 1e-6);
  lf::TensorDict state;
  scale.node().save_state(state);
  TestNode other("rl.running_scale");
  other.node().load_state(state);
  at::NoGradGuard no_grad;
  EXPECT_TRUE(at::allclose(other.run({{"x", x}, {"sample", x}}).at("y"), x / s2));
}

// DreamerV3's rule: EMAs of the two percentiles from 0, the scale their difference (at least 1).
TEST(RlRunningScale, DreamerV3sPercentileEmas) {
  TestNode scale("rl.running_scale", {{"rule", "percentiles"}});
  const auto x = at::tensor({2.0f});
  // 0..1000 (step 10): percentiles 50 and 950; EMAs 0.5 and 9.5: range 9 (not clamped).
  auto out = scale.run({{"x", x}, {"sample", at::arange(101, at::kFloat) * 10}});
  EXPECT_NEAR(out.at("scale").item<double>(), 9.0, 1e-5);
  EXPECT_TRUE(at::allclose(out.at("y"), x / 9.0));
  // A narrow sample (percentiles 0.015 and 0.285): each EMA moves 1% toward its percentile.
  out = scale.run({{"x", x}, {"sample", at::tensor({0.3f, 0.0f, 0.2f, 0.1f})}});
  const double lo = 0.5 + 0.01 * (0.015 - 0.5), hi = 9.5 + 0.01 * (0.285 - 9.5);
  EXPECT_NEAR(out.at("scale").item<double>(), hi - lo, 1e-5);
  lf::TensorDict state;
  scale.node().save_state(state);
  TestNode other("rl.running_scale", {{"rule", "percentiles"}});
  other.node().load_state(state);
  const auto sample = at::arange(11, at::kFloat);
  EXPECT_TRUE(other.run({{"x", x}, {"sample", sample}}).at("scale").equal(scale.run({{"x", x}, {"sample", sample}}).at("scale")));
  // From 0, small returns keep the scale at its floor of 1.
  TestNode fresh("rl.running_scale", {{"rule", "percentiles"}});
  EXPECT_NEAR(fresh.run({{"x", x}, {"sample", at::arange(101, at::kFloat)}}).at("scale").item<double>(), 1.0, 1e-9);
}

// B = 2, H = 2, L = 1, K = 2, bins 5 over [-2, 2]; rewards and targets on bin centres or halfway.
TEST(RlTdmpc2Loss, TermsAsTheReference) {
  const lf::rl::TwoHotBins bins{5, -2.0, 2.0};
  TestNode loss("rl.tdmpc2_loss", {{"bins", 5}, {"low", -2.0}, {"high", 2.0}, {"rho", 0.5},
                                  {"consistency_coef", 20.0}, {"reward_coef", 0.1}, {"value_coef", 0.1}});
  const auto z_pred = at::tensor({0.5, 1.0, -1.0, 2.0}, at::kDouble).view({2, 2, 1});
  const auto z_target = at::tensor({0.0, 1.0, 0.0, 0.0}, at::kDouble).view({2, 2, 1});
  const auto r_logits = at::randn({2, 2, 5}, at::kDouble), q_logits = at::randn({2, 2, 2, 5}, at::kDouble);
  const auto reward = at::tensor({0.0, std::expm1(1.0), -std::expm1(0.5), 0.0}, at::kDouble).view({2, 2});
  const auto y = at::tensor({std::expm1(2.0), 0.0, 0.0, -std::expm1(1.5)}, at::kDouble).view({2, 2});
  const auto out = loss.run({{"z_pred", z_pred}, {"z_target", z_target}, {"reward_logits", r_logits},
                             {"reward", reward}, {"q_logits", q_logits}, {"td_target", y}});
  // consistency: t=0: mean(0.25, 1) = 0.625; t=1: mean(0, 4) = 2; (0.625 + 0.5 * 2) / 2
  const double c = (0.625 + 0.5 * 2) / 2;
  auto ce = [](const at::Tensor& logits, const at::Tensor& target) { return -(target * logits.log_softmax(-1)).sum(-1); };
  const auto rt = lf::rl::two_hot(reward, bins), yt = lf::rl::two_hot(y, bins);
  const auto r_ce = ce(r_logits, rt).mean(0);  // [H]
  const double r = (r_ce[0].item<double>() + 0.5 * r_ce[1].item<double>()) / 2;
  const auto v_ce = ce(q_logits, yt.unsqueeze(0)).mean(1).sum(0);  // [H]
  const double v = (v_ce[0].item<double>() + 0.5 * v_ce[1].item<double>()) / (2 * 2);
  EXPECT_NEAR(out.at("consistency").item<double>(), c, 1e-12);
  EXPECT_NEAR(out.at("reward_loss").item<double>(), r, 1e-12);
  EXPECT_NEAR(out.at("value_loss").item<double>(), v, 1e-12);
  EXPECT_NEAR(out.at("loss").item<double>(), 20 * c + 0.1 * r + 0.1 * v, 1e-12);
  EXPECT_NE(error_of([&] {
              loss.run({{"z_pred", z_pred}, {"z_target", z_target}, {"reward_logits", r_logits}, {"reward", reward},
                        {"q_logits", q_logits.narrow(3, 0, 4)}, {"td_target", y}});
            }).find("q_logits [K, B, H, bins] must be [2, 2, 2, 5], got [2, 2, 2, 4]"),
            std::string::npos);
}

TEST(RlTdmpc2Loss, TargetsGetNoGradient) {
  TestNode loss("rl.tdmpc2_loss");
  const auto z_target = at::randn({2, 3, 4}).requires_grad_(true), y = at::randn({2, 3}).requires_grad_(true);
  const auto z_pred = at::randn({2, 3, 4}).requires_grad_(true);
  loss.run({{"z_pred", z_pred}, {"z_target", z_target}, {"reward_logits", at::randn({2, 3, 101})},
            {"reward", at::randn({2, 3})}, {"q_logits", at::randn({5, 2, 3, 101})}, {"td_target", y}})
      .at("loss")
      .backward();
  EXPECT_TRUE(z_pred.grad().defined());
  EXPECT_FALSE(z_target.grad().defined());
  EXPECT_FALSE(y.grad().defined());
}

TEST(RlTdmpc2PolicyLoss, EntropyBonusPlusScaledQWeightedByRho) {
  TestNode loss("rl.tdmpc2_policy_loss", {{"rho", 0.5}, {"entropy_coef", 0.1}});
  const auto q = at::tensor({1.0, 2.0, 3.0, 4.0}, at::kDouble).view({2, 2});
  const auto ent = at::tensor({10.0, 0.0, 20.0, 40.0}, at::kDouble).view({2, 2});
  // t=0: -mean(1 + 1, 3 + 2) = -3.5; t=1: -mean(2 + 0, 4 + 4) = -5; mean(-3.5, 0.5 * -5)
  EXPECT_NEAR(loss.run({{"q", q}, {"scaled_entropy", ent}}).at("loss").item<double>(), (-3.5 - 2.5) / 2, 1e-12);
}

TEST(RlTdTarget, OneQIsTheNextValue) {
  TestNode td("rl.td_target", {{"discount", 0.9}});
  const auto out = td.run({{"reward", at::tensor({1.0f, 2.0f})}, {"q1", at::tensor({10.0f, -10.0f})}}).at("target");
  EXPECT_TRUE(at::allclose(out, at::tensor({10.0f, -7.0f})));
}

}  // namespace tdmpc2_test
