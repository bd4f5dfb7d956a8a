#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace mppi_test {

using lf::testing::error_of;
using lf::testing::FunctionFlow;
using lf::testing::TestNode;
using lf::testing::TestRefs;
using Flows = std::vector<std::string>;
using Sizes = std::vector<int64_t>;

constexpr int64_t kEnvs = 2, kHorizon = 4, kActionDims = 2;

at::Tensor target() {
  return at::tensor({0.5f, -0.3f, 0.2f, 0.1f, -0.6f, 0.4f, 0.0f, -0.2f}).view({kHorizon, kActionDims});
}

const at::Tensor kOffsets = at::tensor({0.0f, 0.3f}).view({kEnvs, 1});

// reward_t = -scale * sum_d (a_t,d - target_t,d - offset)^2; inputs (actions, offset).
std::shared_ptr<FunctionFlow> quadratic(double scale = 1000, at::Tensor goal = target()) {
  return std::make_shared<FunctionFlow>(Flows{"actions", "offset"}, Flows{"reward"},
                                        [goal, scale](const std::vector<at::Tensor>& in) {
                                          const auto g = goal.unsqueeze(0) + in[1].view({-1, 1, 1});
                                          return std::vector<at::Tensor>{-scale * (in[0] - g).pow(2).sum(-1)};
                                        });
}

nlohmann::json params(nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json p = {{"model", "model"},  {"action_size", kActionDims}, {"horizon", kHorizon},
                      {"policy_samples", 0}, {"explore", false}};
  p.update(extra);
  return p;
}

TestRefs refs(std::shared_ptr<lf::FlowHandle> model, std::shared_ptr<lf::FlowHandle> policy = nullptr,
              uint64_t seed = 1) {
  TestRefs r{{}, {}, {{"model", std::move(model)}}, seed};
  if (policy) r.flows["policy"] = std::move(policy);
  return r;
}

TEST(PlannersMppi, FindsEachEnvsOptimum) {
  TestNode mppi("planners.mppi", params({{"iterations", 10}}), refs(quadratic()));
  const auto out = mppi.run({{"state0", kOffsets}});
  ASSERT_EQ(out.at("action").sizes(), (Sizes{kEnvs, kActionDims}));
  ASSERT_EQ(out.at("value").sizes(), (Sizes{kEnvs}));
  const auto expected = target()[0].unsqueeze(0) + kOffsets;
  // A drawn elite, not the mean: within the refitted std (>= min_std 0.05) of the optimum.
  EXPECT_LT((out.at("action") - expected).abs().max().item<double>(), 0.05);
  EXPECT_TRUE((out.at("value") <= 0).all().item<bool>());
}

