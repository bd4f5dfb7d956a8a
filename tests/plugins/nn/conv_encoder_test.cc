#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(NnConvEncoder, ShapesForBatchAndSequences) {
  TestNode enc("nn.conv_encoder");
  EXPECT_EQ(enc.run({{"x", at::randn({2, 64, 64, 3})}}).at("y").sizes(), (Sizes{2, 1024}));
  EXPECT_EQ(enc.run({{"x", at::randn({2, 3, 64, 64, 3})}}).at("y").sizes(), (Sizes{2, 3, 1024}));
  TestNode small("nn.conv_encoder", {{"depth", 8}});
  EXPECT_EQ(small.run({{"x", at::randn({1, 64, 64, 3})}}).at("y").sizes(), (Sizes{1, 256}));
}

TEST(NnConvEncoder, LayersAreKernel4Stride2Doubling) {
  TestNode enc("nn.conv_encoder", {{"depth", 8}});
  auto p = enc.module()->named_parameters();
  EXPECT_EQ(p["conv0.weight"].sizes(), (Sizes{8, 3, 4, 4}));
  EXPECT_EQ(p["conv1.weight"].sizes(), (Sizes{16, 8, 4, 4}));
  EXPECT_EQ(p["conv2.weight"].sizes(), (Sizes{32, 16, 4, 4}));
  EXPECT_EQ(p["conv3.weight"].sizes(), (Sizes{64, 32, 4, 4}));
  // 64 -> 31 -> 14 -> 6 -> 2, by hand with the same weights.
  auto x = at::randn({1, 3, 64, 64});
  std::vector<int64_t> sides;
  for (int i = 0; i < 4; ++i) {
    auto n = std::to_string(i);
    x = at::conv2d(x, p["conv" + n + ".weight"], p["conv" + n + ".bias"], 2);
    sides.push_back(x.size(2));
  }
  EXPECT_EQ(sides, (Sizes{31, 14, 6, 2}));
}

// DreamerV3's style: 'same' padding down to 4x4, no conv bias, a LayerNorm over each pixel's
// channels, then the activation; checked layer by layer with the same weights.
TEST(NnConvEncoder, DreamerV3StyleIsSamePaddingWithChannelNorm) {
  TestNode enc("nn.conv_encoder", {{"depth", 4}, {"style", "dreamerv3"}, {"activation", "silu"}});
  auto p = enc.module()->named_parameters();
  EXPECT_FALSE(p.contains("conv0.bias"));
  const auto image = at::randn({2, 64, 64, 3});
  auto x = image.permute({0, 3, 1, 2});
  for (int i = 0; i < 4; ++i) {
    const auto n = std::to_string(i);
    x = at::conv2d(x, p["conv" + n + ".weight"], {}, 2, 1);
    x = at::layer_norm(x.permute({0, 2, 3, 1}), {x.size(1)}, p["norm" + n + ".norm.weight"], p["norm" + n + ".norm.bias"], 1e-3)
            .permute({0, 3, 1, 2});
    x = at::silu(x);
  }
  EXPECT_EQ(x.sizes(), (Sizes{2, 32, 4, 4}));
  const auto y = enc.run({{"x", image}}).at("y");
  EXPECT_EQ(y.sizes(), (Sizes{2, 4 * 4 * 32}));
  EXPECT_TRUE(at::allclose(y, x.flatten(1), 1e-4, 1e-5));
}

TEST(NnConvEncoder, LastDimIsChannels) {
  TestNode enc("nn.conv_encoder", {{"depth", 4}});
  {
    at::NoGradGuard no_grad;
    enc.module()->named_parameters()["conv0.weight"].narrow(1, 0, 2).zero_();  // only blue is seen
  }
  auto a = at::randn({1, 64, 64, 3});
  auto b = a.clone();
  b.narrow(3, 0, 2).normal_();
  EXPECT_TRUE(at::equal(enc.run({{"x", a}}).at("y"), enc.run({{"x", b}}).at("y")));
}

TEST(NnConvEncoder, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("nn.conv_encoder", {{"depth", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.conv_encoder", {{"activation", "tanh"}}), std::invalid_argument);
}

TEST(NnConvEncoder, GradientsFlowToImageAndWeights) {
  TestNode enc("nn.conv_encoder", {{"depth", 4}, {"activation", "elu"}});
  auto image = at::randn({2, 2, 64, 64, 3}).requires_grad_();
  enc.run({{"x", image}}).at("y").square().sum().backward();
  EXPECT_TRUE(image.grad().isfinite().all().item<bool>());
  EXPECT_GT(image.grad().abs().sum().item<float>(), 0.f);
  for (const auto& p : enc.module()->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    EXPECT_GT(p.value().grad().abs().sum().item<float>(), 0.f) << p.key();
  }
}

}  // namespace
