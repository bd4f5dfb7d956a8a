#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

const nlohmann::json kMode = {{"mode", "mode"}};

// The N(0, 1) draws a node seeded with `seed` makes for inputs of these sizes and dtype: read off a
// node of the same seed at mean 0, std 0.01, where tanh is invertible to full precision.
at::Tensor draws(uint64_t seed, Sizes sizes, at::ScalarType dtype) {
  TestNode probe("rl.tanh_normal", {}, {}, seed);
  auto a = probe.run({{"mean", at::zeros(sizes, dtype)}, {"std", at::full(sizes, 0.01, dtype)}}).at("action");
  return at::atanh(a.to(at::kDouble)) / 0.01;
}

// log N(u; m, s) - log(1 - tanh(u)^2) in double, with log(1 - tanh(u)^2) = -2 log cosh(u), which
// double holds for |u| < 710 where 1 - tanh(u)^2 itself underflows to 0 (|u| > 19).
double log_density(double u, double m, double s) {
  const double z = (u - m) / s;
  return -0.5 * z * z - std::log(s) - 0.5 * std::log(2 * M_PI) + 2 * std::log(std::cosh(u));
}

// The density of the action y = tanh(u) itself.
double action_log_density(double y, double m, double s) {
  return log_density(std::atanh(y), m, s);
}

TEST(RlTanhNormal, Shapes) {
  for (auto params : {nlohmann::json::object(), kMode}) {
    TestNode n("rl.tanh_normal", params);
    for (Sizes lead : {Sizes{4}, Sizes{2, 5}}) {
      Sizes in = lead;
      in.push_back(3);
      auto out = n.run({{"mean", at::randn(in)}, {"std", at::rand(in) + 0.1}});
      EXPECT_EQ(out.at("action").sizes(), in);
      EXPECT_EQ(out.at("log_prob").sizes(), lead);
      EXPECT_EQ(out.at("entropy").sizes(), lead);
    }
  }
}

