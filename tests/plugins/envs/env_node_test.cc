// envs.dmc through the node harness: every task in state and pixel modes, episodes and automatic
// restarts, vectorized determinism with 1 and 2 threads, vectors equal to single instances over
// shared models and renderers, and bad input.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <tbb/global_control.h>

#include "support/node_harness.h"
#include "task.h"

namespace {

using lf::testing::TestNode;

std::map<std::string, at::Tensor> step(TestNode& env, const at::Tensor& action) { return env.run({{"action", action}}); }

class EveryTask : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryTask, StateAndPixels) {
  TestNode env("envs.dmc", {{"task", GetParam()}, {"obs", "both"}, {"envs", 2}});
  const nlohmann::json spec = env.node().spec();
  const int64_t A = spec["action"]["size"].get<int64_t>(), O = spec["observation_size"].get<int64_t>();
  auto first = env.run({});
  EXPECT_EQ(first.at("state").sizes(), (std::vector<int64_t>{2, O}));
  ASSERT_EQ(first.at("pixels").sizes(), (std::vector<int64_t>{2, 64, 64, 3}));
  EXPECT_EQ(first.at("pixels").scalar_type(), at::kByte);
  EXPECT_TRUE(first.at("first").eq(1).all().item<bool>());
  // Not blank: many distinct values in the frame.
  const at::Tensor frame = first.at("pixels")[0].to(at::kFloat);
  EXPECT_GT(frame.std().item<double>(), 5.0) << GetParam();
  // The frame follows the state: after some strong actions it differs.
  at::Tensor later;
  for (int i = 0; i < 20; ++i) later = step(env, at::ones({2, A}) * (i % 10 < 5 ? 1 : -1)).at("pixels");
  EXPECT_GT((later[0].to(at::kFloat) - frame).abs().mean().item<double>(), 0.1) << GetParam();
}

// A checkpoint taken within an episode: a block of another seed given the saved state continues
// the episodes under way exactly (physics, rewards, returns, pixels) and starts the next ones as
// the saved block's generators would (issue 17, item 5).
TEST_P(EveryTask, SavedStateContinuesTheEpisodeUnderWayExactly) {
  const nlohmann::json params = {{"task", GetParam()}, {"obs", "both"}, {"envs", 2}, {"episode_steps", 24}, {"action_repeat", 2}};
  nlohmann::json other = params;
  other["seed"] = 99;
  TestNode a("envs.dmc", params), b("envs.dmc", other);
  const int64_t A = a.node().spec()["action"]["size"].get<int64_t>();
  at::Generator gen = at::detail::createCPUGenerator(7);
  a.run({});
  for (int i = 0; i < 5; ++i) step(a, at::rand({2, A}, gen) * 2 - 1);
  lf::TensorDict saved;
  a.node().save_state(saved);
  b.node().load_state(saved);
  for (int i = 0; i < 20; ++i) {  // the episodes end at call 12 and restart
    const at::Tensor action = at::rand({2, A}, gen) * 2 - 1;
    const auto x = step(a, action), y = step(b, action);
    for (const auto& [port, t] : x) EXPECT_TRUE(t.equal(y.at(port))) << GetParam() << ": call " << i << ", " << port;
  }
}

INSTANTIATE_TEST_SUITE_P(Envs, EveryTask, ::testing::ValuesIn(lf::envs::task_names()),
                         [](const auto& info) { return info.param; });

TEST(EnvNode, EpisodesEndAndRestart) {
  // 5 control steps with action repeat 2: agent steps of 2, 2, 1 control steps, then a restart.
  TestNode env("envs.dmc", {{"task", "cartpole_balance"}, {"episode_steps", 5}, {"action_repeat", 2}});
  const at::Tensor a = at::zeros({1, 1});
  EXPECT_EQ(env.run({}).at("first").item<float>(), 1.f);
  std::vector<float> last, first, reward;
  for (int i = 0; i < 4; ++i) {
    auto out = step(env, a);
    last.push_back(out.at("last").item<float>());
    first.push_back(out.at("first").item<float>());
    reward.push_back(out.at("reward").item<float>());
  }
  EXPECT_EQ(last, (std::vector<float>{0, 0, 1, 0}));
  EXPECT_EQ(first, (std::vector<float>{0, 0, 0, 1}));
  EXPECT_GT(reward[0], 1.0f);  // two control steps of a near-upright pole
  EXPECT_EQ(reward[3], 0.f);
}

std::vector<at::Tensor> trajectory(int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  TestNode env("envs.dmc", {{"task", "cheetah_run"}, {"envs", 4}, {"seed", 11}});
  std::vector<at::Tensor> states{env.run({}).at("state")};
  at::Generator gen = at::detail::createCPUGenerator(3);
  for (int i = 0; i < 30; ++i) states.push_back(step(env, at::rand({4, 6}, gen) * 2 - 1).at("state"));
  return states;
}

TEST(EnvNode, SameSeedSameTrajectoryWithOneOrTwoThreads) {
  const auto one = trajectory(1), two = trajectory(2);
  for (size_t i = 0; i < one.size(); ++i) EXPECT_TRUE(one[i].equal(two[i])) << "step " << i;
  // Instances differ from each other (seed + i).
  EXPECT_FALSE(one[0][0].equal(one[0][1]));
}

// A block's outputs, call by call.
using Calls = std::vector<std::map<std::string, at::Tensor>>;

