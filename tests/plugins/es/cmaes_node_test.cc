#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

// f(x) = sum_i (x_i - t_i)^2, t_i = 0.1 i - 0.3, per row of candidates [P, dim].
at::Tensor quadratic(const at::Tensor& c) {
  auto t = at::arange(c.size(1), at::kFloat) * 0.1f - 0.3f;
  return (c - t).square().sum(1);
}

TEST(EsCmaes, ShapesAndDefaults) {
  TestNode es("es.cmaes", {{"dim", 7}});
  auto out = es.run({});
  const int64_t pop = 4 + 5;  // 4 + floor(3 ln 7)
  EXPECT_EQ(out.at("candidates").sizes(), (std::vector<int64_t>{pop, 7}));
  EXPECT_EQ(out.at("candidates").scalar_type(), at::kFloat);
  EXPECT_EQ(out.at("mean").sizes(), (std::vector<int64_t>{7}));
  EXPECT_EQ(out.at("sigma").dim(), 0);
  EXPECT_FLOAT_EQ(out.at("sigma").item<float>(), 0.1f);
  EXPECT_EQ(out.at("best").sizes(), (std::vector<int64_t>{7}));
  EXPECT_TRUE(std::isinf(out.at("best_fitness").item<float>()));
  EXPECT_TRUE(out.at("mean").eq(0).all().item<bool>());

  TestNode big("es.cmaes", {{"dim", 3}, {"population", 16}, {"init_mean", 0.5}});
  auto o = big.run({});
  EXPECT_EQ(o.at("candidates").sizes(), (std::vector<int64_t>{16, 3}));
  EXPECT_TRUE(o.at("mean").eq(0.5).all().item<bool>());
}

TEST(EsCmaes, AskTellImprovesAQuadratic) {
  TestNode es("es.cmaes", {{"dim", 5}, {"sigma0", 0.5}, {"seed", 3}});
  auto out = es.run({});
  const double first = quadratic(out.at("candidates")).min().item<double>();
  for (int call = 0; call < 60; ++call) out = es.run({{"fitness", quadratic(out.at("candidates"))}});
  const double best = out.at("best_fitness").item<double>();
  EXPECT_LT(best, 1e-3 * first);
  EXPECT_NEAR(quadratic(out.at("best").unsqueeze(0)).item<double>(), best, 1e-6);
  EXPECT_LT(quadratic(out.at("mean").unsqueeze(0)).item<double>(), 1e-2);
  EXPECT_LT(out.at("sigma").item<double>(), 0.5);
}

TEST(EsCmaes, MaximizeRanksHigherFitnessFirst) {
  TestNode es("es.cmaes", {{"dim", 4}, {"sigma0", 0.5}, {"seed", 5}, {"maximize", true}});
  auto out = es.run({});
  EXPECT_TRUE(std::isinf(out.at("best_fitness").item<float>()) && out.at("best_fitness").item<float>() < 0);
  for (int call = 0; call < 40; ++call) out = es.run({{"fitness", -quadratic(out.at("candidates"))}});
  EXPECT_GT(out.at("best_fitness").item<double>(), -1e-2);  // the return is -quadratic, near its max 0
  EXPECT_LE(out.at("best_fitness").item<double>(), 0.0);
}

TEST(EsCmaes, CallWithoutFitnessRepeatsThePendingPopulation) {
  TestNode es("es.cmaes", {{"dim", 3}, {"seed", 1}});
  auto a = es.run({});
  auto b = es.run({});
  EXPECT_TRUE(a.at("candidates").equal(b.at("candidates")));
  auto c = es.run({{"fitness", quadratic(b.at("candidates"))}});
  EXPECT_FALSE(c.at("candidates").equal(b.at("candidates")));
}

TEST(EsCmaes, SeedParamAndBuildSeed) {
  auto first = [](nlohmann::json p, uint64_t build_seed) {
    TestNode es("es.cmaes", p, {}, build_seed);
    return es.run({}).at("candidates");
  };
  EXPECT_TRUE(first({{"dim", 3}, {"seed", 9}}, 1).equal(first({{"dim", 3}, {"seed", 9}}, 2)));
  EXPECT_TRUE(first({{"dim", 3}}, 4).equal(first({{"dim", 3}}, 4)));
  EXPECT_FALSE(first({{"dim", 3}}, 4).equal(first({{"dim", 3}}, 5)));
}

TEST(EsCmaes, BadFitnessIsInvalidArgument) {
  TestNode es("es.cmaes", {{"dim", 3}, {"population", 6}});
  es.run({});
  EXPECT_THROW(es.run({{"fitness", at::zeros({5})}}), std::invalid_argument);
  EXPECT_THROW(es.run({{"fitness", at::zeros({6, 1})}}), std::invalid_argument);
  auto nan = at::zeros({6});
  nan[3] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(es.run({{"fitness", nan}}), std::invalid_argument);
  EXPECT_NO_THROW(es.run({{"fitness", at::zeros({6})}}));
}

TEST(EsCmaes, BadParamsAreRejected) {
  EXPECT_THROW(TestNode("es.cmaes", nlohmann::json::object()), std::invalid_argument);  // dim required
  EXPECT_THROW(TestNode("es.cmaes", {{"dim", 3}, {"population", 1}}), std::invalid_argument);
  EXPECT_THROW(TestNode("es.cmaes", {{"dim", 3}, {"sigma0", 0.0}}), std::invalid_argument);
}

}  // namespace
