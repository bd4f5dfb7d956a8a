#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(NnMlp, ShapesForAnyLeadingDims) {
  TestNode mlp("nn.mlp", {{"in_dim", 5}, {"out_dim", 3}});
  EXPECT_EQ(mlp.run({{"x", at::randn({7, 5})}}).at("y").sizes(), (Sizes{7, 3}));
  EXPECT_EQ(mlp.run({{"x", at::randn({2, 4, 5})}}).at("y").sizes(), (Sizes{2, 4, 3}));
}

TEST(NnMlp, LayersFollowHiddenAndLayerNorm) {
  TestNode plain("nn.mlp", {{"in_dim", 5}, {"out_dim", 3}, {"hidden", {8, 6}}});
  EXPECT_EQ(plain.module()->parameters().size(), 6u);  // 3 linears
  TestNode normed("nn.mlp", {{"in_dim", 5}, {"out_dim", 3}, {"hidden", {8, 6}}, {"layer_norm", true}});
  auto params = normed.module()->named_parameters();
  EXPECT_EQ(params.size(), 10u);  // 3 linears, 2 affine LayerNorms
  EXPECT_EQ(params["norm0.weight"].sizes(), (Sizes{8}));
  EXPECT_EQ(params["norm1.weight"].sizes(), (Sizes{6}));
  TestNode single("nn.mlp", {{"in_dim", 5}, {"out_dim", 3}, {"hidden", nlohmann::json::array()}});
  EXPECT_EQ(single.module()->parameters().size(), 2u);
}

TEST(NnMlp, LayerNormSitsBetweenLinearAndActivation) {
  TestNode mlp("nn.mlp", {{"in_dim", 4}, {"out_dim", 2}, {"hidden", {16}}, {"layer_norm", true}, {"activation", "tanh"}});
  auto p = mlp.module()->named_parameters();
  auto x = at::randn({3, 4});
  auto h = at::tanh(at::layer_norm(at::linear(x, p["fc0.weight"], p["fc0.bias"]), {16}, p["norm0.weight"],
                                   p["norm0.bias"]));
  auto expected = at::linear(h, p["out.weight"], p["out.bias"]);
  EXPECT_TRUE(at::allclose(mlp.run({{"x", x}}).at("y"), expected, 1e-5, 1e-6));
}

TEST(NnMlp, OutputActivationBoundsOutput) {
  TestNode tanh("nn.mlp", {{"in_dim", 4}, {"out_dim", 8}, {"out_activation", "tanh"}});
  auto y = tanh.run({{"x", at::randn({64, 4}) * 100}}).at("y");
  EXPECT_LE(y.abs().max().item<float>(), 1.f);
  TestNode sigmoid("nn.mlp", {{"in_dim", 4}, {"out_dim", 8}, {"out_activation", "sigmoid"}});
  y = sigmoid.run({{"x", at::randn({64, 4}) * 100}}).at("y");
  EXPECT_GE(y.min().item<float>(), 0.f);
  EXPECT_LE(y.max().item<float>(), 1.f);
}

// DreamerV3's vector encoder reads symlog(x).
TEST(NnMlp, SymlogInputs) {
  TestNode plain("nn.mlp", {{"in_dim", 2}, {"out_dim", 3}, {"hidden", {4}}});
  TestNode squashed("nn.mlp", {{"in_dim", 2}, {"out_dim", 3}, {"hidden", {4}}, {"symlog_inputs", true}});
  {
    at::NoGradGuard no_grad;
    auto dst = squashed.module()->named_parameters();
    for (const auto& p : plain.module()->named_parameters()) dst[p.key()].copy_(p.value());
  }
  const auto x = at::tensor({100.0f, -0.5f, 3.0f, 0.0f}).view({2, 2});
  const auto symlog_x = at::sign(x) * at::log1p(x.abs());
  EXPECT_TRUE(at::allclose(squashed.run({{"x", x}}).at("y"), plain.run({{"x", symlog_x}}).at("y")));
}

// DreamerV2's MLP encoder: the output layer ends in the hidden layers' activation too.
TEST(NnMlp, OutputActivationCanBeTheHiddenOne) {
  TestNode mlp("nn.mlp", {{"in_dim", 4}, {"out_dim", 3}, {"hidden", {5}}, {"out_activation", "elu"}});
  auto p = mlp.module()->named_parameters();
  auto x = at::randn({6, 4});
  auto h = at::elu(at::linear(x, p["fc0.weight"], p["fc0.bias"]));
  EXPECT_TRUE(at::allclose(mlp.run({{"x", x}}).at("y"), at::elu(at::linear(h, p["out.weight"], p["out.bias"])), 1e-5, 1e-6));
}

// TD-MPC's Q: Linear -> LayerNorm -> Tanh -> Linear -> ELU -> Linear.
TEST(NnMlp, FirstLayerCanHaveItsOwnNormAndActivation) {
  TestNode q("nn.mlp", {{"in_dim", 4}, {"out_dim", 1}, {"hidden", {16, 8}}, {"activation", "elu"},
                        {"first_layer_norm", true}, {"first_activation", "tanh"}});
  auto p = q.module()->named_parameters();
  EXPECT_EQ(p.size(), 8u);  // 3 linears and one LayerNorm
  EXPECT_FALSE(p.contains("norm1.weight"));
  auto x = at::randn({5, 4});
  auto h = at::tanh(at::layer_norm(at::linear(x, p["fc0.weight"], p["fc0.bias"]), {16}, p["norm0.weight"],
                                   p["norm0.bias"]));
  h = at::elu(at::linear(h, p["fc1.weight"], p["fc1.bias"]));
  EXPECT_TRUE(at::allclose(q.run({{"x", x}}).at("y"), at::linear(h, p["out.weight"], p["out.bias"]), 1e-5, 1e-6));
}

