#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

const nlohmann::json kSmallPosterior = {{"deter", 6}, {"embed", 4}, {"stoch", 3}, {"hidden", 5}};

TEST(RssmGaussianPosterior, OutputShapes) {
  TestNode post("rssm.gaussian_posterior", kSmallPosterior);
  auto out = post.run({{"h", at::randn({2, 5, 6})}, {"embed", at::randn({2, 5, 4})}});
  for (const char* k : {"mean", "std", "sample"}) EXPECT_EQ(out.at(k).sizes(), (Sizes{2, 5, 3})) << k;
}

TEST(RssmGaussianPosterior, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("rssm.gaussian_posterior", {{"deter", 6}}), std::invalid_argument);  // embed required
  EXPECT_THROW(TestNode("rssm.gaussian_posterior", {{"embed", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rssm.gaussian_posterior", {{"embed", 4}, {"act", "gelu"}}), std::invalid_argument);
}

// The posterior sees both h and the embedding: its first layer takes deter + embed inputs.
TEST(RssmGaussianPosterior, ConditionsOnStateAndEmbedding) {
  TestNode post("rssm.gaussian_posterior", kSmallPosterior);
  auto p = post.module()->named_parameters();
  EXPECT_EQ(p["hidden.weight"].sizes(), (Sizes{5, 10}));
  auto h = at::randn({2, 6}), e = at::randn({2, 4});
  auto m = post.run({{"h", h}, {"embed", e}}).at("mean");
  EXPECT_FALSE(at::allclose(m, post.run({{"h", h}, {"embed", e + 1}}).at("mean")));
  EXPECT_FALSE(at::allclose(m, post.run({{"h", h + 1}, {"embed", e}}).at("mean")));
}

TEST(RssmGaussianPosterior, StdAtLeastMinStd) {
  auto params = kSmallPosterior;
  params["min_std"] = 0.3;
  TestNode post("rssm.gaussian_posterior", params);
  auto out = post.run({{"h", 100 * at::randn({64, 6})}, {"embed", 100 * at::randn({64, 4})}});
  EXPECT_GE(out.at("std").min().item<double>(), 0.3);
}

TEST(RssmGaussianPosterior, MeanAndStdGradientsMatchFiniteDifferences) {
  TestNode post("rssm.gaussian_posterior", kSmallPosterior);
  post.to_double();
  auto f = [&](const std::vector<at::Tensor>& in) {
    auto out = post.run({{"h", in[0]}, {"embed", in[1]}});
    return at::cat({out.at("mean"), out.at("std")}, -1);
  };
  EXPECT_LT(lf::testing::gradient_error(f, {at::randn({3, 6}, at::kDouble).requires_grad_(),
                                            at::randn({3, 4}, at::kDouble).requires_grad_()}),
            1e-6);
}

TEST(RssmGaussianPosterior, EqualSeedsGiveEqualSamples) {
  TestNode a("rssm.gaussian_posterior", kSmallPosterior, {}, 3), b("rssm.gaussian_posterior", kSmallPosterior, {}, 3);
  {
    at::NoGradGuard no_grad;
    auto dst = b.module()->named_parameters();
    for (const auto& p : a.module()->named_parameters()) dst[p.key()].copy_(p.value());
  }
  auto h = at::randn({8, 6}), e = at::randn({8, 4});
  auto sa = a.run({{"h", h}, {"embed", e}}).at("sample");
  auto sb = b.run({{"h", h}, {"embed", e}}).at("sample");
  EXPECT_TRUE(at::allclose(sa, sb));
}

}  // namespace
