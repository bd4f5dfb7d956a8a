// ball_in_cup_catch: model, spec, episode length, determinism, contact-free random initial
// states, the string length limit, and the sparse in-cup reward checked by placing the ball
// (inside, at the target box's edges, outside) and by letting a placed ball settle in the cup.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "env.h"
#include "task_checks.h"
#include "tasks/ball_in_cup.h"

namespace {

using lf::envs::Env;
using lf::envs::EnvConfig;

EnvConfig cup_config(uint64_t seed, int repeat = 1) {
  return lf::envs::checks::task_config("ball_in_cup_catch", seed, repeat);
}

// Puts the cup at its origin at rest and the ball at (x, z) in world coordinates, at rest.
void place(const mjModel* m, mjData* d, double ball_x, double ball_z) {
  for (int i = 0; i < m->nv; ++i) d->qvel[i] = 0.0;
  d->qpos[0] = d->qpos[1] = 0.0;
  d->qpos[2] = ball_x;
  d->qpos[3] = ball_z - 0.2;  // the ball body sits at z = 0.2
  mj_forward(m, d);
}

TEST(BallInCupCatch, ModelCompilesWithDmcSpec) {
  Env env(lf::envs::make_ball_in_cup_catch(), cup_config(1));
  const mjModel* m = env.model();
  EXPECT_EQ(env.action_size(), 2);
  EXPECT_EQ(env.observation_size(), 8);
  const auto spec = env.task().observation_spec();
  ASSERT_EQ(spec.size(), 2u);
  EXPECT_EQ(spec[0], (std::pair<std::string, int>{"position", 4}));
  EXPECT_EQ(spec[1], (std::pair<std::string, int>{"velocity", 4}));
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.002);
  EXPECT_DOUBLE_EQ(env.task().control_timestep(), 0.02);  // 10 physics steps per control step
  const char* joints[] = {"cup_x", "cup_z", "ball_x", "ball_z"};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, joints[i])], i);
  EXPECT_DOUBLE_EQ(m->actuator_gear[0], 5.0);
  EXPECT_DOUBLE_EQ(m->actuator_gear[6], 5.0);
  EXPECT_EQ(m->ntendon, 1);
  EXPECT_DOUBLE_EQ(m->tendon_range[1], 0.3);
  // DMC's cameras: cam0 (the default one) above the cup's height, looking down; cam1 level.
  ASSERT_EQ(m->ncam, 2);
  EXPECT_EQ(std::string(mj_id2name(m, mjOBJ_CAMERA, 0)), "cam0");
  EXPECT_DOUBLE_EQ(m->cam_pos[2], 0.8);
  EXPECT_EQ(std::string(mj_id2name(m, mjOBJ_CAMERA, 1)), "cam1");
  EXPECT_DOUBLE_EQ(m->cam_pos[5], 0.4);
  for (double x : env.observation()) EXPECT_TRUE(std::isfinite(x));
}

TEST(BallInCupCatch, RandomEpisodeRewardsAreZeroOrOneAndLast1000Steps) {
  Env env(lf::envs::make_ball_in_cup_catch(), cup_config(2));
  std::mt19937_64 rng(9);
  const auto actions = lf::envs::checks::uniform_actions(env, rng);
  double total = 0.0;
  const int episodes = 3;
  for (int e = 0; e < episodes; ++e) {
    env.reset();
    double max_string = 0.0;
    total += lf::envs::checks::run_until_done(env, actions, [&](double r) {
      lf::envs::checks::expect_sparse_reward(r);
      max_string = std::max(max_string, env.data()->ten_length[0]);
    }).ret;
    EXPECT_EQ(env.control_step(), 1000);
    EXPECT_LT(max_string, 0.33);  // the string holds (a soft limit: a few cm of give under jerks)
    lf::envs::checks::expect_finite_observation(env);
  }
  std::printf("[ball_in_cup_catch] random policy: mean return %.1f over %d episodes\n", total / episodes, episodes);
}

TEST(BallInCupCatch, ActionRepeatGives250AgentSteps) {
  Env env(lf::envs::make_ball_in_cup_catch(), cup_config(3, 4));
  const auto stats = lf::envs::checks::run_until_done(env, lf::envs::checks::constant_action({0.2, 0.4}),
                                                     [&](double r) { lf::envs::checks::expect_reward_in_range(env, r); });
  const int agent_steps = stats.agent_steps;
  EXPECT_EQ(agent_steps, 250);
}

TEST(BallInCupCatch, DeterministicPerSeedAndSeedsDiffer) {
  Env a(lf::envs::make_ball_in_cup_catch(), cup_config(7));
  Env b(lf::envs::make_ball_in_cup_catch(), cup_config(7));
  Env c(lf::envs::make_ball_in_cup_catch(), cup_config(8));
  EXPECT_EQ(a.observation(), b.observation());
  EXPECT_NE(a.observation(), c.observation());
  lf::envs::checks::expect_same_trajectory(a, b, 5, 200);
}

