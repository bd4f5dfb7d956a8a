#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/compute_check.h"
#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

const nlohmann::json kSmall = {{"deter", 6}, {"stoch", 3}, {"action_size", 2}, {"hidden", 5}};

TEST(RssmDeterministic, OutputShapeAndWeights) {
  TestNode cell("rssm.deterministic", kSmall);
  auto out = cell.run({{"h", at::randn({4, 6})}, {"s", at::randn({4, 3})}, {"a", at::randn({4, 2})}});
  EXPECT_EQ(out.at("h_next").sizes(), (Sizes{4, 6}));
  int64_t n = 0;
  for (const auto& p : cell.module()->parameters()) n += p.numel();
  // input layer (3+2)*5+5, GRU 3*6*(5+6) weights + 2*3*6 biases
  EXPECT_EQ(n, 30 + 198 + 36);
}

TEST(RssmDeterministic, ComputesInBFloat16) {
  for (const char* gru : {"keras", "norm"}) {
    lf::testing::expect_bfloat16_matches_float32(
        "rssm.deterministic", {{"deter", 48}, {"stoch", 24}, {"action_size", 2}, {"hidden", 40}, {"gru", gru}},
        {{"h", at::randn({8, 48})}, {"s", at::randn({8, 24})}, {"a", at::randn({8, 2})}}, "h_next");
  }
}

