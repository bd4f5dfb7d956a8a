#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

// Images [4, 8, 8, 3] holding every u8 value three times.
at::Tensor all_values() { return at::arange(768, at::kInt).remainder(256).to(at::kByte).reshape({4, 8, 8, 3}); }

TEST(NnPreprocessImage, FiveBitsWithoutNoiseOnKnownValues) {
  TestNode pre("nn.preprocess_image", {{"noise", false}});
  auto px = at::tensor(std::vector<uint8_t>{0, 7, 8, 100, 255, 128}).reshape({1, 2, 3});
  auto x = pre.run({{"image", px}}).at("image");
  EXPECT_EQ(x.scalar_type(), at::kFloat);
  // floor(v / 8) / 32 - 0.5: 0 -> 0, 7 -> 0, 8 -> 1, 100 -> 12, 255 -> 31, 128 -> 16 (in 32nds)
  auto want = at::tensor(std::vector<float>{0, 0, 1, 12, 31, 16}).reshape({1, 2, 3}) / 32 - 0.5;
  EXPECT_TRUE(at::equal(x, want));
}

TEST(NnPreprocessImage, EveryValueAtEveryDepth) {
  const auto px = all_values();
  const auto v = px.to(at::kDouble);
  for (int bits = 1; bits <= 8; ++bits) {
    TestNode pre("nn.preprocess_image", {{"bits", bits}, {"noise", false}});
    auto x = pre.run({{"image", px}}).at("image");
    EXPECT_EQ(x.sizes(), px.sizes());
    const double bins = 1 << bits;
    auto want = (at::floor(v / (256 / bins)) / bins - 0.5).to(at::kFloat);
    EXPECT_TRUE(at::equal(x, want)) << bits << " bits";
  }
}

TEST(NnPreprocessImage, NoiseFillsTheBin) {
  TestNode pre("nn.preprocess_image");  // bits 5, noise on
  const auto px = all_values().repeat({8, 1, 1, 1});
  auto x = pre.run({{"image", px}}).at("image");
  auto noise = x + 0.5 - at::floor(px.to(at::kFloat) / 8) / 32;
  EXPECT_GE(noise.min().item<float>(), 0.f);
  EXPECT_LT(noise.max().item<float>(), 1.f / 32);
  EXPECT_NEAR(noise.mean().item<float>(), 1.f / 64, 0.001);
  EXPECT_GT(noise.max().item<float>(), 0.99f / 32);  // spread over the whole bin
  // On the 2^-25 grid: the outputs are exact, not rounded to the bin's edge.
  auto grid = noise * std::ldexp(1.0, 25);
  EXPECT_TRUE(at::equal(grid, at::round(grid)));
  for (int bits : {1, 8}) {
    TestNode coarse("nn.preprocess_image", {{"bits", bits}});
    auto q = at::floor(px.to(at::kDouble) / (1 << (8 - bits))) / (1 << bits);
    auto n = coarse.run({{"image", px}}).at("image").to(at::kDouble) + 0.5 - q;
    EXPECT_GE(n.min().item<double>(), 0.0) << bits << " bits";
    EXPECT_LT(n.max().item<double>(), 1.0 / (1 << bits)) << bits << " bits";
    EXPECT_GT(n.max().item<double>(), 0.99 / (1 << bits)) << bits << " bits";
  }
  EXPECT_FALSE(at::equal(x, pre.run({{"image", px}}).at("image")));  // fresh noise every call
}

