#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

const nlohmann::json kSmallPrior = {{"deter", 6}, {"stoch", 3}, {"hidden", 5}};

void copy_weights(TestNode& from, TestNode& to) {
  at::NoGradGuard no_grad;
  auto dst = to.module()->named_parameters();
  for (const auto& p : from.module()->named_parameters()) dst[p.key()].copy_(p.value());
}

TEST(RssmGaussianPrior, OutputShapesForAnyLeadingDims) {
  TestNode prior("rssm.gaussian_prior", kSmallPrior);
  for (Sizes lead : {Sizes{4}, Sizes{2, 5}}) {
    Sizes in = lead, want = lead;
    in.push_back(6);
    want.push_back(3);
    auto out = prior.run({{"h", at::randn(in)}});
    for (const char* k : {"mean", "std", "sample"}) EXPECT_EQ(out.at(k).sizes(), want) << k;
  }
}

TEST(RssmGaussianPrior, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("rssm.gaussian_prior", {{"stoch", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rssm.gaussian_prior", {{"min_std", -0.1}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rssm.gaussian_prior", {{"sample", 1.5}}), std::invalid_argument);
}

TEST(RssmGaussianPrior, StdIsSoftplusPlusMinStd) {
  auto params = kSmallPrior;
  params["min_std"] = 0.5;
  TestNode prior("rssm.gaussian_prior", params);
  auto h = 100 * at::randn({64, 6});
  auto out = prior.run({{"h", h}});
  EXPECT_GE(out.at("std").min().item<double>(), 0.5);
  auto p = prior.module()->named_parameters();
  at::NoGradGuard no_grad;
  auto u = at::linear(at::elu(at::linear(h, p["hidden.weight"], p["hidden.bias"])), p["out.weight"],
                      p["out.bias"]).chunk(2, -1);
  EXPECT_TRUE(at::allclose(out.at("mean"), u[0], 1e-4, 1e-4));
  EXPECT_TRUE(at::allclose(out.at("std"), at::softplus(u[1]) + 0.5, 1e-4, 1e-4));
}

TEST(RssmGaussianPrior, MeanAndStdGradientsMatchFiniteDifferences) {
  auto params = kSmallPrior;
  params["sample"] = false;
  TestNode prior("rssm.gaussian_prior", params);
  prior.to_double();
  auto f = [&](const std::vector<at::Tensor>& in) {
    auto out = prior.run({{"h", in[0]}});
    return at::cat({out.at("mean"), out.at("std"), out.at("sample")}, -1);
  };
  EXPECT_LT(lf::testing::gradient_error(f, {at::randn({3, 6}, at::kDouble).requires_grad_()}), 1e-6);
}

TEST(RssmGaussianPrior, SampleIsMeanWhenSamplingIsOff) {
  auto params = kSmallPrior;
  params["sample"] = false;
  TestNode prior("rssm.gaussian_prior", params);
  auto out = prior.run({{"h", at::randn({4, 6})}});
  EXPECT_TRUE(at::equal(out.at("sample"), out.at("mean")));
}

// Equal seeds give equal noise; the noise is standard normal and advances from call to call.
TEST(RssmGaussianPrior, SeededReparameterizedSamples) {
  TestNode a("rssm.gaussian_prior", kSmallPrior, {}, 7), b("rssm.gaussian_prior", kSmallPrior, {}, 7),
      c("rssm.gaussian_prior", kSmallPrior, {}, 8);
  copy_weights(a, b);
  copy_weights(a, c);
  auto h = at::randn({500, 6});
  auto eps = [&](TestNode& n) {
    auto out = n.run({{"h", h}});
    return ((out.at("sample") - out.at("mean")) / out.at("std")).detach();
  };
  auto ea = eps(a), eb = eps(b), ec = eps(c);
  EXPECT_TRUE(at::allclose(ea, eb, 1e-5, 1e-5));
  EXPECT_FALSE(at::allclose(ea, ec));
  EXPECT_FALSE(at::allclose(ea, eps(a)));
  EXPECT_NEAR(ea.mean().item<double>(), 0.0, 0.1);
  EXPECT_NEAR(ea.std().item<double>(), 1.0, 0.1);
}

// d sample / d h is the gradient of mean + std * eps with eps held fixed.
TEST(RssmGaussianPrior, SampleIsDifferentiable) {
  TestNode prior("rssm.gaussian_prior", kSmallPrior);
  prior.to_double();
  auto h = at::randn({4, 6}, at::kDouble).requires_grad_();
  auto out = prior.run({{"h", h}});
  auto eps = ((out.at("sample") - out.at("mean")) / out.at("std")).detach();
  auto g_sample = torch::autograd::grad({out.at("sample").sum()}, {h}, {}, true)[0];
  auto g_reparam = torch::autograd::grad({(out.at("mean") + out.at("std") * eps).sum()}, {h})[0];
  EXPECT_TRUE(at::allclose(g_sample, g_reparam, 1e-8, 1e-10));
  EXPECT_GT(g_sample.abs().sum().item<double>(), 0.0);
}

}  // namespace
