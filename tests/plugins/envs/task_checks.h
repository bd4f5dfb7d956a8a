// Helpers the task tests share: configs, episode drivers with per-step checks, and the
// same-seed-same-trajectory check. Header-only; every check is a gtest assertion.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "env.h"

namespace lf::envs::checks {

inline EnvConfig task_config(const std::string& task, uint64_t seed, int action_repeat = 1) {
  EnvConfig cfg;
  cfg.task = task;
  cfg.seed = seed;
  cfg.action_repeat = action_repeat;
  return cfg;
}

struct EpisodeStats {
  double ret = 0.0;     // sum of the rewards
  int agent_steps = 0;  // Env::step calls
};

// Steps `env` from its current state until done: act(action) fills each action, check(reward) runs
// after each step. Stops early once the test has a fatal failure (an ASSERT_* in check).
template <class Act, class Check>
EpisodeStats run_until_done(Env& env, Act&& act, Check&& check) {
  std::vector<double> a(static_cast<size_t>(env.action_size()));
  EpisodeStats stats;
  while (!env.done()) {
    act(a.data());
    const double r = env.step(a.data());
    stats.ret += r;
    ++stats.agent_steps;
    check(r);
    if (::testing::Test::HasFatalFailure()) break;
  }
  return stats;
}

// An action source for run_until_done: every component uniform in [-1, 1], drawn in order.
inline std::function<void(double*)> uniform_actions(const Env& env, std::mt19937_64& rng) {
  const int n = env.action_size();
  return [n, &rng](double* a) {
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int i = 0; i < n; ++i) a[i] = u(rng);
  };
}

// An action source for run_until_done: the same action every step.
inline std::function<void(double*)> constant_action(std::vector<double> action) {
  return [action = std::move(action)](double* a) { std::copy(action.begin(), action.end(), a); };
}

// 0 <= r <= action_repeat + slack: each of the summed control-step rewards is in [0, 1].
inline void expect_reward_in_range(const Env& env, double r, double slack = 0.0) {
  EXPECT_GE(r, 0.0);
  EXPECT_LE(r, env.config().action_repeat + slack);
}

// A sparse task's reward (action repeat 1): exactly 0 or 1.
inline void expect_sparse_reward(double r) { EXPECT_TRUE(r == 0.0 || r == 1.0) << r; }

inline void expect_finite_observation(const Env& env) {
  for (double x : env.observation()) EXPECT_TRUE(std::isfinite(x));
}

inline void assert_finite_observation(const Env& env) {
  for (double x : env.observation()) ASSERT_TRUE(std::isfinite(x));
}

// Resets `env` and runs one episode of uniform random actions (seeded by action_seed), checking
// every reward with expect_reward_in_range(slack). Returns the return; the agent steps go to
// *agent_steps when given.
inline double random_episode(Env& env, uint64_t action_seed, int* agent_steps = nullptr,
                             double slack = 0.0) {
  std::mt19937_64 rng(action_seed);
  env.reset();
  const EpisodeStats stats =
      run_until_done(env, uniform_actions(env, rng), [&](double r) { expect_reward_in_range(env, r, slack); });
  if (agent_steps) *agent_steps = stats.agent_steps;
  return stats.ret;
}

// Resets `env` and runs one episode of a one-dimensional policy of the observation; returns the
// return.
inline double run_policy_episode(Env& env, const std::function<double(const std::vector<double>&)>& policy) {
  env.reset();
  double ret = 0.0;
  while (!env.done()) {
    const double a = policy(env.observation());
    ret += env.step(&a);
  }
  return ret;
}

// Steps `a` and `b` with the same uniform random actions (seeded by action_seed) for `steps`
// control steps: rewards and observations must be identical at every step.
inline void expect_same_trajectory(Env& a, Env& b, uint64_t action_seed, int steps) {
  std::mt19937_64 rng(action_seed);
  const auto act = uniform_actions(a, rng);
  std::vector<double> action(static_cast<size_t>(a.action_size()));
  for (int t = 0; t < steps; ++t) {
    act(action.data());
    ASSERT_EQ(a.step(action.data()), b.step(action.data())) << "step " << t;
    ASSERT_EQ(a.observation(), b.observation()) << "step " << t;
  }
}

}  // namespace lf::envs::checks
