#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(VaeModel, ShapesForBatchAndSequences) {
  TestNode vae("vae.model", {{"depth", 4}, {"z", 8}});
  for (const Sizes& lead : {Sizes{2}, Sizes{2, 3}}) {
    Sizes image = lead, latent = lead;
    image.insert(image.end(), {64, 64, 3});
    latent.push_back(8);
    auto out = vae.run({{"image", at::rand(image)}});
    EXPECT_EQ(out.at("mean").sizes(), latent);
    EXPECT_EQ(out.at("logvar").sizes(), latent);
    EXPECT_EQ(out.at("z").sizes(), latent);
    EXPECT_EQ(out.at("recon").sizes(), image);
    EXPECT_GE(out.at("recon").min().item<float>(), 0.f);
    EXPECT_LE(out.at("recon").max().item<float>(), 1.f);
  }
}

TEST(VaeModel, DefaultLayersAreWorldModels) {
  TestNode vae("vae.model");
  auto p = vae.module()->named_parameters();
  EXPECT_EQ(p["encoder.conv0.weight"].sizes(), (Sizes{32, 3, 4, 4}));
  EXPECT_EQ(p["encoder.conv1.weight"].sizes(), (Sizes{64, 32, 4, 4}));
  EXPECT_EQ(p["encoder.conv2.weight"].sizes(), (Sizes{128, 64, 4, 4}));
  EXPECT_EQ(p["encoder.conv3.weight"].sizes(), (Sizes{256, 128, 4, 4}));
  EXPECT_EQ(p["fc_mean.weight"].sizes(), (Sizes{32, 1024}));
  EXPECT_EQ(p["fc_logvar.weight"].sizes(), (Sizes{32, 1024}));
  EXPECT_EQ(p["fc_dec.weight"].sizes(), (Sizes{1024, 32}));
  // Transposed conv weights are [in, out, k, k].
  EXPECT_EQ(p["decoder.deconv0.weight"].sizes(), (Sizes{1024, 128, 5, 5}));
  EXPECT_EQ(p["decoder.deconv1.weight"].sizes(), (Sizes{128, 64, 5, 5}));
  EXPECT_EQ(p["decoder.deconv2.weight"].sizes(), (Sizes{64, 32, 6, 6}));
  EXPECT_EQ(p["decoder.deconv3.weight"].sizes(), (Sizes{32, 3, 6, 6}));
  EXPECT_EQ(p.size(), 2u * (4 + 2 + 1 + 4));  // weight and bias of every layer, nothing else
}

TEST(VaeModel, SampleFalseGivesTheMeanAndTrueIsReparameterized) {
  auto image = at::rand({64, 64, 64, 3});
  {
    TestNode vae("vae.model", {{"depth", 4}, {"sample", false}});
    auto out = vae.run({{"image", image}});
    EXPECT_TRUE(at::equal(out.at("z"), out.at("mean")));
  }
  TestNode vae("vae.model", {{"depth", 4}});
  auto out = vae.run({{"image", image}});
  auto eps = (out.at("z") - out.at("mean")) / (0.5 * out.at("logvar")).exp();
  EXPECT_NEAR(eps.mean().item<double>(), 0.0, 0.1);
  EXPECT_NEAR(eps.std().item<double>(), 1.0, 0.1);
}

TEST(VaeModel, SameSeedSameSample) {
  auto image = at::rand({2, 64, 64, 3});
  at::manual_seed(3);
  TestNode a("vae.model", {{"depth", 4}}, {}, 7);
  at::manual_seed(3);
  TestNode b("vae.model", {{"depth", 4}}, {}, 7);
  EXPECT_TRUE(at::equal(a.run({{"image", image}}).at("z"), b.run({{"image", image}}).at("z")));
}

TEST(VaeModel, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("vae.model", {{"z", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("vae.model", {{"depth", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("vae.model", {{"kl_tolerance", 0.5}}), std::invalid_argument);  // a vae.loss param
}

TEST(VaeModel, GradientsFlowToEveryWeightThroughTheLoss) {
  TestNode vae("vae.model", {{"depth", 4}, {"z", 6}});
  TestNode loss("vae.loss", {{"z", 6}, {"kl_tolerance", 0.0}});
  auto image = at::rand({2, 2, 64, 64, 3});
  auto out = vae.run({{"image", image}});
  loss.run({{"image", image}, {"recon", out.at("recon")}, {"mean", out.at("mean")}, {"logvar", out.at("logvar")}})
      .at("loss")
      .backward();
  for (const auto& p : vae.module()->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    EXPECT_TRUE(p.value().grad().isfinite().all().item<bool>()) << p.key();
    EXPECT_GT(p.value().grad().abs().sum().item<float>(), 0.f) << p.key();
  }
}

}  // namespace
