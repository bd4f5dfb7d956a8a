#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using lf::testing::TestRefs;

// vae.encode is the block's own encoder: its mean and logvar equal the block's, and its z is the
// mean when sample = false; gradients reach the block's encoder weights.
TEST(VaeEncode, IsTheBlocksEncoder) {
  TestNode vae("vae.model", {{"depth", 4}, {"z", 8}});
  TestRefs refs;
  refs.nodes["vae"] = &vae.node();
  TestNode enc("vae.encode", {{"vae", "vae"}, {"sample", false}}, refs);
  const auto frames = at::rand({2, 3, 64, 64, 3});
  const auto full = vae.run({{"image", frames}});
  const auto out = enc.run({{"image", frames}});
  EXPECT_EQ(out.at("mean").sizes(), (std::vector<int64_t>{2, 3, 8}));
  EXPECT_TRUE(at::allclose(out.at("mean"), full.at("mean")));
  EXPECT_TRUE(at::allclose(out.at("logvar"), full.at("logvar")));
  EXPECT_TRUE(at::equal(out.at("z"), out.at("mean")));
  out.at("mean").sum().backward();
  EXPECT_TRUE(vae.module()->named_parameters()["encoder.conv0.weight"].grad().defined());
  EXPECT_FALSE(vae.module()->named_parameters()["fc_dec.weight"].grad().defined());
}

// Sampled z = mean + exp(logvar / 2) * eps: standardized, the draws are N(0, 1).
TEST(VaeEncode, SamplesAroundTheMean) {
  TestNode vae("vae.model", {{"depth", 4}, {"z", 8}});
  TestRefs refs;
  refs.nodes["vae"] = &vae.node();
  TestNode enc("vae.encode", {{"vae", "vae"}}, refs);
  const auto out = enc.run({{"image", at::rand({500, 64, 64, 3})}});
  const auto eps = (out.at("z") - out.at("mean")) / (0.5 * out.at("logvar")).exp();
  EXPECT_NEAR(eps.mean().item<double>(), 0.0, 0.05);
  EXPECT_NEAR(eps.std().item<double>(), 1.0, 0.05);
}

TEST(VaeEncode, TheBlockMustBeAVaeModel) {
  TestNode other("vae.loss");
  TestRefs refs;
  refs.nodes["v"] = &other.node();
  try {
    TestNode("vae.encode", {{"vae", "v"}}, refs);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("block 'v' is not a vae.model block"), std::string::npos) << e.what();
  }
}

}  // namespace