// The first iteration's Gaussian candidates are centred on the carried plan shifted by one step,
// per env (a zero plan, as the init flow gives at an episode's start, centres them on 0); the plan
// output is the refitted mean, which the next step's warm start shifts.
TEST(PlannersMppi, WarmStartShiftsTheCarriedPlan) {
  std::vector<at::Tensor> first_iteration;
  int calls = 0;
  auto model = std::make_shared<FunctionFlow>(Flows{"actions", "offset"}, Flows{"reward"},
                                              [&](const std::vector<at::Tensor>& in) {
                                                if (calls++ % 12 == 0) first_iteration.push_back(in[0].clone());
                                                const auto g = target().unsqueeze(0) + in[1].view({-1, 1, 1});
                                                return std::vector<at::Tensor>{-1000 * (in[0] - g).pow(2).sum(-1)};
                                              });
  const auto p = params({{"iterations", 12}, {"samples", 4096}, {"elites", 64}, {"min_action", -100}, {"max_action", 100}});
  TestNode mppi("planners.mppi", p, refs(model));
  const auto plan = mppi.run({{"state0", kOffsets}, {"plan", at::zeros({kEnvs, kHorizon, kActionDims})}}).at("plan");
  ASSERT_EQ(plan.sizes(), (Sizes{kEnvs, kHorizon, kActionDims}));
  // the refit converged on each env's optimum
  EXPECT_LT((plan - (target().unsqueeze(0) + kOffsets.view({kEnvs, 1, 1}))).abs().max().item<double>(), 0.05) << plan;
  // env 0 carries its plan on; env 1 starts an episode (the rollout put the init's zeros back)
  auto carried = plan.clone();
  carried[1].zero_();
  mppi.run({{"state0", kOffsets}, {"plan", carried}});
  ASSERT_EQ(first_iteration.size(), 2u);
  // [E, samples, H, A]: the sample mean estimates the belief's mean (std 2, 4096 samples: s.e. 0.03)
  const auto centre = first_iteration[1].view({kEnvs, 4096, kHorizon, kActionDims}).mean(1);
  const auto shifted = target().narrow(0, 1, kHorizon - 1);
  EXPECT_LT((centre[0].narrow(0, 0, kHorizon - 1) - shifted).abs().max().item<double>(), 0.15) << centre[0];
  EXPECT_LT(centre[0][kHorizon - 1].abs().max().item<double>(), 0.15) << centre[0];
  EXPECT_LT(centre[1].abs().max().item<double>(), 0.15) << centre[1];
}

// Policy trajectories are candidates beside the Gaussian samples: with one elite and Gaussian
// samples that cannot hit the optimum, the chosen action is the policy's, from each env's state.
TEST(PlannersMppi, PolicyTrajectoriesAreCandidates) {
  std::vector<at::Tensor> policy_inputs;
  auto policy = std::make_shared<FunctionFlow>(Flows{"offset", "ticks"}, Flows{"actions"},
                                               [&](const std::vector<at::Tensor>& in) {
                                                 policy_inputs = in;
                                                 const int64_t rows = in[0].size(0), H = in[1].size(1);
                                                 return std::vector<at::Tensor>{
                                                     (target().unsqueeze(0) + in[0].view({-1, 1, 1})).expand(
                                                         {rows, H, kActionDims}).contiguous()};
                                               });
  const auto p = params({{"policy", "policy"}, {"policy_samples", 3}, {"samples", 2}, {"elites", 1},
                         {"iterations", 1}});
  TestNode mppi("planners.mppi", p, refs(quadratic(1e6), policy));
  const auto a = mppi.run({{"state0", kOffsets}}).at("action");
  EXPECT_TRUE(at::allclose(a, target()[0].unsqueeze(0) + kOffsets)) << a;
  ASSERT_EQ(policy_inputs.size(), 2u);
  EXPECT_TRUE(at::equal(policy_inputs[0], kOffsets.repeat_interleave(3, 0)));
  EXPECT_EQ(policy_inputs[1].sizes(), (Sizes{kEnvs * 3, kHorizon}));
}

// R = sum_t discount^t reward_t + discount^H terminal; NaN objectives count as 0.
TEST(PlannersMppi, TerminalValueIsDiscountedByTheHorizonAndNanIsZero) {
  auto model = std::make_shared<FunctionFlow>(Flows{"actions", "s"}, Flows{"reward", "terminal"},
                                              [](const std::vector<at::Tensor>& in) {
                                                const int64_t n = in[0].size(0);
                                                return std::vector<at::Tensor>{at::ones({n, kHorizon, 1}),
                                                                               at::full({n}, 2.0f)};
                                              });
  TestNode mppi("planners.mppi", params({{"discount", 0.5}, {"samples", 8}, {"elites", 2}}), refs(model));
  const double expected = 1 + 0.5 + 0.25 + 0.125 + 0.0625 * 2;
  EXPECT_NEAR(mppi.run({{"state0", at::zeros({1, 1})}}).at("value")[0].item<double>(), expected, 1e-6);

  auto nan_model = std::make_shared<FunctionFlow>(Flows{"actions", "s"}, Flows{"reward"},
                                                  [](const std::vector<at::Tensor>& in) {
                                                    auto r = -in[0].pow(2).sum({1, 2});
                                                    r.narrow(0, 0, 3).fill_(std::numeric_limits<float>::quiet_NaN());
                                                    return std::vector<at::Tensor>{r};
                                                  });
  TestNode with_nan("planners.mppi", params({{"samples", 16}, {"elites", 4}}), refs(nan_model));
  const auto out = with_nan.run({{"state0", at::zeros({1, 1})}});
  EXPECT_TRUE(at::isfinite(out.at("action")).all().item<bool>());
  EXPECT_TRUE(at::isfinite(out.at("value")).all().item<bool>());
}

