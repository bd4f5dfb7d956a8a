#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::FunctionFlow;
using lf::testing::TestNode;
using lf::testing::TestRefs;
using Sizes = std::vector<int64_t>;

constexpr int64_t kEnvs = 3, kHorizon = 4, kActionDims = 2;

// target[t, d] + offset[e]: the optimum of env e is this shifted by the env's state.
at::Tensor target() {
  return at::tensor({0.5f, -0.3f, 0.2f, 0.1f, -0.6f, 0.4f, 0.0f, -0.2f}).view({kHorizon, kActionDims});
}

// reward_t = -sum_d (a_t,d - target_t,d - offset)^2 for the model contract: inputs
// (actions [N, H, A], offset [N, 1]), output reward [N, H].
std::shared_ptr<FunctionFlow> quadratic(at::Tensor goal) {
  return std::make_shared<FunctionFlow>(
      std::vector<std::string>{"actions", "offset"}, std::vector<std::string>{"reward"},
      [goal](const std::vector<at::Tensor>& in) {
        const auto& a = in[0];
        const auto g = goal.unsqueeze(0) + in[1].view({-1, 1, 1});
        return std::vector<at::Tensor>{-(a - g).pow(2).sum(-1)};
      });
}

nlohmann::json params(nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json p = {{"model", "model"}, {"action_size", kActionDims}, {"horizon", kHorizon}};
  p.update(extra);
  return p;
}

TestRefs refs(std::shared_ptr<lf::FlowHandle> flow, uint64_t seed = 1) {
  return TestRefs{{}, {}, {{"model", std::move(flow)}}, seed};
}

const at::Tensor kOffsets = at::tensor({0.0f, 0.3f, -0.25f}).view({kEnvs, 1});

TEST(PlannersCem, FindsEachEnvsOptimum) {
  TestNode cem("planners.cem", params(), refs(quadratic(target())));
  auto out = cem.run({{"state0", kOffsets}});
  ASSERT_EQ(out.at("action").sizes(), (Sizes{kEnvs, kActionDims}));
  ASSERT_EQ(out.at("value").sizes(), (Sizes{kEnvs}));
  const auto expected = target()[0].unsqueeze(0) + kOffsets;  // the first step's optimum per env
  // CEM's own precision at the paper's settings is ~1e-3 here (30 seeds: at most 1.3e-3)
  EXPECT_LT((out.at("action") - expected).abs().max().item<double>(), 3e-3);
  // the elites' objective is the (discounted) squared distance to the optimum: just below 0
  EXPECT_TRUE((out.at("value") <= 0).all().item<bool>());
  EXPECT_GT(out.at("value").min().item<double>(), -5e-4);
}

TEST(PlannersCem, OptimumOutsideTheBoundsIsClipped) {
  auto goal = target();
  goal[0][0] = 1.7f;   // above max_action 1
  goal[0][1] = -2.5f;  // below min_action -1
  TestNode cem("planners.cem", params(), refs(quadratic(goal)));
  auto a = cem.run({{"state0", at::zeros({kEnvs, 1})}}).at("action");
  EXPECT_LT((a.select(1, 0) - 1.0).abs().max().item<double>(), 2e-4);
  EXPECT_LT((a.select(1, 1) + 1.0).abs().max().item<double>(), 2e-4);
  EXPECT_TRUE((a.abs() <= 1.0).all().item<bool>());
}

TEST(PlannersCem, CustomBoundsAreRespected) {
  auto goal = target();
  goal[0][0] = 0.9f;
  TestNode cem("planners.cem", params({{"min_action", -0.5}, {"max_action", 0.5}}), refs(quadratic(goal)));
  auto a = cem.run({{"state0", at::zeros({1, 1})}}).at("action");
  EXPECT_NEAR(a[0][0].item<double>(), 0.5, 2e-4);
  EXPECT_NEAR(a[0][1].item<double>(), -0.3, 3e-3);
}

