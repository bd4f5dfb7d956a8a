#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "kl_reference.h"
#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

at::Tensor col(std::vector<double> v) { return at::tensor(v, at::kDouble).view({-1, 1}); }

std::map<std::string, at::Tensor> two_steps(at::Tensor post_mean) {
  // step 0: q = N(1, 0.5^2), step 1: q = N(5, 0.5^2); p = N(0, 1) for both.
  return {{"post_mean", post_mean}, {"post_std", col({0.5, 0.5})}, {"prior_mean", col({0., 0.})},
          {"prior_std", col({1., 1.})}};
}

TEST(LossesKlGaussian, MatchesClosedFormIn1D) {
  TestNode kl("losses.kl_gaussian", {{"free_nats", 0.0}});
  auto out = kl.run({{"post_mean", col({1.})}, {"post_std", col({0.5})}, {"prior_mean", col({-0.5})},
                     {"prior_std", col({2.})}});
  EXPECT_NEAR(out.at("kl").item<double>(), kl1(1, 0.5, -0.5, 2), 1e-12);
  EXPECT_NEAR(out.at("kl_raw").item<double>(), kl1(1, 0.5, -0.5, 2), 1e-12);
  EXPECT_EQ(out.at("kl").dim(), 0);
}

TEST(LossesKlGaussian, SumsOverStochAndIsZeroForEqualDistributions) {
  TestNode kl("losses.kl_gaussian", {{"free_nats", 0.0}});
  auto m = at::randn({4, 3}, at::kDouble), s = at::rand({4, 3}, at::kDouble) + 0.1;
  EXPECT_NEAR(kl.run({{"post_mean", m}, {"post_std", s}, {"prior_mean", m}, {"prior_std", s}}).at("kl").item<double>(),
              0.0, 1e-12);
  auto out = kl.run({{"post_mean", at::ones({2, 3}, at::kDouble)}, {"post_std", at::ones({2, 3}, at::kDouble)},
                     {"prior_mean", at::zeros({2, 3}, at::kDouble)}, {"prior_std", at::ones({2, 3}, at::kDouble)}});
  EXPECT_NEAR(out.at("kl").item<double>(), 3 * 0.5, 1e-12);
}

// PlaNet clamps each step (mean of max), Dreamer the batch mean (max of mean).
TEST(LossesKlGaussian, FreeNatsModes) {
  const double a = kl1(1, 0.5, 0, 1), b = kl1(5, 0.5, 0, 1);  // 0.818, 12.818
  TestNode per_step("losses.kl_gaussian", {{"free_nats", 3.0}});
  auto out = per_step.run(two_steps(col({1., 5.})));
  EXPECT_NEAR(out.at("kl").item<double>(), (3.0 + b) / 2, 1e-12);
  EXPECT_NEAR(out.at("kl_raw").item<double>(), (a + b) / 2, 1e-12);
  TestNode batch("losses.kl_gaussian", {{"free_nats", 3.0}, {"free_nats_mode", "batch_mean"}});
  EXPECT_NEAR(batch.run(two_steps(col({1., 5.}))).at("kl").item<double>(), (a + b) / 2, 1e-12);
  TestNode high("losses.kl_gaussian", {{"free_nats", 10.0}, {"free_nats_mode", "batch_mean"}});
  EXPECT_NEAR(high.run(two_steps(col({1., 5.}))).at("kl").item<double>(), 10.0, 1e-12);
}

TEST(LossesKlGaussian, NoGradientWhereClamped) {
  TestNode per_step("losses.kl_gaussian", {{"free_nats", 3.0}});
  auto mq = col({1., 5.}).requires_grad_();
  auto g = torch::autograd::grad({per_step.run(two_steps(mq)).at("kl")}, {mq})[0];
  EXPECT_EQ(g[0].item<double>(), 0.0);              // step 0 is below free nats
  EXPECT_NEAR(g[1].item<double>(), 5.0 / 2, 1e-12);  // d/dmq (mq^2 / 2) / 2 steps
  TestNode batch("losses.kl_gaussian", {{"free_nats", 10.0}, {"free_nats_mode", "batch_mean"}});
  auto mq2 = col({1., 5.}).requires_grad_();
  auto g2 = torch::autograd::grad({batch.run(two_steps(mq2)).at("kl")}, {mq2})[0];
  EXPECT_EQ(g2.abs().sum().item<double>(), 0.0);
}

TEST(LossesKlGaussian, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("losses.kl_gaussian", {{"free_nats", -1.0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("losses.kl_gaussian", {{"free_nats_mode", "per_batch"}}), std::invalid_argument);
}

TEST(LossesKlGaussian, GradientMatchesFiniteDifferences) {
  TestNode kl("losses.kl_gaussian", {{"free_nats", 0.0}});
  auto f = [&](const std::vector<at::Tensor>& in) {
    return kl.run({{"post_mean", in[0]}, {"post_std", in[1].exp()}, {"prior_mean", in[2]}, {"prior_std", in[3].exp()}})
        .at("kl");
  };
  std::vector<at::Tensor> in;
  for (int i = 0; i < 4; ++i) in.push_back(at::randn({5, 3}, at::kDouble).requires_grad_());
  EXPECT_LT(lf::testing::gradient_error(f, in), 1e-6);
}

}  // namespace
