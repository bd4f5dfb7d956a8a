// Cartpole balance and swingup: model, spec, reward range, episode length, determinism, initial-state
// distributions, and scripted controllers (state feedback for balance, energy pumping + the same
// feedback for swingup) that reach high returns, showing reward and dynamics match DMC's tasks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "env.h"
#include "task_checks.h"
#include "tasks/cartpole.h"

namespace lf::envs {
namespace {

std::unique_ptr<Env> make_env(bool swingup, uint64_t seed, int action_repeat = 1) {
  return std::make_unique<Env>(swingup ? make_cartpole_swingup() : make_cartpole_balance(),
                               checks::task_config(swingup ? "cartpole_swingup" : "cartpole_balance", seed,
                                                   action_repeat));
}

// Observation: [x, cos angle, sin angle, x velocity, angular velocity]; angle 0 = upright, a positive
// angle leans the pole towards +x. Linear state feedback on the force (N; the motor's gear is 10),
// hand-tuned: push the cart under the pole, with the cart terms of the sign an LQR gives.
double balance_action(const std::vector<double>& o) {
  const double x = o[0], angle = std::atan2(o[2], o[1]), v = o[3], w = o[4];
  const double force = 30.0 * angle + 5.0 * w + 2.0 * x + 3.0 * v;
  return std::clamp(force / 10.0, -1.0, 1.0);
}

// Energy pumping (pole energy relative to upright-at-rest, driven to 0 by the cart's acceleration)
// with a weak pull towards the centre; the balance feedback takes over near upright.
double swingup_action(const std::vector<double>& o) {
  const double x = o[0], c = o[1], v = o[3], w = o[4];
  if (c > 0.9) return balance_action(o);
  constexpr double inertia = 0.034;          // pole (0.1 kg, 1 m) about its hinge
  constexpr double mgl = 0.1 * 9.81 * 0.5;   // its gravity torque scale
  const double energy = 0.5 * inertia * w * w + mgl * (c - 1.0);
  return std::clamp(20.0 * energy * w * c - x - v, -1.0, 1.0);
}

TEST(Cartpole, CompilesWithDmcSpec) {
  for (bool swingup : {false, true}) {
    auto env = make_env(swingup, 0);
    const mjModel* m = env->model();
    EXPECT_EQ(env->action_size(), 1);
    EXPECT_EQ(env->observation_size(), 5);
    EXPECT_EQ(m->nq, 2);
    EXPECT_EQ(m->nv, 2);
    EXPECT_DOUBLE_EQ(m->opt.timestep, 0.01);
    EXPECT_EQ(m->opt.integrator, mjINT_RK4);
    EXPECT_DOUBLE_EQ(env->task().control_timestep(), 0.01);
    EXPECT_DOUBLE_EQ(m->actuator_gear[0], 10.0);
    EXPECT_EQ(m->ncam, 2);
    EXPECT_EQ(mj_name2id(m, mjOBJ_CAMERA, "fixed"), 0);
    const auto spec = env->task().observation_spec();
    ASSERT_EQ(spec.size(), 2u);
    EXPECT_EQ(spec[0].first, "position");
    EXPECT_EQ(spec[0].second, 3);
    EXPECT_EQ(spec[1].first, "velocity");
    EXPECT_EQ(spec[1].second, 2);
    const auto& obs = env->observation();
    for (double v : obs) EXPECT_TRUE(std::isfinite(v));
    EXPECT_NEAR(obs[1] * obs[1] + obs[2] * obs[2], 1.0, 1e-12);
  }
}

TEST(Cartpole, PositionMatchesPoleFrame) {
  auto env = make_env(true, 3);
  const mjModel* m = env->model();
  mjData* d = env->data();
  const int pole = mj_name2id(m, mjOBJ_BODY, "pole_1");
  ASSERT_GE(pole, 0);
  const double a = 0.5;
  for (int i = 0; i < 30; ++i) env->step(&a);
  mj_forward(m, d);  // sync xmat with qpos
  const auto& obs = env->observation();
  EXPECT_NEAR(obs[1], d->xmat[9 * pole + 8], 1e-12);  // zz
  EXPECT_NEAR(obs[2], d->xmat[9 * pole + 2], 1e-12);  // xz
  EXPECT_GT(obs[0], 0.0);  // pushed towards +x
}

TEST(Cartpole, InitialStates) {
  auto balance = make_env(false, 4), swingup = make_env(true, 4);
  for (int i = 0; i < 200; ++i) {
    balance->reset();
    swingup->reset();
    const double* qb = balance->data()->qpos;
    const double* qs = swingup->data()->qpos;
    EXPECT_LE(std::abs(qb[0]), 0.1);
    EXPECT_LE(std::abs(qb[1]), 0.034);
    EXPECT_LT(std::abs(qs[0]), 0.06);            // 0.01 * N(0, 1)
    EXPECT_LT(std::abs(qs[1] - M_PI), 0.06);     // hanging down
    EXPECT_LT(std::abs(swingup->data()->qvel[0]), 0.06);
  }
}

TEST(Cartpole, RandomEpisodeRewardInRangeAndLength) {
  for (bool swingup : {false, true}) {
    auto env = make_env(swingup, 1);
    std::mt19937_64 rng(7);
    const auto [ret, steps] = checks::run_until_done(*env, checks::uniform_actions(*env, rng), [&](double r) {
      checks::expect_reward_in_range(*env, r);  // action repeat 1: r in [0, 1]
      checks::assert_finite_observation(*env);
    });
    if (HasFatalFailure()) return;
    EXPECT_EQ(steps, 1000);
    EXPECT_EQ(env->control_step(), 1000);
    std::printf("cartpole_%s random-policy return: %.1f\n", swingup ? "swingup" : "balance", ret);
  }
}

TEST(Cartpole, ActionRepeatGivesThousandControlSteps) {
  for (int repeat : {2, 4, 8}) {
    auto env = make_env(true, 2, repeat);
    const int agent_steps = checks::run_until_done(*env, checks::constant_action({0.1}), [](double) {}).agent_steps;
    EXPECT_EQ(agent_steps, (1000 + repeat - 1) / repeat);
    EXPECT_EQ(env->control_step(), 1000);
  }
}

TEST(Cartpole, DeterministicPerSeed) {
  for (bool swingup : {false, true}) {
    auto a = make_env(swingup, 11), b = make_env(swingup, 11), c = make_env(swingup, 12);
    EXPECT_EQ(a->observation(), b->observation());
    EXPECT_NE(a->observation(), c->observation());  // DMC randomizes position and velocity
    checks::expect_same_trajectory(*a, *b, 5, 300);
    if (HasFatalFailure()) return;
  }
}

TEST(Cartpole, RewardTermsAtKnownStates) {
  auto env = make_env(false, 0);
  const mjModel* m = env->model();
  mjData* d = env->data();
  // Upright, centred, at rest, zero control: every term is 1.
  mj_resetData(m, d);
  EXPECT_DOUBLE_EQ(env->task().reward(m, d), 1.0);
  // Hanging down: upright = 0.
  d->qpos[1] = M_PI;
  EXPECT_NEAR(env->task().reward(m, d), 0.0, 1e-12);
  // Full control alone: small_control = 4/5.
  d->qpos[1] = 0.0;
  d->ctrl[0] = 1.0;
  EXPECT_NEAR(env->task().reward(m, d), 0.8, 1e-12);
  // Cart at 2 m (one margin): centered = (1 + 0.1) / 2.
  d->ctrl[0] = 0.0;
  d->qpos[0] = 2.0;
  EXPECT_NEAR(env->task().reward(m, d), 0.55, 1e-12);
  // Pole spinning at 5 rad/s (one margin): small_velocity = (1 + 0.1) / 2.
  d->qpos[0] = 0.0;
  d->qvel[1] = 5.0;
  EXPECT_NEAR(env->task().reward(m, d), 0.55, 1e-12);
}

TEST(Cartpole, FeedbackKeepsBalanceNearMaximum) {
  double total = 0.0;
  constexpr int episodes = 5;
  for (int seed = 0; seed < episodes; ++seed) {
    auto env = make_env(false, 100 + seed);
    const double ret = checks::run_policy_episode(*env, balance_action);
    EXPECT_GT(ret, 990.0) << "seed " << 100 + seed;
    total += ret;
  }
  std::printf("cartpole_balance feedback mean return: %.1f\n", total / episodes);
}

TEST(Cartpole, EnergySwingupReachesHighReward) {
  double total = 0.0;
  constexpr int episodes = 5;
  for (int seed = 0; seed < episodes; ++seed) {
    auto env = make_env(true, 100 + seed);
    const double ret = checks::run_policy_episode(*env, swingup_action);
    EXPECT_GT(ret, 750.0) << "seed " << 100 + seed;
    total += ret;
    // It ends balanced: upright and near the centre.
    EXPECT_GT(env->observation()[1], 0.99);
    EXPECT_LT(std::abs(env->observation()[0]), 0.25);
  }
  std::printf("cartpole_swingup energy swing-up mean return: %.1f\n", total / episodes);
}

}  // namespace
}  // namespace lf::envs
