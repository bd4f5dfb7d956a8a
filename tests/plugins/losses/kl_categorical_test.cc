// losses.kl_categorical: the closed form on hand-made distributions, the sum over latents, the
// split of the gradient between prior and posterior, both free-nats modes, and bad shapes.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "support/node_harness.h"

namespace kl_categorical_test {

using lf::testing::TestNode;

// KL((a, 1 - a) || (b, 1 - b)) in nats.
double kl2(double a, double b) { return a * std::log(a / b) + (1 - a) * std::log((1 - a) / (1 - b)); }

// Logits [steps, latents = 1, classes = 2] of the two-class distributions (a, 1 - a).
at::Tensor logits(std::vector<double> a) {
  auto t = at::empty({static_cast<int64_t>(a.size()), 1, 2}, at::kDouble);
  for (size_t i = 0; i < a.size(); ++i) {
    t[static_cast<int64_t>(i)][0][0] = std::log(a[i]);
    t[static_cast<int64_t>(i)][0][1] = std::log(1 - a[i]);
  }
  return t;
}

TEST(LossesKlCategorical, MatchesTheClosedFormAndSumsOverLatents) {
  TestNode kl("losses.kl_categorical", {{"free_nats", 0.0}});
  auto out = kl.run({{"post_logits", logits({0.8})}, {"prior_logits", logits({0.5})}});
  EXPECT_NEAR(out.at("kl").item<double>(), kl2(0.8, 0.5), 1e-12);
  EXPECT_NEAR(out.at("loss").item<double>(), (0.8 + 0.2) * kl2(0.8, 0.5), 1e-12);  // both terms have the value
  // Two latents per step: their KLs add; logits are softmaxed, so a shift changes nothing.
  auto q = at::cat({logits({0.8}), logits({0.3}) + 5.0}, 1), p = at::cat({logits({0.5}), logits({0.6})}, 1);
  EXPECT_NEAR(kl.run({{"post_logits", q}, {"prior_logits", p}}).at("kl").item<double>(), kl2(0.8, 0.5) + kl2(0.3, 0.6), 1e-12);
}

// dyn = KL(sg(q) || p) moves only the prior, rep = KL(q || sg(p)) only the posterior.
TEST(LossesKlCategorical, DynTrainsThePriorRepThePosterior) {
  for (const bool dyn : {true, false}) {
    TestNode kl("losses.kl_categorical", {{"free_nats", 0.0}, {"dyn_scale", dyn ? 1.0 : 0.0}, {"rep_scale", dyn ? 0.0 : 1.0}});
    auto q = logits({0.8, 0.1}).requires_grad_(), p = logits({0.5, 0.4}).requires_grad_();
    const auto loss = kl.run({{"post_logits", q}, {"prior_logits", p}}).at("loss");
    const auto grads = torch::autograd::grad({loss}, {q, p}, {}, false, false, true);
    const bool q_moves = grads[0].defined() && grads[0].abs().sum().item<double>() > 0;
    const bool p_moves = grads[1].defined() && grads[1].abs().sum().item<double>() > 0;
    EXPECT_EQ(q_moves, !dyn) << (dyn ? "dyn" : "rep");
    EXPECT_EQ(p_moves, dyn) << (dyn ? "dyn" : "rep");
  }
}

// DreamerV2 clamps the mean over steps (free_avg), DreamerV3 each step before the mean.
TEST(LossesKlCategorical, FreeNatsModes) {
  const auto q = logits({0.6, 0.999}), p = logits({0.5, 0.01});
  const double a = kl2(0.6, 0.5), b = kl2(0.999, 0.01);  // 0.02 and 4.57 nats
  TestNode v2("losses.kl_categorical", {{"dyn_scale", 0.8}, {"rep_scale", 0.2}, {"free_nats", 1.0}});
  auto out = v2.run({{"post_logits", q}, {"prior_logits", p}});
  EXPECT_NEAR(out.at("loss").item<double>(), std::max((a + b) / 2, 1.0), 1e-9);
  EXPECT_NEAR(out.at("kl").item<double>(), (a + b) / 2, 1e-9);
  TestNode v3("losses.kl_categorical",
              {{"dyn_scale", 0.5}, {"rep_scale", 0.1}, {"free_nats", 1.0}, {"free_nats_mode", "per_step"}});
  EXPECT_NEAR(v3.run({{"post_logits", q}, {"prior_logits", p}}).at("loss").item<double>(), 0.6 * (1.0 + b) / 2, 1e-9);
  // Under the free nats the loss passes no gradient.
  auto small = logits({0.6}).requires_grad_();
  const auto loss = v2.run({{"post_logits", small}, {"prior_logits", logits({0.5})}}).at("loss");
  EXPECT_DOUBLE_EQ(loss.item<double>(), 1.0);
  EXPECT_FALSE(loss.requires_grad() && torch::autograd::grad({loss}, {small})[0].abs().sum().item<double>() > 0);
}

TEST(LossesKlCategorical, ShapesMustMatch) {
  TestNode kl("losses.kl_categorical");
  EXPECT_THROW(kl.run({{"post_logits", at::zeros({2, 3, 4})}, {"prior_logits", at::zeros({2, 3, 5})}}), std::invalid_argument);
}

}  // namespace kl_categorical_test
