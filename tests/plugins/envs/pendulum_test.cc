// Pendulum swingup: model, spec, reward range, episode length, determinism, and a scripted energy-pumping
// swing-up that shows the reward and the torque-limited dynamics match DMC's task.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

#include "env.h"
#include "task_checks.h"
#include "tasks/pendulum.h"

namespace lf::envs {
namespace {

std::unique_ptr<Env> make_env(uint64_t seed, int action_repeat = 1) {
  return std::make_unique<Env>(make_pendulum_swingup(), checks::task_config("pendulum_swingup", seed, action_repeat));
}

// Swing-up by energy pumping, then a saturated PD near the top. Works on the observation only:
// [cos angle, sin angle, angular velocity], angle 0 = upright.
double pendulum_swingup_action(const std::vector<double>& obs) {
  const double c = obs[0], s = obs[1], w = obs[2];
  const double angle = std::atan2(s, c);
  constexpr double inertia = 0.251;   // 1 kg at 0.5 m plus the sphere's own inertia
  constexpr double mgl = 9.81 * 0.5;  // gravity torque scale
  if (c > std::cos(0.5)) return std::clamp(-(8.0 * angle + 1.5 * w), -1.0, 1.0);
  const double energy = 0.5 * inertia * w * w + mgl * c;  // upright at rest: mgl
  const double pump = (1.05 * mgl - energy) * w;           // dE/dt = u w - damping w^2; aim a bit high
  if (std::abs(pump) < 1e-9) return 1.0;                   // at rest at the bottom: kick
  return std::clamp(4.0 * pump, -1.0, 1.0);
}

TEST(Pendulum, CompilesWithDmcSpec) {
  auto env = make_env(0);
  EXPECT_EQ(env->action_size(), 1);
  EXPECT_EQ(env->observation_size(), 3);
  EXPECT_DOUBLE_EQ(env->model()->opt.timestep, 0.02);
  EXPECT_DOUBLE_EQ(env->task().control_timestep(), 0.02);
  EXPECT_EQ(env->model()->ncam, 2);
  EXPECT_EQ(env->task().default_camera(), 0);
  const int floor = mj_name2id(env->model(), mjOBJ_GEOM, "floor");  // DMC's 2 m x 2 m floor
  EXPECT_DOUBLE_EQ(env->model()->geom_size[3 * floor], 2.0);
  EXPECT_DOUBLE_EQ(env->model()->geom_size[3 * floor + 1], 2.0);
  const auto spec = env->task().observation_spec();
  ASSERT_EQ(spec.size(), 2u);
  EXPECT_EQ(spec[0].first, "orientation");
  EXPECT_EQ(spec[0].second, 2);
  EXPECT_EQ(spec[1].first, "velocity");
  EXPECT_EQ(spec[1].second, 1);
  // Orientation is a unit vector; the initial velocity is zero.
  const auto& obs = env->observation();
  for (double v : obs) EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR(obs[0] * obs[0] + obs[1] * obs[1], 1.0, 1e-12);
  EXPECT_EQ(obs[2], 0.0);
}

TEST(Pendulum, OrientationMatchesPoleFrame) {
  auto env = make_env(3);
  const mjModel* m = env->model();
  mjData* d = env->data();
  const int pole = mj_name2id(m, mjOBJ_BODY, "pole");
  ASSERT_GE(pole, 0);
  const double a = 0.7;
  for (int i = 0; i < 5; ++i) env->step(&a);
  mj_forward(m, d);  // sync xmat with qpos
  const auto& obs = env->observation();
  EXPECT_NEAR(obs[0], d->xmat[9 * pole + 8], 1e-12);  // zz
  EXPECT_NEAR(obs[1], d->xmat[9 * pole + 2], 1e-12);  // xz
}

TEST(Pendulum, RandomEpisodeRewardInRangeAndLength) {
  auto env = make_env(1);
  std::mt19937_64 rng(7);
  const auto [ret, steps] = checks::run_until_done(*env, checks::uniform_actions(*env, rng), [&](double r) {
    checks::expect_reward_in_range(*env, r);  // action repeat 1: r in [0, 1]
    checks::assert_finite_observation(*env);
  });
  if (HasFatalFailure()) return;
  EXPECT_EQ(steps, 1000);
  EXPECT_EQ(env->control_step(), 1000);
  std::printf("pendulum_swingup random-policy return: %.1f\n", ret);
  EXPECT_LT(ret, 200.0);
}

TEST(Pendulum, ActionRepeatGivesThousandControlSteps) {
  for (int repeat : {2, 4, 8}) {
    auto env = make_env(2, repeat);
    const int agent_steps = checks::run_until_done(*env, checks::constant_action({0.0}), [](double) {}).agent_steps;
    EXPECT_EQ(agent_steps, (1000 + repeat - 1) / repeat);
    EXPECT_EQ(env->control_step(), 1000);
  }
}

TEST(Pendulum, DeterministicPerSeed) {
  auto a = make_env(11), b = make_env(11), c = make_env(12);
  EXPECT_EQ(a->observation(), b->observation());
  EXPECT_NE(a->observation(), c->observation());  // DMC randomizes the initial angle
  checks::expect_same_trajectory(*a, *b, 5, 200);
  if (HasFatalFailure()) return;
  // A second episode of the same Env draws a new initial state.
  const auto first = a->observation();
  a->reset();
  EXPECT_NE(a->observation(), first);
}

TEST(Pendulum, InitialAngleIsUniform) {
  auto env = make_env(21);
  int upper = 0;
  constexpr int n = 400;
  for (int i = 0; i < n; ++i) {
    env->reset();
    if (env->observation()[0] > 0) ++upper;  // cos > 0: upper half circle
  }
  EXPECT_NEAR(static_cast<double>(upper) / n, 0.5, 0.1);
}

TEST(Pendulum, TorqueAloneCannotLiftFromRest) {
  // The actuator's 1 N m is below the bob's 4.9 N m gravity torque: full torque from hanging at rest
  // leaves the pole far from upright, so a swing-up has to pump energy.
  auto env = make_env(0);
  env->data()->qpos[0] = M_PI;
  env->data()->qvel[0] = 0.0;
  mj_forward(env->model(), env->data());
  double best_cos = -1.0;
  const double a = 1.0;
  for (int i = 0; i < 300; ++i) {
    env->step(&a);
    best_cos = std::max(best_cos, env->observation()[0]);
  }
  EXPECT_LT(best_cos, -0.5);
}

TEST(Pendulum, EnergySwingupReachesHighReward) {
  double total = 0.0;
  constexpr int episodes = 10;
  for (int seed = 0; seed < episodes; ++seed) {
    auto env = make_env(100 + seed);
    const double ret = checks::run_policy_episode(*env, pendulum_swingup_action);
    // A start near the bottom needs ~6 s of pumping (the sparse reward counts only the top 8 degrees).
    EXPECT_GT(ret, 600.0) << "seed " << 100 + seed;
    total += ret;
    EXPECT_GT(env->observation()[0], std::cos(8.0 * M_PI / 180.0));  // it ends upright
  }
  std::printf("pendulum_swingup energy swing-up mean return: %.1f\n", total / episodes);
  EXPECT_GT(total / episodes, 750.0);
}

}  // namespace
}  // namespace lf::envs
