// rl.trunc_normal and rl.normal_actor (DreamerV2's and DreamerV3's continuous policy): the samples
// follow the truncated normal (moments against the closed form), the sample's gradient is the
// inverse-CDF reparameterization (finite differences at fixed draws), log_prob and entropy against
// the densities computed by hand and by quadrature, the mode, the untruncated normal, and the
// actor head's transforms.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace trunc_normal_test {

using lf::testing::TestNode;

double pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI); }
double cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

struct Case {
  double mean, std;
};
const std::vector<Case> kCases = {{0.0, 1.0}, {0.7, 0.3}, {-0.95, 0.1}, {0.2, 2.1}, {0.99, 0.1}};

TEST(RlTruncNormal, SamplesFollowTheTruncatedNormal) {
  const int64_t n = 200000;
  for (const auto& c : kCases) {
    TestNode node("rl.trunc_normal", {}, {}, 5);
    const auto out = node.run({{"mean", at::full({n, 1}, c.mean, at::kDouble)}, {"std", at::full({n, 1}, c.std, at::kDouble)}});
    const auto x = out.at("action");
    EXPECT_GT(x.min().item<double>(), -1.0);
    EXPECT_LT(x.max().item<double>(), 1.0);
    const double a = (-1 - c.mean) / c.std, b = (1 - c.mean) / c.std, z = cdf(b) - cdf(a);
    const double d = (pdf(a) - pdf(b)) / z;
    const double mean = c.mean + c.std * d;
    const double var = c.std * c.std * (1 + (a * pdf(a) - b * pdf(b)) / z - d * d);
    const double se = std::sqrt(var / n);
    EXPECT_NEAR(x.mean().item<double>(), mean, 5 * se) << c.mean << " " << c.std;
    EXPECT_NEAR(x.var().item<double>(), var, 0.02 * var) << c.mean << " " << c.std;
  }
}

// log_prob at the returned action by hand, and exp(log_prob) integrating to one over (-1, 1); the
// entropy against -integral p log p by the midpoint rule.
TEST(RlTruncNormal, LogProbAndEntropyMatchTheDensity) {
  for (const auto& c : kCases) {
    const double a = (-1 - c.mean) / c.std, b = (1 - c.mean) / c.std, z = cdf(b) - cdf(a);
    auto density = [&](double x) { return pdf((x - c.mean) / c.std) / (c.std * z); };
    TestNode node("rl.trunc_normal", {}, {}, 2);
    const auto out = node.run({{"mean", at::full({4, 1}, c.mean, at::kDouble)}, {"std", at::full({4, 1}, c.std, at::kDouble)}});
    for (int i = 0; i < 4; ++i) {
      const double x = out.at("action")[i][0].item<double>();
      EXPECT_NEAR(out.at("log_prob")[i].item<double>(), std::log(density(x)), 1e-9);
    }
    const int steps = 200000;
    double mass = 0, entropy = 0;
    for (int i = 0; i < steps; ++i) {
      const double x = -1 + (i + 0.5) * 2.0 / steps, p = density(x);
      mass += p * 2.0 / steps;
      if (p > 0) entropy -= p * std::log(p) * 2.0 / steps;
    }
    EXPECT_NEAR(mass, 1.0, 1e-6);
    EXPECT_NEAR(out.at("entropy")[0].item<double>(), entropy, 1e-5) << c.mean << " " << c.std;
  }
}

// Event dims sum: two action dims give the sum of each dim's terms.
TEST(RlTruncNormal, SumsOverTheActionDims) {
  TestNode node("rl.trunc_normal", {}, {}, 4);
  const auto mean = at::tensor({0.3, -0.5}, at::kDouble).view({1, 2}), std = at::tensor({0.4, 1.2}, at::kDouble).view({1, 2});
  const auto both = node.run({{"mean", mean}, {"std", std}});
  double entropy = 0;
  for (int i = 0; i < 2; ++i) {
    TestNode one("rl.trunc_normal", {{"mode", "mode"}});
    entropy += one.run({{"mean", mean.select(1, i).view({1, 1})}, {"std", std.select(1, i).view({1, 1})}}).at("entropy").item<double>();
  }
  EXPECT_EQ(both.at("entropy").sizes(), (std::vector<int64_t>{1}));
  EXPECT_NEAR(both.at("entropy").item<double>(), entropy, 1e-12);
}

