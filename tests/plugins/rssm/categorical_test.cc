// rssm.categorical_prior / rssm.categorical_posterior: shapes, one-hot draws that follow the
// probabilities, the straight-through gradient, unimix, the mode, draws that resume exactly, and
// the posterior reading [h, embed].
#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/compute_check.h"
#include "support/node_harness.h"

namespace categorical_test {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

const nlohmann::json kSmall = {{"deter", 6}, {"stoch", 3}, {"classes", 4}, {"hidden", 5}};

void copy_weights(TestNode& from, TestNode& to) {
  at::NoGradGuard no_grad;
  auto dst = to.module()->named_parameters();
  for (const auto& p : from.module()->named_parameters()) dst[p.key()].copy_(p.value());
}

nlohmann::json with(nlohmann::json j, const std::string& k, nlohmann::json v) {
  j[k] = std::move(v);
  return j;
}

TEST(RssmCategorical, ComputesInBFloat16) {
  lf::testing::expect_bfloat16_matches_float32("rssm.categorical_prior",
                                               {{"deter", 48}, {"stoch", 4}, {"classes", 8}, {"hidden", 40}},
                                               {{"h", at::randn({8, 48})}}, "logits");
}

TEST(RssmCategorical, ShapesForAnyLeadingDims) {
  TestNode prior("rssm.categorical_prior", kSmall);
  TestNode post("rssm.categorical_posterior", with(kSmall, "embed", 7));
  for (Sizes lead : {Sizes{4}, Sizes{2, 5}}) {
    Sizes h = lead, e = lead, logits = lead, sample = lead;
    h.push_back(6);
    e.push_back(7);
    logits.insert(logits.end(), {3, 4});
    sample.push_back(12);
    const auto a = prior.run({{"h", at::randn(h)}}), b = post.run({{"h", at::randn(h)}, {"embed", at::randn(e)}});
    EXPECT_EQ(a.at("logits").sizes(), logits);
    EXPECT_EQ(a.at("sample").sizes(), sample);
    EXPECT_EQ(b.at("logits").sizes(), logits);
    EXPECT_EQ(b.at("sample").sizes(), sample);
  }
}

// Each latent's sample is one class, drawn with the head's probabilities.
TEST(RssmCategorical, OneHotDrawsFollowTheProbabilities) {
  TestNode prior("rssm.categorical_prior", kSmall);
  const auto h = at::randn({1, 6}).expand({20000, 6}).contiguous();
  const auto out = prior.run({{"h", h}});
  const auto s = out.at("sample").view({20000, 3, 4});
  EXPECT_TRUE(s.sum(-1).eq(1).all().item<bool>());
  EXPECT_TRUE(s.eq(0).logical_or(s.eq(1)).all().item<bool>());
  const auto probs = out.at("logits")[0].exp();
  EXPECT_NEAR((s.mean(0) - probs).abs().max().item<double>(), 0.0, 0.015);
}

// d(sample . w) / d(input) is d(probs . w) / d(input): the straight-through estimator.
TEST(RssmCategorical, StraightThroughGradient) {
  TestNode prior("rssm.categorical_prior", kSmall);
  const auto h = at::randn({2, 6}).requires_grad_();
  const auto w = at::randn({2, 12});
  const auto out = prior.run({{"h", h}});
  const auto g_sample = torch::autograd::grad({(out.at("sample") * w).sum()}, {h}, {}, true)[0];
  const auto g_probs = torch::autograd::grad({(out.at("logits").exp().flatten(-2) * w).sum()}, {h})[0];
  EXPECT_TRUE(g_sample.allclose(g_probs, 1e-5, 1e-6));
  EXPECT_GT(g_sample.abs().sum().item<double>(), 0);
}

TEST(RssmCategorical, UnimixKeepsEveryClassAboveItsShare) {
  TestNode plain("rssm.categorical_prior", kSmall), mixed("rssm.categorical_prior", with(kSmall, "unimix", 0.01));
  copy_weights(plain, mixed);
  const auto h = at::randn({8, 6}) * 50;  // saturated logits: some classes near 0 without the mix
  const auto p = plain.run({{"h", h}}).at("logits").exp(), q = mixed.run({{"h", h}}).at("logits").exp();
  EXPECT_NEAR(q.sum(-1).sub(1).abs().max().item<double>(), 0.0, 1e-5);
  EXPECT_GE(q.min().item<double>(), 0.01 / 4 - 1e-7);
  // The mix is (1 - u) p + u / classes.
  EXPECT_TRUE(q.allclose(0.99 * p + 0.01 / 4, 1e-5, 1e-6));
}

TEST(RssmCategorical, ModeIsTheMostLikelyClassWithoutGradient) {
  TestNode prior("rssm.categorical_prior", with(kSmall, "sample", false));
  const auto h = at::randn({5, 6}).requires_grad_();
  const auto out = prior.run({{"h", h}});
  const auto want = at::one_hot(out.at("logits").argmax(-1), 4).to(at::kFloat).flatten(-2);
  EXPECT_TRUE(out.at("sample").equal(want));
  EXPECT_FALSE(out.at("sample").requires_grad());
  EXPECT_TRUE(out.at("mode").equal(want));
  // A sampling head gives the same mode beside its draw.
  TestNode sampling("rssm.categorical_prior", kSmall);
  copy_weights(prior, sampling);
  const auto drawn = sampling.run({{"h", h}});
  EXPECT_TRUE(drawn.at("mode").equal(want));
  EXPECT_FALSE(drawn.at("mode").requires_grad());
  EXPECT_TRUE(drawn.at("sample").requires_grad());
}

TEST(RssmCategorical, DrawsResumeFromTheSavedGenerator) {
  TestNode a("rssm.categorical_prior", kSmall), b("rssm.categorical_prior", kSmall);
  copy_weights(a, b);
  const auto h = at::randn({64, 6});
  a.run({{"h", h}});
  lf::TensorDict saved;
  a.node().save_state(saved);
  b.node().load_state(saved);
  EXPECT_TRUE(a.run({{"h", h}}).at("sample").equal(b.run({{"h", h}}).at("sample")));
}

// DreamerV3's head: LayerNorm without the hidden bias, SiLU.
TEST(RssmCategorical, LayerNormVariantHasItsWeights) {
  TestNode v3("rssm.categorical_prior", with(with(kSmall, "layer_norm", true), "act", "silu"));
  const auto params = v3.module()->named_parameters();
  EXPECT_TRUE(params.contains("norm.weight"));
  EXPECT_FALSE(params.contains("hidden.bias"));
  EXPECT_EQ(v3.run({{"h", at::randn({2, 6})}}).at("sample").sizes(), (Sizes{2, 12}));
  EXPECT_THROW(TestNode("rssm.categorical_prior", with(kSmall, "classes", 1)), std::invalid_argument);
  EXPECT_THROW(TestNode("rssm.categorical_prior", with(kSmall, "unimix", 1.5)), std::invalid_argument);
}

}  // namespace categorical_test
