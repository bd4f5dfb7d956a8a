#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

TEST(EsRolloutFitness, MeanOverRolloutsOfSummedRewards) {
  TestNode f("es.rollout_fitness", {{"repeats", 2}});
  // P = 2 candidates, R = 2 rollouts, T = 3 steps. Returns: 6, 2 | -1, 0.5.
  auto rewards = at::tensor({1.0f, 2.0f, 3.0f,  0.0f, 2.0f, 0.0f,  //
                             -1.0f, 0.0f, 0.0f, 0.5f, 0.0f, 0.0f})
                     .view({4, 3});
  auto out = f.run({{"rewards", rewards}});
  const auto& fit = out.at("fitness");
  ASSERT_EQ(fit.sizes(), (std::vector<int64_t>{2}));
  EXPECT_FLOAT_EQ(fit[0].item<float>(), 4.0f);
  EXPECT_FLOAT_EQ(fit[1].item<float>(), -0.25f);
  EXPECT_FLOAT_EQ(out.at("mean_fitness").item<float>(), 1.875f);
  EXPECT_FLOAT_EQ(out.at("max_fitness").item<float>(), 4.0f);
}

TEST(EsRolloutFitness, AcceptsReturnsAndInvertsRepeatRows) {
  TestNode f("es.rollout_fitness", {{"repeats", 3}});
  auto fit = f.run({{"rewards", at::tensor({1.0f, 2.0f, 3.0f, 10.0f, 10.0f, 40.0f})}}).at("fitness");
  EXPECT_TRUE(fit.equal(at::tensor({2.0f, 20.0f})));

  // What repeat_rows spreads over R rows comes back to the candidate's row.
  TestNode rep("es.repeat_rows", {{"repeats", 3}});
  auto per_candidate = at::randn({4, 5});
  auto spread = rep.run({{"x", per_candidate}}).at("y");
  EXPECT_TRUE(at::allclose(f.run({{"rewards", spread}}).at("fitness"), per_candidate.sum(1), 1e-5, 1e-6));

  // float64 rewards give an f32 fitness; the per-step dims may be several.
  auto d = f.run({{"rewards", at::ones({6, 2, 2}, at::kDouble)}}).at("fitness");
  EXPECT_EQ(d.scalar_type(), at::kFloat);
  EXPECT_TRUE(d.equal(at::full({2}, 4.0f)));
}

TEST(EsRolloutFitness, Errors) {
  EXPECT_THROW(TestNode("es.rollout_fitness", nlohmann::json::object()), std::invalid_argument);
  EXPECT_THROW(TestNode("es.rollout_fitness", {{"repeats", 0}}), std::invalid_argument);
  TestNode f("es.rollout_fitness", {{"repeats", 4}});
  EXPECT_THROW(f.run({{"rewards", at::zeros({6, 3})}}), std::invalid_argument);
  EXPECT_THROW(f.run({{"rewards", at::scalar_tensor(1.0)}}), std::invalid_argument);
}

}  // namespace