// The sample is differentiable in mean and std at fixed uniform draws (the same seed each call).
TEST(RlTruncNormal, SampleGradientIsTheInverseCdfReparameterization) {
  auto sample = [](const std::vector<at::Tensor>& in) {
    TestNode node("rl.trunc_normal", {}, {}, 9);
    return node.run({{"mean", in[0]}, {"std", in[1]}}).at("action");
  };
  auto entropy = [](const std::vector<at::Tensor>& in) {
    TestNode node("rl.trunc_normal", {}, {}, 9);
    return node.run({{"mean", in[0]}, {"std", in[1]}}).at("entropy");
  };
  const auto mean = at::tensor({0.0, 0.6, -0.8, 0.95}, at::kDouble).view({2, 2}).requires_grad_();
  const auto std = at::tensor({1.0, 0.3, 0.2, 1.5}, at::kDouble).view({2, 2}).requires_grad_();
  EXPECT_LT(lf::testing::gradient_error(sample, {mean, std}), 1e-6);
  EXPECT_LT(lf::testing::gradient_error(entropy, {mean, std}), 1e-6);
}

// A float input gives float outputs, computed in double: also far in the tails (std 0.1 at the
// bound, alpha = -19.9) the draws stay finite and inside the bounds, and so does the gradient.
TEST(RlTruncNormal, FloatInputsStayFiniteInTheTails) {
  TestNode node("rl.trunc_normal", {}, {}, 3);
  const auto mean = at::full({10000, 1}, 0.99f).requires_grad_();
  const auto out = node.run({{"mean", mean}, {"std", at::full({10000, 1}, 0.1f)}});
  ASSERT_EQ(out.at("action").scalar_type(), at::kFloat);
  EXPECT_TRUE(at::isfinite(out.at("action")).all().item<bool>());
  EXPECT_LT(out.at("action").max().item<float>(), 1.0f);
  out.at("action").sum().backward();
  EXPECT_TRUE(at::isfinite(mean.grad()).all().item<bool>());
}

TEST(RlTruncNormal, ModeIsTheClampedLocationAndDrawsDependOnTheSeedOnly) {
  TestNode mode("rl.trunc_normal", {{"mode", "mode"}});
  const auto mean = at::tensor({-0.4, 0.9}, at::kDouble).view({1, 2});
  EXPECT_TRUE(at::equal(mode.run({{"mean", mean}, {"std", at::ones({1, 2}, at::kDouble)}}).at("action"), mean));
  TestNode a("rl.trunc_normal", {}, {}, 7), b("rl.trunc_normal", {}, {}, 7), c("rl.trunc_normal", {}, {}, 8);
  const std::map<std::string, at::Tensor> in = {{"mean", at::zeros({5, 2})}, {"std", at::ones({5, 2})}};
  const auto xa = a.run(in).at("action");
  EXPECT_TRUE(at::equal(xa, b.run(in).at("action")));
  EXPECT_FALSE(at::equal(xa, c.run(in).at("action")));
  EXPECT_THROW(TestNode("rl.trunc_normal", {{"low", 1.0}, {"high", 1.0}}), std::invalid_argument);
}