TEST(RlTanhNormal, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("rl.tanh_normal", {{"mode", "mean"}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rl.tanh_normal", {{"samples", 0}}), std::invalid_argument);
}

// action = tanh(mean + std * eps) with standard normal eps that depend only on the seed.
TEST(RlTanhNormal, SampleIsTanhOfAReparameterizedGaussian) {
  const Sizes sizes{20000, 2};
  const auto eps = draws(3, sizes, at::kDouble);
  EXPECT_NEAR(eps.mean().item<double>(), 0.0, 0.03);
  EXPECT_NEAR(eps.std().item<double>(), 1.0, 0.03);
  TestNode n("rl.tanh_normal", {}, {}, 3);
  auto mean = at::randn(sizes, at::kDouble), std = at::rand(sizes, at::kDouble) + 0.1;
  auto out = n.run({{"mean", mean}, {"std", std}});
  EXPECT_TRUE(at::allclose(out.at("action"), at::tanh(mean + std * eps), 1e-9, 1e-9));
  EXPECT_TRUE(at::allclose(out.at("entropy"), -out.at("log_prob")));
}

// The log-density against log N(u) + 2 log cosh(u) in double, for pre-tanh u up to 40, where the
// naive float formula log(1 - tanh(u)^2) is -inf (and the reference's atanh of the clipped action
// would be off by many nats).
TEST(RlTanhNormal, LogProbMatchesTheDirectFormulaAlsoInTheTails) {
  const std::vector<double> m = {0.0, 1.5, -3.0, 9.0, -12.0, 20.0, -40.0};
  const std::vector<double> s = {1.0, 0.5, 0.2, 1.0, 0.3, 0.7, 0.05};
  const int64_t rows = static_cast<int64_t>(m.size());
  for (auto dtype : {at::kDouble, at::kFloat}) {
    const auto eps = draws(11, {rows, 2}, dtype);
    TestNode n("rl.tanh_normal", {}, {}, 11);
    auto mean = at::tensor(m, at::kDouble).unsqueeze(1).repeat({1, 2});
    mean.select(1, 1).mul_(0.5);  // the second action dim elsewhere
    auto std = at::tensor(s, at::kDouble).unsqueeze(1).repeat({1, 2});
    auto lp = n.run({{"mean", mean.to(dtype)}, {"std", std.to(dtype)}}).at("log_prob").to(at::kDouble);
    const auto u = mean + std * eps;
    for (int64_t i = 0; i < rows; ++i) {
      double want = 0;
      for (int64_t j = 0; j < 2; ++j)
        want += log_density(u[i][j].item<double>(), mean[i][j].item<double>(), std[i][j].item<double>());
      const double tol = dtype == at::kDouble ? 1e-9 : 1e-4 * std::max(1.0, std::abs(want));
      EXPECT_NEAR(lp[i].item<double>(), want, tol) << "row " << i << (dtype == at::kFloat ? " (float)" : "");
    }
    EXPECT_TRUE(at::isfinite(lp).all().item<bool>());
  }
  // The regime is one where the naive formula fails in float.
  const auto naive = at::log(1 - at::tanh(at::full({1}, 20.f)).square());
  EXPECT_FALSE(at::isfinite(naive).all().item<bool>());
}

// E[-log p(a)] over many one-sample estimates against the entropy integrated numerically in 1-D:
// H = -int p_u(u) log p_y(tanh(u)) du (the density of y written in its pre-image u).
TEST(RlTanhNormal, EntropyEstimatesMatchTheNumericalIntegral) {
  const double m = 0.5, s = 0.8;
  double h = 0;
  const int steps = 200000;
  const double lo = m - 12 * s, du = 24 * s / steps;
  for (int k = 0; k <= steps; ++k) {
    const double u = lo + k * du, lp = log_density(u, m, s);
    const double z = (u - m) / s, pu = std::exp(-0.5 * z * z) / (s * std::sqrt(2 * M_PI));
    h -= (k == 0 || k == steps ? 0.5 : 1.0) * pu * lp * du;
  }
  EXPECT_LT(h, 0.5 * std::log(2 * M_PI * M_E * s * s));  // tanh squeezes: below the Gaussian's

  TestNode one("rl.tanh_normal", {}, {}, 5);
  const int64_t n = 200000;
  auto e = one.run({{"mean", at::full({n, 1}, m, at::kDouble)}, {"std", at::full({n, 1}, s, at::kDouble)}})
               .at("entropy");
  const double se = e.std().item<double>() / std::sqrt(static_cast<double>(n));
  EXPECT_NEAR(e.mean().item<double>(), h, 4 * se);
  EXPECT_LT(se, 0.01);

  // Mode "mode" gives SampleDist's entropy: the average over its `samples` draws per row.
  TestNode many("rl.tanh_normal", kMode, {}, 6);  // other draws than `one`
  const int64_t rows = 2000;
  auto e100 = many.run({{"mean", at::full({rows, 1}, m, at::kDouble)}, {"std", at::full({rows, 1}, s, at::kDouble)}})
                  .at("entropy");
  const double se100 = e100.std().item<double>() / std::sqrt(static_cast<double>(rows));
  EXPECT_NEAR(e100.mean().item<double>(), h, 4 * se100);
  EXPECT_LT(se100, se * std::sqrt(n / 100.0 / rows) * 1.5);  // 100 draws per row average out
}

// The most likely of the draws sits at the maximum of the action density, found by a fine grid
// search over y in (-1, 1); the density's maximum is not tanh(mean).
TEST(RlTanhNormal, ModeFindsTheDensityMaximum) {
  const std::vector<double> m = {0.8, -1.2, 0.0}, s = {0.4, 0.3, 0.5};
  std::vector<double> best(m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    double top = -INFINITY;
    for (double y = -1 + 1e-6; y < 1; y += 1e-6) {
      const double lp = action_log_density(y, m[i], s[i]);
      if (lp > top) top = lp, best[i] = y;
    }
  }
  EXPECT_GT(best[0] - std::tanh(m[0]), 0.1);
  const int64_t copies = 50;
  auto mean = at::tensor(m, at::kDouble).repeat({copies}).unsqueeze(1);
  auto std = at::tensor(s, at::kDouble).repeat({copies}).unsqueeze(1);
  for (int64_t samples : {100, 20000}) {
    TestNode n("rl.tanh_normal", {{"mode", "mode"}, {"samples", samples}}, {}, 9);
    auto out = n.run({{"mean", mean}, {"std", std}});
    auto a = out.at("action").view({copies, 3});
    const double tol = samples == 100 ? 0.08 : 0.005;
    for (size_t i = 0; i < m.size(); ++i) {
      auto col = a.select(1, static_cast<int64_t>(i));
      EXPECT_LT((col - best[i]).abs().max().item<double>(), tol) << "row " << i << ", samples " << samples;
      // the log_prob output is the density at the returned action
      EXPECT_NEAR(out.at("log_prob").view({copies, 3})[0][i].item<double>(),
                  action_log_density(col[0].item<double>(), m[i], s[i]), 1e-6);
    }
  }
}

TEST(RlTanhNormal, ModeStaysInTheBoundsAndHasNoGradient) {
  TestNode n("rl.tanh_normal", kMode);
  auto mean = at::tensor({30.0f, -30.0f, 0.0f, 4.0f}).view({2, 2}).requires_grad_();
  auto std = at::tensor({1e-4f, 1.0f, 5.0f, 0.5f}).view({2, 2}).requires_grad_();
  auto out = n.run({{"mean", mean}, {"std", std}});
  EXPECT_LE(out.at("action").abs().max().item<float>(), 1.f);
  EXPECT_EQ(out.at("action")[0][0].item<float>(), 1.f);
  for (const char* k : {"action", "log_prob", "entropy"}) EXPECT_FALSE(out.at(k).requires_grad()) << k;
  EXPECT_TRUE(at::isfinite(out.at("log_prob")).all().item<bool>());
}

// The sample's gradient with respect to mean and std, the draws held fixed by restoring the
// generator before every call.
TEST(RlTanhNormal, SampleGradientsMatchFiniteDifferences) {
  TestNode n("rl.tanh_normal");
  lf::TensorDict state;
  n.node().save_state(state);
  auto f = [&](const std::vector<at::Tensor>& in) {
    n.node().load_state(state);
    auto out = n.run({{"mean", in[0]}, {"std", in[1]}});
    return at::cat({out.at("action"), out.at("log_prob").unsqueeze(-1), out.at("entropy").unsqueeze(-1)}, -1);
  };
  auto mean = (2 * at::randn({4, 3}, at::kDouble)).requires_grad_();
  auto std = (at::rand({4, 3}, at::kDouble) + 0.3).requires_grad_();
  EXPECT_LT(lf::testing::gradient_error(f, {mean, std}), 1e-6);
  // and the gradients are not zero: the action moves with both
  auto a = f({mean, std}).narrow(-1, 0, 3).sum();
  auto g = torch::autograd::grad({a}, {mean, std});
  EXPECT_GT(g[0].abs().min().item<double>(), 0.0);
  EXPECT_GT(g[1].abs().max().item<double>(), 0.0);
}

TEST(RlTanhNormal, SameSeedSameDrawsAndSaveLoadResumes) {
  for (auto params : {nlohmann::json::object(), kMode}) {
    TestNode a("rl.tanh_normal", params, {}, 4), b("rl.tanh_normal", params, {}, 4),
        c("rl.tanh_normal", params, {}, 5);
    const std::map<std::string, at::Tensor> in = {{"mean", at::zeros({6, 2})}, {"std", at::ones({6, 2})}};
    lf::TensorDict before;
    a.node().save_state(before);
    const auto ya = a.run(in).at("action");
    EXPECT_TRUE(at::equal(ya, b.run(in).at("action")));
    EXPECT_FALSE(at::equal(ya, c.run(in).at("action")));
    lf::TensorDict state;
    a.node().save_state(state);
    const auto next = a.run(in).at("action");
    EXPECT_FALSE(at::equal(next, ya));
    c.node().load_state(state);
    EXPECT_TRUE(at::equal(next, c.run(in).at("action")));
    c.node().load_state(before);  // a state saved before the first call
    EXPECT_TRUE(at::equal(ya, c.run(in).at("action")));
    EXPECT_THROW(c.node().load_state({}), std::invalid_argument);
  }
}

}  // namespace