TEST(PlannersMppi, ExplorationNoiseIsTheFinalStdAndActionsStayInBounds) {
  // A flat objective: every elite weighs the same, the std stays wide, actions spread; clipped.
  auto flat = std::make_shared<FunctionFlow>(Flows{"actions", "s"}, Flows{"reward"},
                                             [](const std::vector<at::Tensor>& in) {
                                               return std::vector<at::Tensor>{at::zeros({in[0].size(0)})};
                                             });
  TestNode quiet("planners.mppi", params({{"samples", 64}, {"elites", 8}}), refs(flat, nullptr, 3));
  TestNode noisy("planners.mppi", params({{"samples", 64}, {"elites", 8}, {"explore", true}}), refs(flat, nullptr, 3));
  const auto a = quiet.run({{"state0", at::zeros({64, 1})}}).at("action");
  const auto b = noisy.run({{"state0", at::zeros({64, 1})}}).at("action");
  EXPECT_FALSE(at::equal(a, b));  // the same draws up to the final noise
  EXPECT_TRUE((b.abs() <= 1).all().item<bool>());
  EXPECT_TRUE((a.abs() <= 1).all().item<bool>());
}

TEST(PlannersMppi, SavedStateReproducesTheNextAction) {
  const auto p = params({{"iterations", 2}, {"explore", true}});
  TestNode mppi("planners.mppi", p, refs(quadratic(), nullptr, 9));
  const auto plan = mppi.run({{"state0", kOffsets}}).at("plan");
  lf::TensorDict state;
  mppi.node().save_state(state);
  ASSERT_EQ(state.count("generator"), 1u);
  const auto next = mppi.run({{"state0", kOffsets}, {"plan", plan}}).at("action");
  TestNode other("planners.mppi", p, refs(quadratic(), nullptr, 10));
  other.node().load_state(state);
  EXPECT_TRUE(at::equal(next, other.run({{"state0", kOffsets}, {"plan", plan}}).at("action")));
  // the same generator without the plan differs: the warm start mattered
  TestNode cold("planners.mppi", p, refs(quadratic(), nullptr, 10));
  cold.node().load_state(state);
  EXPECT_FALSE(at::equal(next, cold.run({{"state0", kOffsets}}).at("action")));
  EXPECT_THROW(other.node().load_state({}), std::invalid_argument);
}

