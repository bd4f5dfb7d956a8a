#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

at::Tensor row(std::vector<float> v, int64_t n) {
  auto t = at::tensor(v).view({1, 1, static_cast<int64_t>(v.size())});
  return t.expand({n, 1, t.size(2)}).contiguous();
}

TEST(MdnSample, OutputShapeDropsTheMixtureDim) {
  TestNode s("mdn.sample");
  auto m = at::randn({4, 7, 32, 5});
  EXPECT_EQ(s.run({{"logit_pi", m}, {"mu", m}, {"log_sigma", m}}).at("z").sizes(), (Sizes{4, 7, 32}));
}

TEST(MdnSample, RejectsBadTemperature) {
  EXPECT_THROW(TestNode("mdn.sample", {{"temperature", 0.0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("mdn.sample", {{"temperature", -1.0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("mdn.sample", {{"temperature", "hot"}}), std::invalid_argument);
  EXPECT_NO_THROW(TestNode("mdn.sample", {{"temperature", 1e-4}}));
}

// tau -> 0+: the most likely component is always chosen and its std shrinks by sqrt(tau).
TEST(MdnSample, LowTemperatureApproachesTheMeanOfTheMostLikelyComponent) {
  TestNode s("mdn.sample", {{"temperature", 1e-4}});
  const int64_t n = 2000;
  auto z = s.run({{"logit_pi", row({0.0f, 0.5f, -1.0f}, n)}, {"mu", row({-3.0f, 5.0f, 1.0f}, n)},
                  {"log_sigma", row({0.0f, 0.0f, 1.0f}, n)}})
               .at("z");
  EXPECT_LT((z - 5.0).abs().max().item<double>(), 0.06);  // std 1 * sqrt(1e-4) = 0.01
  EXPECT_NEAR(z.mean().item<double>(), 5.0, 1e-3);
}

TEST(MdnSample, MomentsMatchTheMixtureAtTemperatureOne) {
  TestNode s("mdn.sample", {}, {}, 11);
  const int64_t n = 200000;
  // weights (0.3, 0.7), means (-2, 1), stds (0.5, 1.5)
  auto z = s.run({{"logit_pi", row({std::log(0.3f), std::log(0.7f)}, n)}, {"mu", row({-2.0f, 1.0f}, n)},
                  {"log_sigma", row({std::log(0.5f), std::log(1.5f)}, n)}})
               .at("z")
               .to(at::kDouble);
  const double mean = 0.3 * -2.0 + 0.7 * 1.0;
  const double var = 0.3 * (0.25 + 4.0) + 0.7 * (2.25 + 1.0) - mean * mean;  // 3.54
  EXPECT_NEAR(z.mean().item<double>(), mean, 0.02);  // standard error ~0.004
  EXPECT_NEAR(z.var().item<double>(), var, 0.05);
  // the fraction of samples below -0.5 is mostly component 0: P = 0.3 Phi(3) + 0.7 Phi(-1)
  const auto phi = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  EXPECT_NEAR((z < -0.5).to(at::kDouble).mean().item<double>(), 0.3 * phi(3.0) + 0.7 * phi(-1.0), 0.01);
}

// Temperature 4 on one component: the std doubles (sqrt(tau)); on two: weights softmax(logit / tau).
TEST(MdnSample, TemperatureScalesStdAndFlattensWeights) {
  TestNode s("mdn.sample", {{"temperature", 4.0}}, {}, 5);
  const int64_t n = 100000;
  auto z = s.run({{"logit_pi", row({0.0f}, n)}, {"mu", row({1.0f}, n)}, {"log_sigma", row({0.0f}, n)}}).at("z");
  EXPECT_NEAR(z.std().item<double>(), 2.0, 0.03);
  auto w = s.run({{"logit_pi", row({0.0f, 4.0f * std::log(3.0f)}, n)}, {"mu", row({-100.0f, 100.0f}, n)},
                  {"log_sigma", row({0.0f, 0.0f}, n)}})
               .at("z");
  EXPECT_NEAR((w > 0).to(at::kDouble).mean().item<double>(), 0.75, 0.01);  // softmax([0, ln 3])
}

TEST(MdnSample, SameSeedSameSamples) {
  TestNode a("mdn.sample", {}, {}, 3), b("mdn.sample", {}, {}, 3), c("mdn.sample", {}, {}, 4);
  auto m = at::randn({16, 8, 5}), mu = at::randn({16, 8, 5}), ls = at::randn({16, 8, 5});
  std::map<std::string, at::Tensor> in{{"logit_pi", m}, {"mu", mu}, {"log_sigma", ls}};
  auto za = a.run(in).at("z");
  EXPECT_TRUE(at::equal(za, b.run(in).at("z")));
  EXPECT_FALSE(at::allclose(za, c.run(in).at("z")));
  EXPECT_FALSE(at::allclose(za, a.run(in).at("z")));  // the generator advances
}

TEST(MdnSample, DifferentiableInMeanAndStd) {
  TestNode s("mdn.sample");
  auto mu = at::randn({4, 3, 2}).requires_grad_(), ls = at::randn({4, 3, 2}).requires_grad_();
  auto z = s.run({{"logit_pi", at::zeros({4, 3, 2})}, {"mu", mu}, {"log_sigma", ls}}).at("z");
  z.sum().backward();
  // each z picks exactly one component: d z / d mu is one-hot over K
  EXPECT_TRUE(at::equal(mu.grad().sum(-1), at::ones({4, 3})));
  EXPECT_TRUE(ls.grad().defined());
}

}  // namespace