// The actor head: mean = tanh(raw location), std = 2 sigmoid((raw scale + init_std) / 2) + min_std,
// checked with the output layer's weights set to zero and its bias to known raw values.
TEST(RlNormalActor, HeadTransformsTheRawOutputs) {
  TestNode actor("rl.normal_actor", {{"in_dim", 3}, {"action_size", 2}, {"hidden", {4}}, {"init_std", 0.5}});
  {
    at::NoGradGuard no_grad;
    auto p = actor.module()->named_parameters();
    p["out.weight"].zero_();
    p["out.bias"].copy_(at::tensor({0.3f, -2.0f, 1.0f, -0.5f}));
  }
  const auto out = actor.run({{"x", at::randn({5, 3})}});
  const auto sig = [](double x) { return 1 / (1 + std::exp(-x)); };
  EXPECT_NEAR(out.at("mean")[0][0].item<float>(), std::tanh(0.3), 1e-6);
  EXPECT_NEAR(out.at("mean")[4][1].item<float>(), std::tanh(-2.0), 1e-6);
  EXPECT_NEAR(out.at("std")[2][0].item<float>(), 2 * sig((1.0 + 0.5) / 2) + 0.1, 1e-6);
  EXPECT_NEAR(out.at("std")[3][1].item<float>(), 2 * sig((-0.5 + 0.5) / 2) + 0.1, 1e-6);
}

// truncate false: the plain normal (DreamerV3's actor): mean + std eps with eps ~ N(0, 1), its
// log-density and entropy by hand, differentiable draws, the mean as the mode.
TEST(RlTruncNormal, UntruncatedIsTheNormal) {
  const int64_t n = 100000;
  TestNode node("rl.trunc_normal", {{"truncate", false}}, {}, 6);
  const auto mean = at::full({n, 1}, 0.8, at::kDouble).requires_grad_();
  const auto out = node.run({{"mean", mean}, {"std", at::full({n, 1}, 0.5, at::kDouble)}});
  const auto x = out.at("action").detach();
  EXPECT_NEAR(x.mean().item<double>(), 0.8, 5 * 0.5 / std::sqrt(double(n)));
  EXPECT_NEAR(x.std().item<double>(), 0.5, 0.01);
  EXPECT_GT(x.max().item<double>(), 1.5);  // not bounded
  const double x0 = x[0][0].item<double>(), z = (x0 - 0.8) / 0.5;
  EXPECT_NEAR(out.at("log_prob")[0].item<double>(), -0.5 * z * z - std::log(0.5) - 0.5 * std::log(2 * M_PI), 1e-12);
  EXPECT_NEAR(out.at("entropy")[0].item<double>(), 0.5 * std::log(2 * M_PI * M_E * 0.25), 1e-12);
  out.at("action").sum().backward();
  EXPECT_TRUE(at::allclose(mean.grad(), at::ones_like(mean)));
  TestNode mode("rl.trunc_normal", {{"truncate", false}, {"mode", "mode"}});
  const auto m = at::tensor({1.7, -0.2}, at::kDouble).view({1, 2});
  EXPECT_TRUE(at::equal(mode.run({{"mean", m}, {"std", at::ones({1, 2}, at::kDouble)}}).at("action"), m));
}

// DreamerV3's head: LayerNorm + SiLU hidden layers and std = (max - min) sigmoid(raw + 2) + min.
TEST(RlNormalActor, DreamerV3StdRuleAndLayerNorm) {
  TestNode actor("rl.normal_actor", {{"in_dim", 3}, {"action_size", 1}, {"hidden", {4, 4}}, {"activation", "silu"},
                                     {"layer_norm", true}, {"std_rule", "dreamerv3"}, {"min_std", 0.1}, {"max_std", 1.0}});
  auto p = actor.module()->named_parameters();
  EXPECT_TRUE(p.contains("norm0.weight"));
  EXPECT_FALSE(p.contains("fc0.bias"));  // a normed linear has no bias
  {
    at::NoGradGuard no_grad;
    p["out.weight"].zero_();
    p["out.bias"].copy_(at::tensor({0.4f, -1.0f}));
  }
  const auto out = actor.run({{"x", at::randn({2, 3})}});
  EXPECT_NEAR(out.at("mean")[1][0].item<float>(), std::tanh(0.4), 1e-6);
  EXPECT_NEAR(out.at("std")[1][0].item<float>(), 0.9 / (1 + std::exp(-1.0)) + 0.1, 1e-6);
  EXPECT_THROW(TestNode("rl.normal_actor", {{"in_dim", 3}, {"action_size", 1}, {"std_rule", "dreamerv3"}, {"max_std", 0.05}}),
               std::invalid_argument);
}

}  // namespace trunc_normal_test
