#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/nn/module.h>

#include "latentflow/linear.h"
#include "support/compute_check.h"
#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(NnLinear, ShapesForAnyLeadingDims) {
  TestNode lin("nn.linear", {{"in_dim", 3}, {"out_dim", 2}});
  EXPECT_EQ(lin.run({{"x", at::randn({4, 3})}}).at("y").sizes(), (Sizes{4, 2}));
  EXPECT_EQ(lin.run({{"x", at::randn({5, 4, 3})}}).at("y").sizes(), (Sizes{5, 4, 2}));
}

TEST(NnLinear, BiasIsOptional) {
  TestNode lin("nn.linear", {{"in_dim", 3}, {"out_dim", 2}, {"bias", false}});
  EXPECT_EQ(lin.module()->parameters().size(), 1u);
}

TEST(NnLinear, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("nn.linear", {{"out_dim", 2}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.linear", {{"in_dim", 0}, {"out_dim", 2}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.linear", {{"in_dim", 3}, {"out_dim", 2}, {"bias", "yes"}}), std::invalid_argument);
}

TEST(NnLinear, MatchesHandComputedValues) {
  TestNode lin("nn.linear", {{"in_dim", 3}, {"out_dim", 2}});
  {
    at::NoGradGuard no_grad;
    auto params = lin.module()->named_parameters();
    params["weight"].copy_(at::tensor({1.f, 2.f, 3.f, 4.f, 5.f, 6.f}).view({2, 3}));
    params["bias"].copy_(at::tensor({0.5f, -1.f}));
  }
  auto y = lin.run({{"x", at::tensor({1.f, 0.f, -1.f}).view({1, 3})}}).at("y");
  // [1 - 3 + 0.5, 4 - 6 - 1]
  EXPECT_TRUE(at::allclose(y, at::tensor({-1.5f, -3.f}).view({1, 2})));
}

TEST(NnLinear, GradientMatchesFiniteDifferences) {
  TestNode lin("nn.linear", {{"in_dim", 3}, {"out_dim", 2}});
  lin.to_double();
  auto f = [&](const std::vector<at::Tensor>& in) { return lin.run({{"x", in[0]}}).at("y"); };
  auto x = at::randn({4, 3}, at::kDouble).requires_grad_();
  EXPECT_LT(lf::testing::gradient_error(f, {x}), 1e-6);
}

// lf::linear's matrix-vector path (at most kVectorRows rows) against at::linear's GEMM, in value
// and in the gradients of input, weight and bias, for every row count around the switch and for
// leading dimensions; without a bias too.
TEST(SdkLinear, FewRowsMatchTheMatrixProduct) {
  for (int64_t rows = 1; rows <= lf::kVectorRows + 1; ++rows) {
    for (bool bias : {true, false}) {
      auto x = at::randn({rows, 1, 7}, at::kDouble).requires_grad_();
      auto w = at::randn({5, 7}, at::kDouble).requires_grad_();
      auto b = bias ? at::randn({5}, at::kDouble).requires_grad_() : at::Tensor();
      auto y = lf::linear(x, w, b);
      auto expected = at::linear(x, w, b);
      ASSERT_EQ(y.sizes(), expected.sizes()) << rows << " rows";
      EXPECT_TRUE(at::allclose(y, expected)) << rows << " rows";
      auto g = at::randn_like(y);
      std::vector<at::Tensor> in = {x, w};
      if (bias) in.push_back(b);
      auto grads = torch::autograd::grad({y}, in, {g});
      auto expected_grads = torch::autograd::grad({expected}, in, {g});
      for (size_t i = 0; i < in.size(); ++i)
        EXPECT_TRUE(at::allclose(grads[i], expected_grads[i])) << rows << " rows, gradient " << i;
    }
  }
}

TEST(SdkLinear, ModuleKeepsTorchsParametersAndReportsBadInputsAsTorch) {
  lf::Linear lin(torch::nn::LinearOptions(3, 2));
  EXPECT_EQ(lin->named_parameters().keys(), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_TRUE(at::allclose(lin(at::ones({1, 3})), at::linear(at::ones({1, 3}), lin->weight, lin->bias)));
  EXPECT_THROW(lin(at::ones({1, 4})), c10::Error);
  EXPECT_THROW(lin(at::ones({1, 3}, at::kDouble)), c10::Error);
  EXPECT_EQ(lin(at::ones({0, 3})).sizes(), (Sizes{0, 2}));
}

// compute bfloat16: the product of bfloat16 copies, returned as float32, the bias added in float32;
// a few rows keep the float32 matrix-vector path.
TEST(SdkLinear, BFloat16ComputeRoundsOnlyTheProductsOperands) {
  const auto x = at::randn({9, 33}), w = at::randn({17, 33}), b = at::randn({17});
  const auto y = lf::linear(x, w, b, at::kBFloat16);
  EXPECT_EQ(y.scalar_type(), at::kFloat);
  EXPECT_TRUE(at::equal(y, at::linear(x.to(at::kBFloat16), w.to(at::kBFloat16)).to(at::kFloat) + b));
  const auto few = x.slice(0, 0, lf::kVectorRows);
  EXPECT_TRUE(at::equal(lf::linear(few, w, b, at::kBFloat16), lf::linear(few, w, b)));
  const auto a = at::randn({3, 9, 33});
  EXPECT_TRUE(at::equal(lf::matmul(a, w.t(), at::kBFloat16),
                        at::matmul(a.to(at::kBFloat16), w.t().to(at::kBFloat16)).to(at::kFloat)));
}

TEST(SdkLinear, NnNodesComputeInBFloat16WithFloat32WeightsAndGradients) {
  const auto x = at::randn({10, 24});
  lf::testing::expect_bfloat16_matches_float32("nn.linear", {{"in_dim", 24}, {"out_dim", 40}}, {{"x", x}}, "y");
  lf::testing::expect_bfloat16_matches_float32(
      "nn.mlp", {{"in_dim", 24}, {"out_dim", 16}, {"hidden", {64, 64}}, {"layer_norm", true}}, {{"x", x}}, "y");
  lf::testing::expect_bfloat16_matches_float32(
      "nn.ensemble_mlp", {{"members", 3}, {"in_dim", 24}, {"out_dim", 16}, {"hidden", {64, 64}}}, {{"x", x}}, "y");
}

TEST(SdkLinear, ComputeParamAcceptsOnlyFloat32OrBFloat16) {
  EXPECT_THROW(TestNode("nn.mlp", {{"in_dim", 2}, {"out_dim", 2}, {"compute", "float16"}}), std::invalid_argument);
}

}  // namespace
