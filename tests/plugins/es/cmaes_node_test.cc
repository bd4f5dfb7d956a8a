#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/serialize.h>

#include "support/node_harness.h"

namespace {

using lf::testing::error_of;
using lf::testing::TestNode;
using Outputs = std::map<std::string, at::Tensor>;

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

// Calls both nodes `calls` times, each told the fitness of its own previous candidates, and
// expects every output identical. `a` and `b` are the outputs of each node's last call.
void expect_same_calls(TestNode& x, Outputs a, TestNode& y, Outputs b, int calls) {
  for (int call = 0; call < calls; ++call) {
    a = x.run({{"fitness", quadratic(a.at("candidates"))}});
    b = y.run({{"fitness", quadratic(b.at("candidates"))}});
    for (const auto& [name, t] : a) ASSERT_TRUE(t.equal(b.at(name))) << name << " differs at call " << call;
  }
}

// A node's state as a checkpoint stores it: through torch::save and torch::load.
lf::TensorDict saved_state(TestNode& node) {
  lf::TensorDict state;
  node.node().save_state(state);
  std::vector<std::string> keys;
  std::vector<at::Tensor> values;
  for (const auto& [k, t] : state) {
    keys.push_back(k);
    values.push_back(t);
  }
  std::stringstream file;
  torch::save(values, file);
  torch::load(values, file);
  lf::TensorDict loaded;
  for (size_t i = 0; i < keys.size(); ++i) loaded[keys[i]] = values[i];
  return loaded;
}

TEST(EsCmaes, LoadStateResumesBitForBit) {
  // Every save of the node falls between an ask (the end of a call) and a tell (the next call).
  TestNode a("es.cmaes", {{"dim", 5}, {"sigma0", 0.5}, {"seed", 3}});
  auto out = a.run({});
  for (int call = 0; call < 25; ++call) out = a.run({{"fitness", quadratic(out.at("candidates"))}});
  const lf::TensorDict saved = saved_state(a);

  // Another seed: what b does next must come from the state.
  TestNode b("es.cmaes", {{"dim", 5}, {"sigma0", 0.5}, {"seed", 4}});
  b.run({});
  b.node().load_state(saved);
  auto again = b.run({});  // no fitness: the pending population, as a would output it
  for (const auto& [name, t] : out) ASSERT_TRUE(t.equal(again.at(name))) << name;
  expect_same_calls(a, out, b, again, 20);
}

TEST(EsCmaes, LoadStateSavedBeforeTheFirstCallStartsOver) {
  TestNode a("es.cmaes", {{"dim", 4}, {"seed", 6}}), fresh("es.cmaes", {{"dim", 4}, {"seed", 6}});
  const lf::TensorDict saved = saved_state(a);
  auto out = a.run({});
  for (int call = 0; call < 5; ++call) out = a.run({{"fitness", quadratic(out.at("candidates"))}});
  a.node().load_state(saved);
  // Nothing pending after the load: the fitness is ignored and the first population asked.
  auto x = a.run({{"fitness", quadratic(out.at("candidates"))}}), y = fresh.run({});
  for (const auto& [name, t] : x) ASSERT_TRUE(t.equal(y.at(name))) << name;
  expect_same_calls(a, x, fresh, y, 10);
}

TEST(EsCmaes, LoadStateRefusesAnotherDimensionAndChangesNothing) {
  TestNode other("es.cmaes", {{"dim", 4}, {"seed", 1}});
  other.run({});
  lf::TensorDict wrong;
  other.node().save_state(wrong);

  TestNode es("es.cmaes", {{"dim", 3}, {"seed", 2}}), twin("es.cmaes", {{"dim", 3}, {"seed", 2}});
  auto a = es.run({}), b = twin.run({});
  const std::string dim = error_of([&] { es.node().load_state(wrong); });
  EXPECT_NE(dim.find("es.cmaes"), std::string::npos) << dim;
  EXPECT_NE(dim.find("dim 4"), std::string::npos) << dim;

  lf::TensorDict good;
  twin.node().save_state(good);
  const std::string missing = error_of([&] { es.node().load_state({}); });
  EXPECT_NE(missing.find("no state"), std::string::npos) << missing;
  lf::TensorDict f32 = good;
  f32["mean"] = f32["mean"].to(at::kFloat);
  const std::string dtype = error_of([&] { es.node().load_state(f32); });
  EXPECT_NE(dtype.find("'mean' must be a 1-D float64 tensor"), std::string::npos) << dtype;

  expect_same_calls(es, a, twin, b, 10);
}

}  // namespace
