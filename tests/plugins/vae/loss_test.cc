#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

at::Tensor frames(int64_t n) { return at::zeros({n, 64, 64, 3}); }

TEST(VaeLoss, KlMatchesTheClosedForm) {
  TestNode loss("vae.loss", {{"z", 2}, {"kl_tolerance", 0.0}});
  // Frame 0: mean (1, 0), var (1, 2): KL = 0.5 * (1) + 0.5 * (2 - 1 - ln 2).
  // Frame 1: mean (2, -1), var (e^-1, 1): KL = 0.5 * (4 + e^-1 - 1 + 1) + 0.5 * (1).
  auto mean = at::tensor({1.0, 0.0, 2.0, -1.0}, at::kDouble).view({2, 2});
  auto logvar = at::tensor({0.0, std::log(2.0), -1.0, 0.0}, at::kDouble).view({2, 2});
  const double kl0 = 0.5 + 0.5 * (1 - std::log(2.0)), kl1 = 0.5 * (4 + std::exp(-1.0)) + 0.5;
  auto out = loss.run({{"image", frames(2).to(at::kDouble)}, {"recon", frames(2).to(at::kDouble)},
                       {"mean", mean}, {"logvar", logvar}});
  EXPECT_NEAR(out.at("kl").item<double>(), (kl0 + kl1) / 2, 1e-12);
  EXPECT_NEAR(out.at("loss").item<double>(), (kl0 + kl1) / 2, 1e-12);
  EXPECT_NEAR(out.at("recon_loss").item<double>(), 0.0, 1e-12);
  // Against the general formula on random values, [B, T] leading dims.
  auto m = at::randn({3, 4, 2}, at::kDouble), lv = at::randn({3, 4, 2}, at::kDouble);
  auto kl = (0.5 * (m.square() + lv.exp() - 1 - lv)).sum(-1).mean();
  out = loss.run({{"image", frames(12).view({3, 4, 64, 64, 3}).to(at::kDouble)},
                  {"recon", frames(12).view({3, 4, 64, 64, 3}).to(at::kDouble)}, {"mean", m}, {"logvar", lv}});
  EXPECT_NEAR(out.at("kl").item<double>(), kl.item<double>(), 1e-12);
}

TEST(VaeLoss, KlToleranceClampsPerFrameWithZeroGradientBelowTheFloor) {
  TestNode loss("vae.loss", {{"z", 2}, {"kl_tolerance", 0.5}});  // floor 1 nat per frame
  // Frame 0: KL = 0.5 * (1 - ln 2) + 0.5 < 1 (clamped); frame 1: mean (2, 0), logvar 0: KL = 2.
  auto mean = at::tensor({1.0, 0.0, 2.0, 0.0}, at::kDouble).view({2, 2}).requires_grad_();
  auto logvar = at::tensor({0.0, std::log(2.0), 0.0, 0.0}, at::kDouble).view({2, 2}).requires_grad_();
  auto out = loss.run({{"image", frames(2).to(at::kDouble)}, {"recon", frames(2).to(at::kDouble)},
                       {"mean", mean}, {"logvar", logvar}});
  EXPECT_NEAR(out.at("loss").item<double>(), (1.0 + 2.0) / 2, 1e-12);
  EXPECT_NEAR(out.at("kl").item<double>(), (0.5 + 0.5 * (1 - std::log(2.0)) + 2.0) / 2, 1e-12);
  EXPECT_FALSE(out.at("kl").requires_grad());
  EXPECT_FALSE(out.at("recon_loss").requires_grad());
  out.at("loss").backward();
  EXPECT_EQ(mean.grad()[0].abs().sum().item<double>(), 0.0);
  EXPECT_EQ(logvar.grad()[0].abs().sum().item<double>(), 0.0);
  // d/dmean of KL/2 is mean/2; d/dlogvar is (exp(logvar) - 1)/4 = 0 at logvar 0.
  EXPECT_NEAR(mean.grad()[1][0].item<double>(), 1.0, 1e-12);
  EXPECT_NEAR(mean.grad()[1][1].item<double>(), 0.0, 1e-12);
}

TEST(VaeLoss, MatchesAHandComputation) {
  TestNode loss("vae.loss", {{"z", 1}, {"kl_tolerance", 0.0}});
  auto image = frames(2), recon = frames(2);
  image[0][0][0][0] = 1.f;    // frame 0: errors 0.5 and 0.25 -> SSE 0.25 + 0.0625
  recon[0][0][0][0] = 0.5f;
  recon[0][10][20][1] = 0.25f;
  recon[1][63][63][2] = -1.f;  // frame 1: SSE 1
  auto mean = at::tensor({0.f, 1.f}).view({2, 1});  // KL 0 and 0.5
  auto logvar = at::zeros({2, 1});
  auto out = loss.run({{"image", image}, {"recon", recon}, {"mean", mean}, {"logvar", logvar}});
  const double recon_loss = (0.25 + 0.0625 + 1.0) / 2, kl = 0.25;
  EXPECT_NEAR(out.at("recon_loss").item<double>(), recon_loss, 1e-6);
  EXPECT_NEAR(out.at("kl").item<double>(), kl, 1e-6);
  EXPECT_NEAR(out.at("loss").item<double>(), recon_loss + kl, 1e-6);
  EXPECT_EQ(out.at("loss").dim(), 0);
}

TEST(VaeLoss, RejectsALatentOfTheWrongSize) {
  TestNode loss("vae.loss", {{"z", 3}});
  EXPECT_THROW(loss.run({{"image", frames(1)}, {"recon", frames(1)}, {"mean", at::zeros({1, 2})},
                         {"logvar", at::zeros({1, 2})}}),
               std::invalid_argument);
}

}  // namespace
