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
                      {"policy_samples", 0}, {"warm_start", false},      {"explore", false}};
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

// The first iteration's Gaussian candidates are centred on the previous plan shifted by one step
// within an episode (first = 0) and on 0 at an episode's start (first = 1), per env.
TEST(PlannersMppi, WarmStartShiftsThePreviousPlanAndResetsAtAnEpisodesStart) {
  std::vector<at::Tensor> first_iteration;
  int calls = 0;
  auto model = std::make_shared<FunctionFlow>(Flows{"actions", "offset"}, Flows{"reward"},
                                              [&](const std::vector<at::Tensor>& in) {
                                                if (calls++ % 12 == 0) first_iteration.push_back(in[0].clone());
                                                const auto g = target().unsqueeze(0) + in[1].view({-1, 1, 1});
                                                return std::vector<at::Tensor>{-1000 * (in[0] - g).pow(2).sum(-1)};
                                              });
  const auto p = params({{"warm_start", true}, {"iterations", 12}, {"samples", 4096}, {"elites", 64},
                         {"min_action", -100}, {"max_action", 100}});
  TestNode mppi("planners.mppi", p, refs(model));
  mppi.run({{"state0", kOffsets}, {"first", at::ones({kEnvs})}});
  mppi.run({{"state0", kOffsets}, {"first", at::tensor({0.0f, 1.0f})}});
  ASSERT_EQ(first_iteration.size(), 2u);
  // [E, samples, H, A]: the sample mean estimates the belief's mean (std 2, 4096 samples: s.e. 0.03)
  const auto centre = first_iteration[1].view({kEnvs, 4096, kHorizon, kActionDims}).mean(1);
  const auto shifted = target().narrow(0, 1, kHorizon - 1);
  EXPECT_LT((centre[0].narrow(0, 0, kHorizon - 1) - shifted).abs().max().item<double>(), 0.15) << centre[0];
  EXPECT_LT(centre[0][kHorizon - 1].abs().max().item<double>(), 0.15) << centre[0];
  EXPECT_LT(centre[1].abs().max().item<double>(), 0.15) << centre[1];  // env 1 started an episode
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
  const auto p = params({{"warm_start", true}, {"iterations", 2}, {"explore", true}});
  TestNode mppi("planners.mppi", p, refs(quadratic(), nullptr, 9));
  mppi.run({{"state0", kOffsets}, {"first", at::ones({kEnvs})}});
  lf::TensorDict state;
  mppi.node().save_state(state);
  ASSERT_EQ(state.count("generator"), 1u);
  ASSERT_EQ(state.count("prev_mean"), 1u);
  const auto next = mppi.run({{"state0", kOffsets}, {"first", at::zeros({kEnvs})}}).at("action");
  TestNode other("planners.mppi", p, refs(quadratic(), nullptr, 10));
  other.node().load_state(state);
  EXPECT_TRUE(at::equal(next, other.run({{"state0", kOffsets}, {"first", at::zeros({kEnvs})}}).at("action")));
  // a fresh node (no previous plan) differs: the warm start mattered
  TestNode fresh("planners.mppi", p, refs(quadratic(), nullptr, 10));
  lf::TensorDict generator_only = state;
  generator_only["prev_mean"] = at::empty({0});
  fresh.node().load_state(generator_only);
  EXPECT_FALSE(at::equal(next, fresh.run({{"state0", kOffsets}, {"first", at::zeros({kEnvs})}}).at("action")));
  EXPECT_THROW(other.node().load_state({}), std::invalid_argument);
}

// Scheduled inputs: min_std bounds the refitted std for this call; the horizon (floored, at most
// the param) changes only where every env starts an episode.
TEST(PlannersMppi, ScheduledMinStdAndHorizon) {
  std::vector<at::Tensor> seen;
  auto model = std::make_shared<FunctionFlow>(Flows{"actions", "s"}, Flows{"reward"},
                                              [&](const std::vector<at::Tensor>& in) {
                                                seen.push_back(in[0].clone());
                                                return std::vector<at::Tensor>{-1000 * in[0].pow(2).sum({1, 2})};
                                              });
  const auto p = params({{"warm_start", true}, {"samples", 2048}, {"elites", 16}, {"iterations", 4},
                         {"min_action", -100}, {"max_action", 100}});
  TestNode mppi("planners.mppi", p, refs(model));
  const auto s = at::zeros({1, 1});
  mppi.run({{"state0", s}, {"first", at::ones({1})}, {"min_std", at::scalar_tensor(0.5)}});
  // the objective pulls every sample to 0: the last iteration samples with std = min_std = 0.5
  EXPECT_NEAR(seen.back().std().item<double>(), 0.5, 0.03);
  EXPECT_EQ(seen.back().size(1), kHorizon);  // no horizon input: the param
  seen.clear();
  mppi.run({{"state0", s}, {"first", at::ones({1})}, {"horizon", at::scalar_tensor(2.7)}});
  EXPECT_EQ(seen.back().size(1), 2);
  EXPECT_NEAR(seen.back().std().item<double>(), 0.05, 0.01);  // back to the param's min_std
  mppi.run({{"state0", s}, {"first", at::zeros({1})}, {"horizon", at::scalar_tensor(3.5)}});
  EXPECT_EQ(seen.back().size(1), 2);  // within the episode: unchanged
  mppi.run({{"state0", s}, {"first", at::ones({1})}, {"horizon", at::scalar_tensor(9.0)}});
  EXPECT_EQ(seen.back().size(1), kHorizon);  // a new episode: at most the param
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
  TestNode warm("planners.mppi", params({{"warm_start", true}}), refs(quadratic()));
  EXPECT_NE(error_of([&] { warm.run({{"state0", kOffsets}}); }).find("connect 'first'"), std::string::npos);
  EXPECT_NE(error_of([&] { warm.run({{"state0", kOffsets}, {"first", at::ones({3})}}); }).find("first must be [E]"),
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