TEST(RssmDeterministic, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("rssm.deterministic", {{"deter", 6}}), std::invalid_argument);  // action required
  EXPECT_THROW(TestNode("rssm.deterministic", {{"action_size", 2}, {"deter", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rssm.deterministic", {{"action_size", 2}, {"act", "tanh"}}), std::invalid_argument);
}

// h' = (1 - z) n + z h with the reset gate applied after the recurrent matmul (Keras
// reset_after=True, as in Dreamer), on x = elu(W [s, a] + b).
TEST(RssmDeterministic, MatchesHandWrittenGru) {
  TestNode cell("rssm.deterministic", kSmall);
  auto h = at::randn({2, 6}), s = at::randn({2, 3}), a = at::randn({2, 2});
  auto got = cell.run({{"h", h}, {"s", s}, {"a", a}}).at("h_next");
  auto p = cell.module()->named_parameters();
  at::NoGradGuard no_grad;
  auto x = at::elu(at::linear(at::cat({s, a}, -1), p["in.weight"], p["in.bias"]));
  auto gi = at::linear(x, p["gru.weight_ih"], p["gru.bias_ih"]).chunk(3, -1);
  auto gh = at::linear(h, p["gru.weight_hh"], p["gru.bias_hh"]).chunk(3, -1);
  auto r = at::sigmoid(gi[0] + gh[0]), z = at::sigmoid(gi[1] + gh[1]);
  auto n = at::tanh(gi[2] + r * gh[2]);
  EXPECT_TRUE(at::allclose(got, (1 - z) * n + z * h, 1e-5, 1e-6));
}

TEST(RssmDeterministic, ReluVariant) {
  auto params = kSmall;
  params["act"] = "relu";
  TestNode cell("rssm.deterministic", params);
  auto out = cell.run({{"h", at::zeros({1, 6})}, {"s", at::zeros({1, 3})}, {"a", at::zeros({1, 2})}});
  EXPECT_EQ(out.at("h_next").sizes(), (Sizes{1, 6}));
}

TEST(RssmDeterministic, GradientMatchesFiniteDifferences) {
  TestNode cell("rssm.deterministic", kSmall);
  cell.to_double();
  auto f = [&](const std::vector<at::Tensor>& in) {
    return cell.run({{"h", in[0]}, {"s", in[1]}, {"a", in[2]}}).at("h_next");
  };
  auto r = [](at::IntArrayRef s) { return at::randn(s, at::kDouble).requires_grad_(); };
  EXPECT_LT(lf::testing::gradient_error(f, {r({3, 6}), r({3, 3}),
                                            r({3, 2})}),
            1e-6);
}

// DreamerV2/V3's GRU: LayerNorm over the three gates of one bias-free layer, the update biased by -1.
TEST(RssmDeterministic, NormGruMatchesDreamerV2sCell) {
  auto params = kSmall;
  params["gru"] = "norm";
  params["act"] = "silu";
  TestNode cell("rssm.deterministic", params);
  auto h = at::randn({2, 6}), s = at::randn({2, 3}), a = at::randn({2, 2});
  auto got = cell.run({{"h", h}, {"s", s}, {"a", a}}).at("h_next");
  auto p = cell.module()->named_parameters();
  EXPECT_FALSE(p.contains("gru.weight_ih"));
  EXPECT_FALSE(p.contains("norm_gru.layer.bias"));
  at::NoGradGuard no_grad;
  auto x = at::silu(at::linear(at::cat({s, a}, -1), p["in.weight"], p["in.bias"]));
  auto y = at::linear(at::cat({x, h}, -1), p["norm_gru.layer.weight"]);
  auto mean = y.mean(-1, true), var = (y - mean).square().mean(-1, true);
  auto parts = ((y - mean) / (var + 1e-3).sqrt() * p["norm_gru.norm.weight"] + p["norm_gru.norm.bias"]).chunk(3, -1);
  auto r = at::sigmoid(parts[0]), c = at::tanh(r * parts[1]), u = at::sigmoid(parts[2] - 1);
  EXPECT_TRUE(at::allclose(got, u * c + (1 - u) * h, 1e-5, 1e-6));
  int64_t n = 0;
  for (const auto& w : cell.module()->parameters()) n += w.numel();
  EXPECT_EQ(n, 30 + (5 + 6) * 18 + 2 * 18);  // input layer, gates layer without bias, LayerNorm
}

// DreamerV3's cell: a normed input layer (no bias, LayerNorm eps 1e-3, then silu) and actions
// beyond the clip scaled back to it with a constant factor: a = 3 enters as 1 and passes a third
// of the gradient.
TEST(RssmDeterministic, DreamerV3InputLayerAndActionClip) {
  auto params = kSmall;
  params["gru"] = "norm";
  params["act"] = "silu";
  params["layer_norm"] = true;
  params["action_clip"] = 1.0;
  TestNode cell("rssm.deterministic", params);
  auto p = cell.module()->named_parameters();
  EXPECT_FALSE(p.contains("in.bias"));
  auto h = at::randn({1, 6}), s = at::randn({1, 3});
  auto a = at::tensor({3.0f, -0.5f}).view({1, 2}).requires_grad_();
  auto got = cell.run({{"h", h}, {"s", s}, {"a", a}}).at("h_next");
  {
    at::NoGradGuard no_grad;
    auto x = at::linear(at::cat({s, at::tensor({1.0f, -0.5f}).view({1, 2})}, -1), p["in.weight"]);
    x = at::silu(at::layer_norm(x, {5}, p["in_norm.weight"], p["in_norm.bias"], 1e-3));
    auto y = at::linear(at::cat({x, h}, -1), p["norm_gru.layer.weight"]);
    auto parts = at::layer_norm(y, {18}, p["norm_gru.norm.weight"], p["norm_gru.norm.bias"], 1e-3).chunk(3, -1);
    auto r = at::sigmoid(parts[0]), c = at::tanh(r * parts[1]), u = at::sigmoid(parts[2] - 1);
    EXPECT_TRUE(at::allclose(got, u * c + (1 - u) * h, 1e-5, 1e-6));
  }
  // The gradient through the clipped dim is the unclipped one times 1/3: compare with the cell fed
  // a = 1 directly.
  got.sum().backward();
  auto a1 = at::tensor({1.0f, -0.5f}).view({1, 2}).requires_grad_();
  cell.run({{"h", h}, {"s", s}, {"a", a1}}).at("h_next").sum().backward();
  EXPECT_NEAR(a.grad()[0][0].item<float>(), a1.grad()[0][0].item<float>() / 3, 1e-6);
  EXPECT_NEAR(a.grad()[0][1].item<float>(), a1.grad()[0][1].item<float>(), 1e-6);
}

}  // namespace