// Scheduled inputs: min_std bounds the refitted std for this call; the horizon is floored and at
// most the param, and the plan output stays [E, horizon param, A], zero past the horizon used.
TEST(PlannersMppi, ScheduledMinStdAndHorizon) {
  std::vector<at::Tensor> seen;
  auto model = std::make_shared<FunctionFlow>(Flows{"actions", "s"}, Flows{"reward"},
                                              [&](const std::vector<at::Tensor>& in) {
                                                seen.push_back(in[0].clone());
                                                return std::vector<at::Tensor>{-1000 * (in[0] - 0.5).pow(2).sum({1, 2})};
                                              });
  const auto p = params({{"samples", 2048}, {"elites", 16}, {"iterations", 4}, {"min_action", -100}, {"max_action", 100}});
  TestNode mppi("planners.mppi", p, refs(model));
  const auto s = at::zeros({1, 1});
  mppi.run({{"state0", s}, {"min_std", at::scalar_tensor(0.5)}});
  // the objective pulls every sample to 0.5: the last iteration samples with std = min_std = 0.5
  EXPECT_NEAR(seen.back().std().item<double>(), 0.5, 0.03);
  EXPECT_EQ(seen.back().size(1), kHorizon);  // no horizon input: the param
  seen.clear();
  const auto plan = mppi.run({{"state0", s}, {"horizon", at::scalar_tensor(2.7)}}).at("plan");
  EXPECT_EQ(seen.back().size(1), 2);
  EXPECT_LT(seen.back().std().item<double>(), 0.1);  // the param's min_std (0.05) again, not 0.5
  ASSERT_EQ(plan.sizes(), (Sizes{1, kHorizon, kActionDims}));
  EXPECT_LT((plan.narrow(1, 0, 2) - 0.5).abs().max().item<double>(), 0.05) << plan;
  EXPECT_TRUE(at::equal(plan.narrow(1, 2, kHorizon - 2), at::zeros({1, kHorizon - 2, kActionDims})));
  mppi.run({{"state0", s}, {"horizon", at::scalar_tensor(9.0)}, {"plan", plan}});
  EXPECT_EQ(seen.back().size(1), kHorizon);  // at most the param
}

TEST(PlannersMppi, RejectsBadParamsAndWiring) {
  EXPECT_NE(error_of([] { TestNode("planners.mppi", params({{"elites", 600}}), refs(quadratic())); })
                .find("must not exceed samples + policy_samples"),
            std::string::npos);
  EXPECT_NE(error_of([] { TestNode("planners.mppi", params({{"policy_samples", 4}}), refs(quadratic())); })
                .find("no policy flow"),
            std::string::npos);
  auto wrong_input = std::make_shared<FunctionFlow>(Flows{"z"}, Flows{"actions"},
                                                    [](const std::vector<at::Tensor>& in) { return in; });
  EXPECT_NE(error_of([&] {
              TestNode("planners.mppi", params({{"policy", "policy"}, {"policy_samples", 2}}),
                       refs(quadratic(), wrong_input));
            }).find("input 'z' that is not a state input of the model flow (those: offset)"),
            std::string::npos);
  TestNode warm("planners.mppi", params(), refs(quadratic()));
  EXPECT_NE(error_of([&] { warm.run({{"state0", kOffsets}, {"plan", at::zeros({kEnvs, kHorizon - 1, kActionDims})}}); })
                .find("plan must be [E, horizon, action_size] = [2, 4, 2], got [2, 3, 2]"),
            std::string::npos);
  auto short_policy = std::make_shared<FunctionFlow>(Flows{"offset"}, Flows{"actions"},
                                                     [](const std::vector<at::Tensor>& in) {
                                                       return std::vector<at::Tensor>{at::zeros({in[0].size(0), 1, 2})};
                                                     });
  TestNode bad_policy("planners.mppi", params({{"policy", "policy"}, {"policy_samples", 2}}),
                      refs(quadratic(), short_policy));
  EXPECT_NE(error_of([&] { bad_policy.run({{"state0", kOffsets}}); }).find("must be [E*P, horizon, action_size]"),
            std::string::npos);
  auto reward_only_sum = std::make_shared<FunctionFlow>(Flows{"actions", "s"}, Flows{"reward", "terminal"},
                                                        [](const std::vector<at::Tensor>& in) {
                                                          const int64_t n = in[0].size(0);
                                                          return std::vector<at::Tensor>{at::zeros({n}), at::zeros({n})};
                                                        });
  TestNode flat("planners.mppi", params(), refs(reward_only_sum));
  EXPECT_NE(error_of([&] { flat.run({{"state0", at::zeros({1, 1})}}); }).find("needs 'reward' over time"),
            std::string::npos);
}

}  // namespace mppi_test