TEST(NnMlp, OrthogonalInitAndZeroOutput) {
  TestNode mlp("nn.mlp", {{"in_dim", 6}, {"out_dim", 3}, {"hidden", {10, 10}}, {"init", "orthogonal"},
                          {"zero_out", true}});
  auto p = mlp.module()->named_parameters();
  // fc0 [10, 6]: orthonormal columns; fc1 [10, 10]: orthogonal; biases zero
  EXPECT_TRUE(at::allclose(p["fc0.weight"].t().matmul(p["fc0.weight"]), at::eye(6), 1e-5, 1e-5));
  EXPECT_TRUE(at::allclose(p["fc1.weight"].matmul(p["fc1.weight"].t()), at::eye(10), 1e-5, 1e-5));
  EXPECT_TRUE(at::equal(p["fc0.bias"], at::zeros({10})));
  EXPECT_TRUE(at::equal(p["out.weight"], at::zeros({3, 10})));
  EXPECT_TRUE(at::equal(mlp.run({{"x", at::randn({4, 6})}}).at("y"), at::zeros({4, 3})));
  // the default init is torch's: neither orthogonal nor zero
  TestNode plain("nn.mlp", {{"in_dim", 6}, {"out_dim", 3}, {"hidden", {10, 10}}});
  auto q = plain.module()->named_parameters();
  EXPECT_FALSE(at::allclose(q["fc1.weight"].matmul(q["fc1.weight"].t()), at::eye(10), 1e-3, 1e-3));
  EXPECT_GT(q["out.weight"].abs().sum().item<double>(), 0);
}

// TD-MPC2's encoder and dynamics: Linear -> LayerNorm -> Mish hidden layers, then Linear ->
// LayerNorm -> SimNorm (a softmax over each group of simnorm_dim features), truncated-normal init.
TEST(NnMlp, NormedOutputWithSimNormAndTruncatedNormalInit) {
  TestNode enc("nn.mlp", {{"in_dim", 6}, {"out_dim", 16}, {"hidden", {32}}, {"activation", "mish"}, {"layer_norm", true},
                          {"out_layer_norm", true}, {"out_activation", "simnorm"}, {"simnorm_dim", 4},
                          {"init", "trunc_normal"}});
  auto p = enc.module()->named_parameters();
  const auto x = at::randn({5, 6});
  auto h = at::mish(at::layer_norm(at::linear(x, p["fc0.weight"], p["fc0.bias"]), {32}, p["norm0.weight"], p["norm0.bias"]));
  h = at::layer_norm(at::linear(h, p["out.weight"], p["out.bias"]), {16}, p["out_norm.weight"], p["out_norm.bias"]);
  const auto expected = h.view({5, 4, 4}).softmax(-1).view({5, 16});
  const auto y = enc.run({{"x", x}}).at("y");
  EXPECT_TRUE(at::allclose(y, expected, 1e-5, 1e-6));
  EXPECT_TRUE(at::allclose(y.view({5, 4, 4}).sum(-1), at::ones({5, 4}), 1e-5, 1e-6));  // each group a simplex
  // weights N(0, 0.02): 32 x 6 + 16 x 32 draws; biases zero
  const auto w = at::cat({p["fc0.weight"].flatten(), p["out.weight"].flatten()});
  EXPECT_NEAR(w.std().item<double>(), 0.02, 0.002);
  EXPECT_NEAR(w.mean().item<double>(), 0.0, 0.002);
  EXPECT_TRUE(at::equal(p["out.bias"], at::zeros({16})));
  EXPECT_NE(lf::testing::error_of([] {
              TestNode("nn.mlp", {{"in_dim", 6}, {"out_dim", 10}, {"out_activation", "simnorm"}});
            }).find("out_dim (10) must be a multiple of simnorm_dim (8)"),
            std::string::npos);
}

TEST(NnMlp, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("nn.mlp", {{"out_dim", 3}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.mlp", {{"in_dim", 5}, {"out_dim", 3}, {"hidden", {8, 0}}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.mlp", {{"in_dim", 5}, {"out_dim", 3}, {"activation", "gelu"}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.mlp", {{"in_dim", 5}, {"out_dim", 3}, {"out_activation", "relu6"}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.mlp", {{"in_dim", 5}, {"out_dim", 3}, {"init", "xavier"}}), std::invalid_argument);
}

TEST(NnMlp, GradientMatchesFiniteDifferences) {
  for (std::string act : {"elu", "silu", "tanh", "mish"}) {
    for (bool norm : {false, true}) {
      TestNode mlp("nn.mlp", {{"in_dim", 3}, {"out_dim", 2}, {"hidden", {5, 4}}, {"activation", act}, {"layer_norm", norm},
                              {"out_activation", "sigmoid"}});
      mlp.to_double();
      auto f = [&](const std::vector<at::Tensor>& in) { return mlp.run({{"x", in[0]}}).at("y"); };
      auto x = at::randn({6, 3}, at::kDouble).requires_grad_();
      EXPECT_LT(lf::testing::gradient_error(f, {x}), 1e-6) << act << (norm ? " with layer_norm" : "");
    }
  }
}

}  // namespace