TEST(PlannersCem, CallsTheModelOncePerIterationWithAllCandidatesAndNoGrad) {
  int64_t rows = 0;
  bool grad = true;
  auto model = std::make_shared<FunctionFlow>(
      std::vector<std::string>{"actions", "offset"}, std::vector<std::string>{"reward"},
      [&](const std::vector<at::Tensor>& in) {
        rows = in[0].size(0);
        grad = at::GradMode::is_enabled();
        EXPECT_EQ(in[0].sizes(), (Sizes{kEnvs * 50, kHorizon, kActionDims}));
        EXPECT_EQ(in[1].sizes(), (Sizes{kEnvs * 50, 1}));
        return std::vector<at::Tensor>{-in[0].pow(2).sum({1, 2})};  // [N]: used as the objective
      });
  TestNode cem("planners.cem", params({{"candidates", 50}, {"elites", 5}, {"iterations", 7}}), refs(model));
  cem.run({{"state0", kOffsets.clone().requires_grad_()}});
  EXPECT_EQ(model->calls, 7);
  EXPECT_EQ(rows, kEnvs * 50);
  EXPECT_FALSE(grad);
  cem.run({{"state0", kOffsets}});
  EXPECT_EQ(model->calls, 14);
}

// States go to the model's non-action inputs in the flow's order, each env's state repeated for
// its C candidates (rows e*C .. e*C + C-1).
TEST(PlannersCem, RepeatsEachStatePerCandidateInFlowOrder) {
  std::vector<at::Tensor> seen;
  auto model = std::make_shared<FunctionFlow>(
      std::vector<std::string>{"a_state", "actions", "b_state"}, std::vector<std::string>{"other", "reward"},
      [&](const std::vector<at::Tensor>& in) {
        seen = {in[0], in[2]};
        return std::vector<at::Tensor>{at::zeros({1}), at::zeros({in[1].size(0), kHorizon, 1})};
      });
  TestNode cem("planners.cem", params({{"candidates", 4}, {"elites", 2}, {"iterations", 1}}), refs(model));
  auto s0 = at::arange(kEnvs, at::kFloat).view({kEnvs, 1});
  auto s1 = at::arange(kEnvs * 6, at::kFloat).view({kEnvs, 6});
  cem.run({{"state0", s0}, {"state1", s1}});
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(at::equal(seen[0], s0.repeat_interleave(4, 0)));
  EXPECT_TRUE(at::equal(seen[1], s1.repeat_interleave(4, 0)));
  EXPECT_EQ(seen[1].sizes(), (Sizes{kEnvs * 4, 6}));
}

TEST(PlannersCem, DiscountWeightsLaterRewards) {
  // Reward 1 at every step for every candidate: the objective is sum_t discount^t.
  auto model = std::make_shared<FunctionFlow>(
      std::vector<std::string>{"actions", "s"}, std::vector<std::string>{"reward"},
      [](const std::vector<at::Tensor>& in) { return std::vector<at::Tensor>{at::ones({in[0].size(0), kHorizon, 1})}; });
  TestNode half("planners.cem", params({{"discount", 0.5}, {"candidates", 8}, {"elites", 2}}), refs(model));
  EXPECT_NEAR(half.run({{"state0", at::zeros({2, 1})}}).at("value")[0].item<double>(), 1 + 0.5 + 0.25 + 0.125, 1e-6);
  TestNode sum("planners.cem", params({{"discount", 1.0}, {"candidates", 8}, {"elites", 2}}), refs(model));
  EXPECT_NEAR(sum.run({{"state0", at::zeros({2, 1})}}).at("value")[1].item<double>(), 4.0, 1e-6);
}