TEST(BallInCupCatch, InitialBallIsRandomAndContactFree) {
  Env env(lf::envs::make_ball_in_cup_catch(), cup_config(11));
  double min_x = 1, max_x = -1, min_z = 1, max_z = -1;
  for (int e = 0; e < 200; ++e) {
    env.reset();
    const mjData* d = env.data();
    EXPECT_EQ(d->ncon, 0);
    EXPECT_EQ(d->qpos[0], 0.0);
    EXPECT_EQ(d->qpos[1], 0.0);
    EXPECT_GE(d->qpos[2], -0.2);
    EXPECT_LE(d->qpos[2], 0.2);
    EXPECT_GE(d->qpos[3], 0.2);
    EXPECT_LE(d->qpos[3], 0.5);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(d->qvel[i], 0.0);
    min_x = std::min(min_x, d->qpos[2]), max_x = std::max(max_x, d->qpos[2]);
    min_z = std::min(min_z, d->qpos[3]), max_z = std::max(max_z, d->qpos[3]);
  }
  EXPECT_LT(min_x, -0.18);
  EXPECT_GT(max_x, 0.18);
  EXPECT_LT(min_z, 0.22);
  EXPECT_GT(max_z, 0.48);
}

TEST(BallInCupCatch, TargetAndBallPositionsMatchMujoco) {
  // The task computes the ball-to-target vector from qpos; check the offsets it assumes.
  Env env(lf::envs::make_ball_in_cup_catch(), cup_config(13));
  const mjModel* m = env.model();
  mjData* d = env.data();
  const int target = mj_name2id(m, mjOBJ_SITE, "target");
  const int ball = mj_name2id(m, mjOBJ_BODY, "ball");
  ASSERT_GE(target, 0);
  ASSERT_GE(ball, 0);
  EXPECT_DOUBLE_EQ(m->site_size[3 * target], 0.05);
  EXPECT_DOUBLE_EQ(m->site_size[3 * target + 2], 0.05);
  EXPECT_DOUBLE_EQ(m->geom_size[3 * mj_name2id(m, mjOBJ_GEOM, "ball")], 0.025);
  const double q[4] = {0.07, -0.03, -0.11, 0.33};
  for (int i = 0; i < 4; ++i) d->qpos[i] = q[i];
  mj_forward(m, d);
  EXPECT_NEAR(d->site_xpos[3 * target], q[0], 1e-12);
  EXPECT_NEAR(d->site_xpos[3 * target + 2], 0.6 + q[1] - 0.05, 1e-12);
  EXPECT_NEAR(d->xpos[3 * ball], q[2], 1e-12);
  EXPECT_NEAR(d->xpos[3 * ball + 2], 0.2 + q[3], 1e-12);
}

TEST(BallInCupCatch, RewardIsOneOnlyWithTheBallInTheCup) {
  Env env(lf::envs::make_ball_in_cup_catch(), cup_config(17));
  const mjModel* m = env.model();
  mjData* d = env.data();
  // The target box is centred at (0, 0.55) with half-size 0.05; the ball (radius 0.025) must be
  // strictly inside it shrunk by its radius.
  struct Case { double x, z, reward; };
  for (const Case& c : {Case{0.0, 0.55, 1.0}, Case{0.024, 0.55, 1.0}, Case{-0.024, 0.574, 1.0},
                        Case{0.0, 0.527, 1.0}, Case{0.026, 0.55, 0.0}, Case{0.0, 0.576, 0.0},
                        Case{0.0, 0.65, 0.0}, Case{0.15, 0.45, 0.0}, Case{0.0, 0.3, 0.0}}) {
    place(m, d, c.x, c.z);
    EXPECT_EQ(env.task().reward(m, d), c.reward) << "ball at x " << c.x << " z " << c.z;
  }
}

TEST(BallInCupCatch, BallPlacedInTheCupStaysCaught) {
  // Drop the ball into the cup from just above its centre and hold still: it settles on the
  // bottom (centre 0.533, still inside the target) and the reward stays 1.
  Env env(lf::envs::make_ball_in_cup_catch(), cup_config(19));
  place(env.model(), env.data(), 0.0, 0.56);
  const double zero[2] = {0.0, 0.0};
  double ret = 0.0;
  for (int t = 0; t < 100; ++t) ret += env.step(zero);
  EXPECT_EQ(ret, 100.0);
  EXPECT_GT(env.data()->ncon, 0);  // resting on the cup bottom
  // ... and a ball dropped beside the cup hangs from the string below it, outside.
  place(env.model(), env.data(), 0.15, 0.6);
  ret = 0.0;
  for (int t = 0; t < 100; ++t) ret += env.step(zero);
  EXPECT_EQ(ret, 0.0);
  EXPECT_LT(env.observation()[3] + 0.2, 0.5);  // below the cup bottom
}

}  // namespace
