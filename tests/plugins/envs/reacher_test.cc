// reacher_easy: model, spec, episode length, determinism, initial-state distribution, the
// fingertip kinematics against MuJoCo, the reward threshold, and a Jacobian-transpose controller
// that must reach the target (its return is printed).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "env.h"
#include "task_checks.h"
#include "tasks/reacher.h"

namespace {

using lf::envs::Env;
using lf::envs::EnvConfig;

EnvConfig reacher_config(uint64_t seed, int repeat = 1) {
  return lf::envs::checks::task_config("reacher_easy", seed, repeat);
}

// Jacobian-transpose PD on the observation alone: torque = Kp J^T (target - finger) - Kd qdot.
double reacher_scripted_episode(Env& env) {
  constexpr double l1 = 0.12, l2 = 0.12, kp = 500.0, kd = 0.05;
  double ret = 0.0;
  env.reset();
  while (!env.done()) {
    const auto& o = env.observation();
    const double q1 = o[0], q12 = o[0] + o[1], ex = o[2], ey = o[3];
    const double j11 = -l1 * std::sin(q1) - l2 * std::sin(q12), j12 = -l2 * std::sin(q12);
    const double j21 = l1 * std::cos(q1) + l2 * std::cos(q12), j22 = l2 * std::cos(q12);
    const double a[2] = {std::clamp(kp * (j11 * ex + j21 * ey) - kd * o[4], -1.0, 1.0),
                         std::clamp(kp * (j12 * ex + j22 * ey) - kd * o[5], -1.0, 1.0)};
    ret += env.step(a);
  }
  return ret;
}

TEST(ReacherEasy, ModelCompilesWithDmcSpec) {
  Env env(lf::envs::make_reacher_easy(), reacher_config(1));
  EXPECT_EQ(env.action_size(), 2);
  EXPECT_EQ(env.observation_size(), 6);
  const auto spec = env.task().observation_spec();
  ASSERT_EQ(spec.size(), 3u);
  EXPECT_EQ(spec[0], (std::pair<std::string, int>{"position", 2}));
  EXPECT_EQ(spec[1], (std::pair<std::string, int>{"to_target", 2}));
  EXPECT_EQ(spec[2], (std::pair<std::string, int>{"velocity", 2}));
  EXPECT_DOUBLE_EQ(env.model()->opt.timestep, 0.02);
  EXPECT_DOUBLE_EQ(env.task().control_timestep(), 0.02);
  EXPECT_EQ(env.model()->nq, 2);
  EXPECT_EQ(env.model()->ncam, 2);
  EXPECT_EQ(env.task().default_camera(), 0);
  for (int i = 0; i < env.model()->nu; ++i) {
    EXPECT_DOUBLE_EQ(env.model()->actuator_gear[6 * i], 0.05);
    EXPECT_DOUBLE_EQ(env.model()->actuator_ctrlrange[2 * i], -1.0);
    EXPECT_DOUBLE_EQ(env.model()->actuator_ctrlrange[2 * i + 1], 1.0);
  }
  for (double x : env.observation()) EXPECT_TRUE(std::isfinite(x));
}

TEST(ReacherEasy, RandomEpisodeRewardsInRangeAndLasts1000Steps) {
  Env env(lf::envs::make_reacher_easy(), reacher_config(2));
  double total = 0.0;
  const int episodes = 5;
  for (int e = 0; e < episodes; ++e) {
    total += lf::envs::checks::random_episode(env, 100 + e);
    EXPECT_EQ(env.control_step(), 1000);
    lf::envs::checks::expect_finite_observation(env);
  }
  std::printf("[reacher_easy] random policy: mean return %.1f over %d episodes\n", total / episodes, episodes);
}

TEST(ReacherEasy, ActionRepeatGives250AgentSteps) {
  Env env(lf::envs::make_reacher_easy(), reacher_config(3, 4));
  const auto stats = lf::envs::checks::run_until_done(env, lf::envs::checks::constant_action({0.3, -0.2}),
                                                     [&](double r) { lf::envs::checks::expect_reward_in_range(env, r); });
  const int agent_steps = stats.agent_steps;
  EXPECT_EQ(agent_steps, 250);
  EXPECT_EQ(env.control_step(), 1000);
}

TEST(ReacherEasy, DeterministicPerSeedAndSeedsDiffer) {
  Env a(lf::envs::make_reacher_easy(), reacher_config(7));
  Env b(lf::envs::make_reacher_easy(), reacher_config(7));
  Env c(lf::envs::make_reacher_easy(), reacher_config(8));
  EXPECT_EQ(a.observation(), b.observation());
  EXPECT_NE(a.observation(), c.observation());
  // the target moves with the seed too, not only the arm
  EXPECT_NE(a.data()->mocap_pos[0], c.data()->mocap_pos[0]);
  lf::envs::checks::expect_same_trajectory(a, b, 5, 200);
}

TEST(ReacherEasy, InitialStateFollowsDmcDistribution) {
  Env env(lf::envs::make_reacher_easy(), reacher_config(11));
  const double wrist_limit = 160.0 * M_PI / 180.0;
  double min_r = 1, max_r = 0, min_s = 10, max_s = -10;
  for (int e = 0; e < 300; ++e) {
    env.reset();
    const mjData* d = env.data();
    EXPECT_LE(std::abs(d->qpos[0]), M_PI);
    EXPECT_LE(std::abs(d->qpos[1]), wrist_limit + 1e-12);
    EXPECT_EQ(d->qvel[0], 0.0);
    EXPECT_EQ(d->qvel[1], 0.0);
    const double r = std::hypot(d->mocap_pos[0], d->mocap_pos[1]);
    EXPECT_GE(r, 0.05 - 1e-12);
    EXPECT_LE(r, 0.20 + 1e-12);
    min_r = std::min(min_r, r), max_r = std::max(max_r, r);
    min_s = std::min(min_s, d->qpos[0]), max_s = std::max(max_s, d->qpos[0]);
  }
  EXPECT_LT(min_r, 0.06);  // the whole ring is used
  EXPECT_GT(max_r, 0.19);
  EXPECT_LT(min_s, -2.8);  // the shoulder covers the circle
  EXPECT_GT(max_s, 2.8);
}

TEST(ReacherEasy, ToTargetMatchesMujocoKinematics) {
  Env env(lf::envs::make_reacher_easy(), reacher_config(13));
  const mjModel* m = env.model();
  const int finger = mj_name2id(m, mjOBJ_GEOM, "finger");
  const int target = mj_name2id(m, mjOBJ_GEOM, "target");
  ASSERT_GE(finger, 0);
  ASSERT_GE(target, 0);
  const double act[2] = {0.7, -0.4};
  for (int t = 0; t < 30; ++t) {
    env.step(act);
    mj_forward(m, env.data());  // positions for the post-step state
    std::vector<double> obs(6);
    env.task().observe(m, env.data(), obs.data());
    const mjData* d = env.data();
    EXPECT_NEAR(obs[2], d->geom_xpos[3 * target] - d->geom_xpos[3 * finger], 1e-12);
    EXPECT_NEAR(obs[3], d->geom_xpos[3 * target + 1] - d->geom_xpos[3 * finger + 1], 1e-12);
  }
}

TEST(ReacherEasy, RewardIsOneWithinTargetPlusFingerRadius) {
  Env env(lf::envs::make_reacher_easy(), reacher_config(17));
  const mjModel* m = env.model();
  mjData* d = env.data();
  d->qpos[0] = 0.3;
  d->qpos[1] = -0.9;
  mj_forward(m, d);
  const int finger = mj_name2id(m, mjOBJ_GEOM, "finger");
  const double fx = d->geom_xpos[3 * finger], fy = d->geom_xpos[3 * finger + 1];
  const double dir[2] = {0.6, 0.8};
  for (const auto& [dist, expected] : {std::pair{0.0, 1.0}, {0.059, 1.0}, {0.061, 0.0}, {0.2, 0.0}}) {
    d->mocap_pos[0] = fx + dist * dir[0];
    d->mocap_pos[1] = fy + dist * dir[1];
    EXPECT_EQ(env.task().reward(m, d), expected) << "distance " << dist;
  }
}

TEST(ReacherEasy, JacobianTransposeControllerReachesTarget) {
  Env env(lf::envs::make_reacher_easy(), reacher_config(21));
  const int episodes = 10;
  double total = 0.0, worst = 1e9;
  for (int e = 0; e < episodes; ++e) {
    const double ret = reacher_scripted_episode(env);
    total += ret;
    worst = std::min(worst, ret);
  }
  std::printf("[reacher_easy] Jacobian-transpose controller: mean return %.1f, worst %.1f over %d episodes\n",
              total / episodes, worst, episodes);
  EXPECT_GT(total / episodes, 900.0);
  EXPECT_GT(worst, 700.0);
}

}  // namespace
