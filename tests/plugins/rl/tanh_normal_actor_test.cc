#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/compute_check.h"
#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

const nlohmann::json kSmall = {{"in_dim", 4}, {"action_size", 3}, {"hidden", {6, 5}}};

TEST(RlTanhNormalActor, ShapesForAnyLeadingDims) {
  TestNode actor("rl.tanh_normal_actor", kSmall);
  for (Sizes lead : {Sizes{7}, Sizes{2, 5}}) {
    Sizes in = lead, want = lead;
    in.push_back(4);
    want.push_back(3);
    auto out = actor.run({{"x", at::randn(in)}});
    EXPECT_EQ(out.at("mean").sizes(), want);
    EXPECT_EQ(out.at("std").sizes(), want);
  }
}

TEST(RlTanhNormalActor, BothActorsComputeInBFloat16) {
  const nlohmann::json p = {{"in_dim", 24}, {"action_size", 3}, {"hidden", {64, 64}}};
  for (const char* type : {"rl.tanh_normal_actor", "rl.normal_actor"})
    lf::testing::expect_bfloat16_matches_float32(type, p, {{"x", at::randn({8, 24})}}, "mean");
}

TEST(RlTanhNormalActor, DefaultsAreDreamers) {
  TestNode actor("rl.tanh_normal_actor", {{"in_dim", 230}, {"action_size", 6}});
  auto p = actor.module()->named_parameters();
  EXPECT_EQ(p.size(), 10u);  // 4 hidden linears and the output layer
  for (const char* fc : {"fc0.weight", "fc1.weight", "fc2.weight", "fc3.weight"}) EXPECT_EQ(p[fc].size(0), 400) << fc;
  EXPECT_EQ(p["fc0.weight"].sizes(), (Sizes{400, 230}));
  EXPECT_EQ(p["out.weight"].sizes(), (Sizes{12, 400}));
}

TEST(RlTanhNormalActor, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("rl.tanh_normal_actor", {{"action_size", 3}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rl.tanh_normal_actor", {{"in_dim", 4}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rl.tanh_normal_actor", {{"in_dim", 4}, {"action_size", 3}, {"init_std", 0.0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rl.tanh_normal_actor", {{"in_dim", 4}, {"action_size", 3}, {"min_std", -1e-4}}), std::invalid_argument);
  EXPECT_THROW(TestNode("rl.tanh_normal_actor", {{"in_dim", 4}, {"action_size", 3}, {"activation", "tanh"}}), std::invalid_argument);
}

// With a zero output layer the raw outputs are 0: mean 0 and std = init_std + min_std, also for an
// init_std where exp(init_std) overflows float.
TEST(RlTanhNormalActor, StdAtZeroRawOutputIsInitStd) {
  for (double init_std : {5.0, 0.5, 100.0}) {
    auto params = kSmall;
    params["init_std"] = init_std;
    TestNode actor("rl.tanh_normal_actor", params);
    {
      at::NoGradGuard no_grad;
      auto p = actor.module()->named_parameters();
      p["out.weight"].zero_();
      p["out.bias"].zero_();
    }
    auto out = actor.run({{"x", at::randn({5, 4})}});
    EXPECT_EQ(out.at("mean").abs().max().item<float>(), 0.f);
    EXPECT_TRUE(at::allclose(out.at("std"), at::full({5, 3}, init_std + 1e-4), 1e-6, 1e-6)) << init_std;
  }
}

TEST(RlTanhNormalActor, MatchesTheFormulaAndBoundsTheMean) {
  at::manual_seed(3);  // weights and inputs fixed: whether some mean saturates must not depend on the run
  auto params = kSmall;
  params["activation"] = "relu";
  params["mean_scale"] = 2.0;
  params["init_std"] = 1.5;
  params["min_std"] = 0.01;
  TestNode actor("rl.tanh_normal_actor", params);
  auto p = actor.module()->named_parameters();
  auto x = 30 * at::randn({256, 4});
  auto out = actor.run({{"x", x}});
  at::NoGradGuard no_grad;
  auto h = at::relu(at::linear(x, p["fc0.weight"], p["fc0.bias"]));
  h = at::relu(at::linear(h, p["fc1.weight"], p["fc1.bias"]));
  auto raw = at::linear(h, p["out.weight"], p["out.bias"]).chunk(2, -1);
  EXPECT_TRUE(at::allclose(out.at("mean"), 2.0 * at::tanh(raw[0] / 2.0), 1e-5, 1e-5));
  EXPECT_TRUE(at::allclose(out.at("std"), at::softplus(raw[1] + std::log(std::exp(1.5) - 1)) + 0.01, 1e-5, 1e-5));
  // the inputs are large enough to saturate some means; none passes the bound
  EXPECT_GT(out.at("mean").abs().max().item<float>(), 1.9f);
  EXPECT_LE(out.at("mean").abs().max().item<float>(), 2.f);
  EXPECT_GE(out.at("std").min().item<float>(), 0.01f);
}

TEST(RlTanhNormalActor, GradientsMatchFiniteDifferences) {
  for (const char* act : {"elu", "relu"}) {
    auto params = kSmall;
    params["activation"] = act;
    params["mean_scale"] = 1.0;  // small enough that the tanh clip bends the mean
    TestNode actor("rl.tanh_normal_actor", params);
    actor.to_double();
    // The weights are perturbed in place like the input, so the same check covers them.
    std::vector<at::Tensor> wrt{at::randn({3, 4}, at::kDouble).requires_grad_()};
    for (const auto& w : actor.module()->parameters()) wrt.push_back(w);
    auto f = [&](const std::vector<at::Tensor>& in) {
      auto out = actor.run({{"x", in[0]}});
      return at::cat({out.at("mean"), out.at("std")}, -1);
    };
    EXPECT_LT(lf::testing::gradient_error(f, wrt), 1e-6) << act;
  }
}

}  // namespace
