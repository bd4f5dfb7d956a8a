#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(DataOscillator, Shapes) {
  auto out = TestNode("data.oscillator").run({});
  EXPECT_EQ(out.at("obs").sizes(), (Sizes{16, 50, 4}));
  EXPECT_EQ(out.at("action").sizes(), (Sizes{16, 50, 1}));
  out = TestNode("data.oscillator", {{"batch", 3}, {"length", 7}, {"obs", 5}, {"action_size", 2}}).run({});
  EXPECT_EQ(out.at("obs").sizes(), (Sizes{3, 7, 5}));
  EXPECT_EQ(out.at("action").sizes(), (Sizes{3, 7, 2}));
}

TEST(DataOscillator, EqualSeedsGiveEqualData) {
  TestNode a("data.oscillator", {}, {}, 7), b("data.oscillator", {}, {}, 7), c("data.oscillator", {}, {}, 8);
  auto first = a.run({});
  auto same = b.run({});
  EXPECT_TRUE(at::equal(first.at("obs"), same.at("obs")));
  EXPECT_TRUE(at::equal(first.at("action"), same.at("action")));
  EXPECT_FALSE(at::equal(first.at("obs"), c.run({}).at("obs")));
  // Each call is a fresh batch, and the sequence of batches is reproducible too.
  auto second = a.run({});
  EXPECT_FALSE(at::equal(first.at("obs"), second.at("obs")));
  EXPECT_TRUE(at::equal(second.at("obs"), b.run({}).at("obs")));
}

TEST(DataOscillator, ActionsPrecedeObservations) {
  auto action = TestNode("data.oscillator", {{"action_size", 3}}).run({}).at("action");
  EXPECT_TRUE(action.select(1, 0).eq(0).all().item<bool>());
  EXPECT_LE(action.abs().max().item<float>(), 1.f);
  EXPECT_GT(action.narrow(1, 1, 49).abs().mean().item<float>(), 0.3f);  // uniform: mean |a| = 0.5
}

TEST(DataOscillator, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("data.oscillator", {{"batch", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("data.oscillator", {{"damping", 1.5}}), std::invalid_argument);
  EXPECT_THROW(TestNode("data.oscillator", {{"noise", -0.1}}), std::invalid_argument);
}

// A linear fit of obs_{t+1} from (obs_t, action_{t+1}) explains nearly all the variance: the data
// are learnable, and the action really is the one applied between the two observations.
TEST(DataOscillator, OneStepLinearFitExplainsTheData) {
  auto fit = [](bool with_action) {
    auto out = TestNode("data.oscillator", {{"batch", 64}, {"action_size", 2}}).run({});
    auto obs = out.at("obs").to(at::kDouble), action = out.at("action").to(at::kDouble);
    auto prev = obs.narrow(1, 0, 49).reshape({-1, 4}), next = obs.narrow(1, 1, 49).reshape({-1, 4});
    std::vector<at::Tensor> cols{prev, at::ones({prev.size(0), 1}, at::kDouble)};
    if (with_action) cols.push_back(action.narrow(1, 1, 49).reshape({-1, 2}));
    auto x = at::cat(cols, 1);
    auto w = std::get<0>(at::linalg_lstsq(x, next));
    auto residual = next - at::matmul(x, w);
    return 1.0 - residual.square().sum().item<double>() / (next - next.mean(0)).square().sum().item<double>();
  };
  const double r2 = fit(true);
  EXPECT_GT(r2, 0.99);
  EXPECT_GT(r2 - fit(false), 0.01);  // the actions carry information
}

}  // namespace