std::vector<at::Tensor> random_actions(int64_t envs, int64_t A, int calls) {
  at::Generator gen = at::detail::createCPUGenerator(5);
  std::vector<at::Tensor> out;
  for (int i = 0; i < calls; ++i) out.push_back(at::rand({envs, A}, gen) * 2 - 1);
  return out;
}

// 10 control steps per episode at action repeat 2: calls 1-5 step, call 6 starts a new episode.
nlohmann::json pixel_block(const std::string& task, int64_t envs, int64_t seed) {
  return {{"task", task}, {"obs", "both"}, {"envs", envs}, {"seed", seed}, {"episode_steps", 10}, {"action_repeat", 2}};
}

// Every output of `a`'s calls equals the same output of `b`'s.
void expect_same_calls(const Calls& a, const Calls& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t c = 0; c < a.size(); ++c) {
    for (const auto& [port, t] : a[c]) EXPECT_TRUE(t.equal(b[c].at(port))) << what << ": call " << c << ", " << port;
  }
}

// Instance i of a vector block is a block of one instance seeded seed + i: the vector's instances
// share the task's model and a pool of renderers, and their outputs do not depend on it, nor on
// the number of threads (the pool has fewer renderers than instances with 1 and 2 threads).
TEST(EnvNode, VectorBlockEqualsSingleInstanceBlocks) {
  constexpr int64_t kEnvs = 3;
  const auto actions = random_actions(kEnvs, 2, 9);
  std::vector<Calls> singles(kEnvs);
  for (int64_t i = 0; i < kEnvs; ++i) {
    TestNode one("envs.dmc", pixel_block("reacher_easy", 1, 20 + i));
    Calls& calls = singles[static_cast<size_t>(i)];
    calls.push_back(one.run({}));
    for (const auto& a : actions) calls.push_back(step(one, a.slice(0, i, i + 1)));
  }
  ASSERT_FALSE(singles[0][0].at("pixels").equal(singles[1][0].at("pixels")));
  for (int threads : {1, 2}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    TestNode vec("envs.dmc", pixel_block("reacher_easy", kEnvs, 20));
    Calls calls{vec.run({})};
    for (const auto& a : actions) calls.push_back(step(vec, a));
    ASSERT_EQ(calls[6].at("first").sum().item<float>(), kEnvs);  // a restart is covered
    for (int64_t i = 0; i < kEnvs; ++i) {
      Calls row;
      for (const auto& call : calls) {
        // Every per-instance output (not the step counters, sums over the instances).
        std::map<std::string, at::Tensor> out;
        for (const auto& [port, t] : call) {
          if (t.dim() > 0) out[port] = t.slice(0, i, i + 1);
        }
        row.push_back(out);
      }
      expect_same_calls(row, singles[static_cast<size_t>(i)],
                        "instance " + std::to_string(i) + ", " + std::to_string(threads) + " threads");
    }
  }
}

// A block's outputs do not depend on the blocks beside it, stepped in turns with it:
// cartpole_balance shares cartpole_swingup's model (the same MJCF) but not its task logic, and
// pendulum_swingup has a model of its own.
TEST(EnvNode, BlocksOfOtherTasksBesideDoNotChangeABlock) {
  const auto actions = random_actions(2, 1, 6);
  Calls alone;
  {
    TestNode swingup("envs.dmc", pixel_block("cartpole_swingup", 2, 4));
    alone.push_back(swingup.run({}));
    for (const auto& a : actions) alone.push_back(step(swingup, a));
  }
  TestNode balance("envs.dmc", pixel_block("cartpole_balance", 2, 4));
  TestNode pendulum("envs.dmc", pixel_block("pendulum_swingup", 2, 4));
  TestNode swingup("envs.dmc", pixel_block("cartpole_swingup", 2, 4));
  std::vector<TestNode*> blocks{&balance, &pendulum, &swingup};
  std::vector<Calls> beside(blocks.size());
  for (size_t b = 0; b < blocks.size(); ++b) beside[b].push_back(blocks[b]->run({}));
  for (const auto& a : actions) {
    for (size_t b = 0; b < blocks.size(); ++b) beside[b].push_back(step(*blocks[b], a));
  }
  expect_same_calls(beside[2], alone, "cartpole_swingup beside others");
  // Same model, other initial states; other model, other observation size.
  EXPECT_FALSE(beside[0][0].at("state").equal(alone[0].at("state")));
  EXPECT_EQ(beside[1][0].at("state").size(1), 3);
}

TEST(EnvNode, BadInputIsAClearError) {
  try {
    TestNode env("envs.dmc", {{"task", "cartpole_swingpu"}});
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'cartpole_swingup'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(TestNode("envs.dmc", {{"size", 8}}), std::invalid_argument);
  EXPECT_THROW(TestNode("envs.dmc", {{"camera", 99}, {"obs", "pixels"}}), std::invalid_argument);
  TestNode env("envs.dmc", {{"task", "cartpole_swingup"}});
  env.run({});
  try {
    step(env, at::zeros({1, 3}));
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("action must be [1, 1], got [1, 3]"), std::string::npos) << e.what();
  }
}

TEST(EnvNode, NonFiniteActionIsAnError) {
  TestNode env("envs.dmc", {{"task", "pendulum_swingup"}});
  env.run({});
  try {
    step(env, at::full({1, 1}, std::nan("")));
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("non-finite"), std::string::npos) << e.what();
  }
}

}  // namespace