TEST(NnPreprocessImage, OffsetShiftsTheRange) {
  const auto px = all_values();
  const auto v = px.to(at::kDouble);
  for (double offset : {0.0, -1.0, 0.25}) {
    for (int bits : {5, 8}) {
      TestNode pre("nn.preprocess_image", {{"bits", bits}, {"noise", false}, {"offset", offset}});
      const double bins = 1 << bits;
      auto want = (at::floor(v / (256 / bins)) / bins + offset).to(at::kFloat);
      EXPECT_TRUE(at::equal(pre.run({{"image", px}}).at("image"), want)) << offset << " " << bits << " bits";
    }
  }
  // Offset 0 at 8 bits: pixel / 256, World Models' VAE input up to its / 255.
  TestNode unit("nn.preprocess_image", {{"bits", 8}, {"noise", false}, {"offset", 0.0}});
  auto x = unit.run({{"image", px}}).at("image");
  EXPECT_EQ(x.min().item<float>(), 0.f);
  EXPECT_EQ(x.max().item<float>(), 255.f / 256);
  // The default is the centred range.
  TestNode centred("nn.preprocess_image", {{"offset", -0.5}}), by_default("nn.preprocess_image");
  EXPECT_TRUE(at::equal(centred.run({{"image", px}}).at("image"), by_default.run({{"image", px}}).at("image")));
}

// With offset 0 the outputs reach up to 1, where f32's spacing is 2^-24: the noise uses that
// grid, so that no output rounds up onto the next bin's edge.
TEST(NnPreprocessImage, NoiseFillsTheBinInTheUnitRange) {
  const auto px = all_values().repeat({8, 1, 1, 1});
  for (int bits : {1, 5, 8}) {
    TestNode pre("nn.preprocess_image", {{"bits", bits}, {"offset", 0.0}});
    const auto x = pre.run({{"image", px}}).at("image").to(at::kDouble);
    const double bin = 1.0 / (1 << bits);
    const auto noise = x - at::floor(px.to(at::kDouble) / (1 << (8 - bits))) * bin;
    EXPECT_GE(noise.min().item<double>(), 0.0) << bits << " bits";
    EXPECT_LT(noise.max().item<double>(), bin) << bits << " bits";
    EXPECT_GT(noise.max().item<double>(), 0.99 * bin) << bits << " bits";
    const auto grid = noise * std::ldexp(1.0, 24);
    EXPECT_TRUE(at::equal(grid, at::round(grid))) << bits << " bits";
    EXPECT_LT(x.max().item<double>(), 1.0);
  }
}

TEST(NnPreprocessImage, LeadingDimsAndSizesPassThrough) {
  TestNode pre("nn.preprocess_image");
  EXPECT_EQ(pre.run({{"image", at::zeros({2, 3, 64, 64, 3}, at::kByte)}}).at("image").sizes(), (Sizes{2, 3, 64, 64, 3}));
  EXPECT_EQ(pre.run({{"image", at::zeros({5, 7, 3}, at::kByte)}}).at("image").sizes(), (Sizes{5, 7, 3}));
}

TEST(NnPreprocessImage, SameSeedSameNoiseAndStateRoundTrips) {
  const auto px = all_values();
  TestNode a("nn.preprocess_image", {}, {}, 4), b("nn.preprocess_image", {}, {}, 4), c("nn.preprocess_image", {}, {}, 5);
  auto first = a.run({{"image", px}}).at("image");
  EXPECT_TRUE(at::equal(first, b.run({{"image", px}}).at("image")));
  EXPECT_FALSE(at::equal(first, c.run({{"image", px}}).at("image")));
  lf::TensorDict state;
  a.node().save_state(state);
  const auto next = a.run({{"image", px}}).at("image");
  c.node().load_state(state);
  EXPECT_TRUE(at::equal(c.run({{"image", px}}).at("image"), next));
  EXPECT_THROW(c.node().load_state({}), std::invalid_argument);
}

TEST(NnPreprocessImage, RejectsNonU8AndInvalidParams) {
  TestNode pre("nn.preprocess_image");
  EXPECT_THROW(pre.run({{"image", at::zeros({8, 8, 3})}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.preprocess_image", {{"bits", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.preprocess_image", {{"bits", 9}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.preprocess_image", {{"offset", 1.5}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.preprocess_image", {{"offset", -1.5}}), std::invalid_argument);
}

}  // namespace