TEST(PlannersCem, RejectsBadModelContracts) {
  auto fn = [](const std::vector<at::Tensor>& in) { return std::vector<at::Tensor>{at::zeros({in[0].size(0)})}; };
  auto expect_error = [](auto&& f, const std::string& part) {
    try {
      f();
      ADD_FAILURE() << "no error; expected one mentioning \"" << part << "\"";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("'model'"), std::string::npos) << e.what();  // names the flow
    }
  };
  // no `actions` input
  expect_error([&] { TestNode("planners.cem", params(), refs(std::make_shared<FunctionFlow>(
                                                              std::vector<std::string>{"acts", "h"},
                                                              std::vector<std::string>{"reward"}, fn))); },
               "no input named 'actions'");
  // no state input
  expect_error([&] { TestNode("planners.cem", params(), refs(std::make_shared<FunctionFlow>(
                                                              std::vector<std::string>{"actions"},
                                                              std::vector<std::string>{"reward"}, fn))); },
               "state inputs");
  // two outputs, neither named reward
  expect_error([&] { TestNode("planners.cem", params(), refs(std::make_shared<FunctionFlow>(
                                                              std::vector<std::string>{"actions", "h"},
                                                              std::vector<std::string>{"r", "x"}, fn))); },
               "'reward'");
  // a reward whose batch is not E*C
  auto wrong_batch = std::make_shared<FunctionFlow>(
      std::vector<std::string>{"actions", "h"}, std::vector<std::string>{"reward"},
      [](const std::vector<at::Tensor>& in) { return std::vector<at::Tensor>{at::zeros({in[0].size(0) / 2, 12})}; });
  TestNode bad("planners.cem", params(), refs(wrong_batch));
  expect_error([&] { bad.run({{"state0", at::zeros({2, 1})}}); }, "E*C = 2000, got [1000, 12]");
  // more states connected than the model takes
  TestNode one_state("planners.cem", params(), refs(quadratic(target())));
  expect_error([&] { one_state.run({{"state0", kOffsets}, {"state1", kOffsets}}); }, "connect exactly state0");
}

TEST(PlannersCem, RejectsBadParamsAndStates) {
  EXPECT_THROW(TestNode("planners.cem", params({{"elites", 2000}}), refs(quadratic(target()))), std::invalid_argument);
  EXPECT_THROW(TestNode("planners.cem", params({{"min_action", 1.0}}), refs(quadratic(target()))), std::invalid_argument);
  EXPECT_THROW(TestNode("planners.cem", params({{"model", "nope"}}), refs(quadratic(target()))), std::invalid_argument);
  EXPECT_THROW(TestNode("planners.cem", {{"model", "model"}}, refs(quadratic(target()))), std::invalid_argument);
  auto two = std::make_shared<FunctionFlow>(std::vector<std::string>{"actions", "h", "s"},
                                            std::vector<std::string>{"reward"},
                                            [](const std::vector<at::Tensor>& in) { return std::vector<at::Tensor>{in[1]}; });
  TestNode cem("planners.cem", params(), refs(two));
  EXPECT_THROW(cem.run({{"state0", at::zeros({3, 1})}, {"state1", at::zeros({2, 1})}}), std::invalid_argument);
}

TEST(PlannersCem, SameSeedSameActionAndTheGeneratorAdvances) {
  TestNode a("planners.cem", params({{"iterations", 2}}), refs(quadratic(target()), 5));
  TestNode b("planners.cem", params({{"iterations", 2}}), refs(quadratic(target()), 5));
  TestNode c("planners.cem", params({{"iterations", 2}}), refs(quadratic(target()), 6));
  const auto xa = a.run({{"state0", kOffsets}}).at("action");
  EXPECT_TRUE(at::equal(xa, b.run({{"state0", kOffsets}}).at("action")));
  EXPECT_FALSE(at::equal(xa, c.run({{"state0", kOffsets}}).at("action")));
  EXPECT_FALSE(at::equal(xa, a.run({{"state0", kOffsets}}).at("action")));
}

TEST(PlannersCem, SavedGeneratorReproducesTheNextAction) {
  TestNode cem("planners.cem", params({{"iterations", 2}}), refs(quadratic(target()), 9));
  cem.run({{"state0", kOffsets}});
  lf::TensorDict state;
  cem.node().save_state(state);
  ASSERT_EQ(state.count("generator"), 1u);
  const auto next = cem.run({{"state0", kOffsets}}).at("action");
  cem.run({{"state0", kOffsets}});
  cem.node().load_state(state);
  EXPECT_TRUE(at::equal(next, cem.run({{"state0", kOffsets}}).at("action")));
  // and into a fresh node with another seed
  TestNode other("planners.cem", params({{"iterations", 2}}), refs(quadratic(target()), 10));
  other.node().load_state(state);
  EXPECT_TRUE(at::equal(next, other.run({{"state0", kOffsets}}).at("action")));
  EXPECT_THROW(other.node().load_state({}), std::invalid_argument);
}

}  // namespace
