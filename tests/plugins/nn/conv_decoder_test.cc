#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(NnConvDecoder, ShapesForBatchAndSequences) {
  TestNode dec("nn.conv_decoder", {{"in_dim", 230}});
  EXPECT_EQ(dec.run({{"x", at::randn({2, 230})}}).at("y").sizes(), (Sizes{2, 64, 64, 3}));
  EXPECT_EQ(dec.run({{"x", at::randn({2, 3, 230})}}).at("y").sizes(), (Sizes{2, 3, 64, 64, 3}));
}

TEST(NnConvDecoder, LayersAreKernels5566Stride2) {
  TestNode dec("nn.conv_decoder", {{"in_dim", 10}, {"depth", 8}});
  auto p = dec.module()->named_parameters();
  EXPECT_EQ(p["fc.weight"].sizes(), (Sizes{256, 10}));
  // Transposed conv weights are [in, out, k, k].
  EXPECT_EQ(p["deconv0.weight"].sizes(), (Sizes{256, 32, 5, 5}));
  EXPECT_EQ(p["deconv1.weight"].sizes(), (Sizes{32, 16, 5, 5}));
  EXPECT_EQ(p["deconv2.weight"].sizes(), (Sizes{16, 8, 6, 6}));
  EXPECT_EQ(p["deconv3.weight"].sizes(), (Sizes{8, 3, 6, 6}));
  // 1 -> 5 -> 13 -> 30 -> 64, by hand with the same weights.
  auto x = at::linear(at::randn({1, 10}), p["fc.weight"], p["fc.bias"]).view({1, 256, 1, 1});
  std::vector<int64_t> sides;
  for (int i = 0; i < 4; ++i) {
    auto n = std::to_string(i);
    x = at::conv_transpose2d(x, p["deconv" + n + ".weight"], p["deconv" + n + ".bias"], 2);
    sides.push_back(x.size(2));
  }
  EXPECT_EQ(sides, (Sizes{5, 13, 30, 64}));
}

// DreamerV3's style: a linear map to 4x4 x 8 depth, then transposed convs k4 s2 'same' (4 -> 8 ->
// 16 -> 32 -> 64) with a channel LayerNorm and the activation between them; by hand with the weights.
TEST(NnConvDecoder, DreamerV3StyleStartsAt4x4) {
  TestNode dec("nn.conv_decoder", {{"in_dim", 6}, {"depth", 2}, {"style", "dreamerv3"}, {"activation", "silu"}});
  auto p = dec.module()->named_parameters();
  EXPECT_EQ(p["fc.weight"].sizes(), (Sizes{4 * 4 * 16, 6}));
  EXPECT_FALSE(p.contains("deconv0.bias"));
  EXPECT_TRUE(p.contains("deconv3.bias"));
  const auto features = at::randn({3, 6});
  auto x = at::linear(features, p["fc.weight"], p["fc.bias"]).view({3, 16, 4, 4});
  for (int i = 0; i < 4; ++i) {
    const auto n = std::to_string(i);
    x = at::conv_transpose2d(x, p["deconv" + n + ".weight"], i == 3 ? p["deconv3.bias"] : at::Tensor(), 2, 1);
    if (i < 3)
      x = at::silu(at::layer_norm(x.permute({0, 2, 3, 1}), {x.size(1)}, p["norm" + n + ".norm.weight"],
                                  p["norm" + n + ".norm.bias"], 1e-3)
                       .permute({0, 3, 1, 2}));
  }
  EXPECT_EQ(x.sizes(), (Sizes{3, 3, 64, 64}));
  EXPECT_TRUE(at::allclose(dec.run({{"x", features}}).at("y"), x.permute({0, 2, 3, 1}), 1e-4, 1e-5));
}

TEST(NnConvDecoder, LastDimIsChannels) {
  TestNode dec("nn.conv_decoder", {{"in_dim", 4}, {"depth", 4}});
  {
    at::NoGradGuard no_grad;
    auto p = dec.module()->named_parameters();
    p["deconv3.weight"].zero_();
    p["deconv3.bias"].copy_(at::tensor({1.f, 2.f, 3.f}));
  }
  auto image = dec.run({{"x", at::randn({2, 4})}}).at("y");
  EXPECT_TRUE(at::equal(image, at::tensor({1.f, 2.f, 3.f}).expand({2, 64, 64, 3})));
}

TEST(NnConvDecoder, SigmoidOutputIsAPixelRange) {
  TestNode dec("nn.conv_decoder", {{"in_dim", 4}, {"depth", 4}, {"out_activation", "sigmoid"}});
  auto image = dec.run({{"x", at::randn({2, 4}) * 10}}).at("y");
  EXPECT_GE(image.min().item<float>(), 0.f);
  EXPECT_LE(image.max().item<float>(), 1.f);
}

TEST(NnConvDecoder, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("nn.conv_decoder", {{"depth", 8}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.conv_decoder", {{"in_dim", 4}, {"depth", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.conv_decoder", {{"in_dim", 4}, {"out_activation", "tanh"}}), std::invalid_argument);
}

TEST(NnConvDecoder, GradientsFlowToFeaturesAndWeights) {
  TestNode dec("nn.conv_decoder", {{"in_dim", 6}, {"depth", 4}, {"activation", "elu"}});
  auto features = at::randn({2, 2, 6}).requires_grad_();
  dec.run({{"x", features}}).at("y").square().sum().backward();
  EXPECT_TRUE(features.grad().isfinite().all().item<bool>());
  EXPECT_GT(features.grad().abs().sum().item<float>(), 0.f);
  for (const auto& p : dec.module()->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    EXPECT_GT(p.value().grad().abs().sum().item<float>(), 0.f) << p.key();
  }
}

}  // namespace
