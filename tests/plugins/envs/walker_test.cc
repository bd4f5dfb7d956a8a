// walker_walk: model, spec, episode length, determinism, DMC's initial state and the reward.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "env.h"
#include "task_checks.h"
#include "tasks/walker.h"

namespace lf::envs {
namespace {

EnvConfig walker_config(uint64_t seed = 0, int action_repeat = 1) {
  return checks::task_config("walker_walk", seed, action_repeat);
}

// One episode of uniform random actions; every reward within [0, action_repeat + 1e-12].
double random_episode(Env& env, uint64_t action_seed, int* agent_steps = nullptr) {
  return checks::random_episode(env, action_seed, agent_steps, 1e-12);
}

// The upright standing pose: every joint at 0 (torso centre 1.3 m up, legs straight), at rest.
void stand_upright(const mjModel* m, mjData* d) {
  mj_resetData(m, d);
  mj_forward(m, d);
}

TEST(WalkerWalk, CompilesWithDmcLayout) {
  Env env(make_walker_walk(), walker_config());
  const mjModel* m = env.model();
  EXPECT_EQ(env.action_size(), 6);
  EXPECT_EQ(env.observation_size(), 24);
  EXPECT_EQ(m->nq, 9);
  EXPECT_EQ(m->nv, 9);
  EXPECT_EQ(m->nbody, 8);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.0025);
  EXPECT_DOUBLE_EQ(env.task().control_timestep(), 0.025);
  const double gears[6] = {100, 50, 20, 100, 50, 20};
  for (int i = 0; i < 6; ++i) {
    EXPECT_DOUBLE_EQ(m->actuator_gear[6 * i], gears[i]);
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * i], -1.0);
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * i + 1], 1.0);
  }
  EXPECT_EQ(mj_name2id(m, mjOBJ_CAMERA, "side"), 0);
  EXPECT_EQ(env.task().default_camera(), 0);
  const auto spec = env.task().observation_spec();
  ASSERT_EQ(spec.size(), 3u);
  EXPECT_EQ(spec[0].first, "orientations");
  EXPECT_EQ(spec[0].second, 14);
  EXPECT_EQ(spec[1].first, "height");
  EXPECT_EQ(spec[1].second, 1);
  EXPECT_EQ(spec[2].first, "velocity");
  EXPECT_EQ(spec[2].second, 9);
  for (double x : env.observation()) EXPECT_TRUE(std::isfinite(x));
}

TEST(WalkerWalk, ObservationMatchesSyncedBodyFrames) {
  Env env(make_walker_walk(), walker_config(3));
  std::vector<double> a = {.5, -.5, .2, -.3, .4, .1};
  for (int i = 0; i < 40; ++i) env.step(a.data());
  const std::vector<double> obs = env.observation();
  const mjModel* m = env.model();
  mjData* d = env.data();
  mj_forward(m, d);  // re-evaluate xmat/xpos at the post-step qpos: Env::step left them current
  for (int b = 1; b < m->nbody; ++b) {
    EXPECT_NEAR(obs[2 * (b - 1)], d->xmat[9 * b + 0], 1e-12);
    EXPECT_NEAR(obs[2 * (b - 1) + 1], d->xmat[9 * b + 2], 1e-12);
  }
  EXPECT_NEAR(obs[14], d->xpos[3 * 1 + 2], 1e-12);
  for (int i = 0; i < 9; ++i) EXPECT_DOUBLE_EQ(obs[15 + i], d->qvel[i]);
}

TEST(WalkerWalk, InitialStateIsDmcRandomization) {
  // Limited hinges uniform in range, rooty uniform in [-pi, pi], slides at 0, at rest.
  int upside_down = 0;
  Env env(make_walker_walk(), walker_config(0));
  const mjModel* m = env.model();
  const mjData* d = env.data();
  std::vector<double> previous;
  for (int episode = 0; episode < 40; ++episode) {
    if (episode > 0) env.reset();
    EXPECT_EQ(d->qpos[0], 0.0);  // rootz
    EXPECT_EQ(d->qpos[1], 0.0);  // rootx
    EXPECT_GE(d->qpos[2], -M_PI);
    EXPECT_LE(d->qpos[2], M_PI);
    if (std::abs(d->qpos[2]) > M_PI / 2) ++upside_down;
    for (int j = 3; j < m->njnt; ++j) {
      EXPECT_GE(d->qpos[j], m->jnt_range[2 * j]);
      EXPECT_LE(d->qpos[j], m->jnt_range[2 * j + 1]);
    }
    for (int i = 0; i < m->nv; ++i) EXPECT_EQ(d->qvel[i], 0.0);
    EXPECT_NE(env.observation(), previous);
    previous = env.observation();
  }
  // Different seeds, different first states.
  Env other(make_walker_walk(), walker_config(1));
  Env same(make_walker_walk(), walker_config(0));
  EXPECT_NE(other.observation(), same.observation());
  EXPECT_GT(upside_down, 5);
  EXPECT_LT(upside_down, 35);
}

TEST(WalkerWalk, RewardStandingAndMoving) {
  Env env(make_walker_walk(), walker_config());
  const mjModel* m = env.model();
  mjData* d = env.data();
  const Task& task = env.task();
  // The reward reads mjData as Env leaves it after a step: synced (mj_forward) with the state.
  // Standing tall and upright (stand term 1) but still: move term 0, reward 1/6.
  stand_upright(m, d);
  EXPECT_NEAR(task.reward(m, d), 1.0 / 6.0, 1e-12);
  // Moving forward at 1 m/s: reward 1; at 0.5 m/s the linear move term is 0.5: (5 * .5 + 1) / 6.
  d->qvel[1] = 1.0;  // rootx
  mj_forward(m, d);
  EXPECT_NEAR(task.reward(m, d), 1.0, 1e-12);
  d->qvel[1] = 2.0;
  mj_forward(m, d);
  EXPECT_NEAR(task.reward(m, d), 1.0, 1e-12);
  d->qvel[1] = 0.5;
  mj_forward(m, d);
  EXPECT_NEAR(task.reward(m, d), 3.5 / 6.0, 1e-12);
  d->qvel[1] = -1.0;
  mj_forward(m, d);
  EXPECT_NEAR(task.reward(m, d), 1.0 / 6.0, 1e-12);
  // Crouched: torso centre at 0.9 m (half a margin below 1.2), upright. standing = 0.1^(0.5^2).
  stand_upright(m, d);
  d->qpos[0] = -0.4;
  d->qvel[1] = 1.0;
  mj_forward(m, d);
  const double crouch_standing = std::pow(0.1, 0.25);
  EXPECT_NEAR(task.reward(m, d), (3.0 * crouch_standing + 1.0) / 4.0, 1e-12);
  // Fallen: lying on its back near the floor, torso horizontal, even while sliding forward fast.
  stand_upright(m, d);
  d->qpos[0] = -1.2;     // torso centre 0.1 m up
  d->qpos[2] = M_PI / 2;  // horizontal: upright term 0.5
  d->qvel[1] = 1.0;
  mj_forward(m, d);
  const double fallen = task.reward(m, d);
  const double fallen_standing = std::pow(0.1, (1.1 / 0.6) * (1.1 / 0.6));
  EXPECT_NEAR(fallen, (3.0 * fallen_standing + 0.5) / 4.0, 1e-12);
  EXPECT_LT(fallen, 0.13);
  // Upside down: upright term 0.
  stand_upright(m, d);
  d->qpos[2] = M_PI;
  d->qvel[1] = 0.0;
  mj_forward(m, d);
  EXPECT_LT(task.reward(m, d), 0.75 / 6.0 + 1e-9);
}

TEST(WalkerWalk, FallingFromStandingLowersReward) {
  // Start upright, tilted forward a little, at rest; apply no torque: the passive walker collapses.
  Env env(make_walker_walk(), walker_config());
  const mjModel* m = env.model();
  mjData* d = env.data();
  stand_upright(m, d);
  d->qpos[2] = 0.2;
  mj_forward(m, d);
  const double start = env.task().reward(m, d);
  std::vector<double> zero(6, 0.0);
  double last = 0.0;
  for (int t = 0; t < 200; ++t) last = env.step(zero.data());  // 5 s
  EXPECT_GT(start, 0.15);
  EXPECT_LT(env.observation()[14], 0.6);  // torso centre height
  EXPECT_LT(last, 0.1);
}

TEST(WalkerWalk, EpisodeLengthAndActionRepeat) {
  for (int repeat : {1, 2, 8}) {
    Env env(make_walker_walk(), walker_config(6, repeat));
    int steps = 0;
    random_episode(env, 7, &steps);
    EXPECT_EQ(steps, (1000 + repeat - 1) / repeat) << "action_repeat " << repeat;
    EXPECT_EQ(env.control_step(), 1000);
  }
}

TEST(WalkerWalk, DeterministicForSeedAndActions) {
  Env a(make_walker_walk(), walker_config(11));
  Env b(make_walker_walk(), walker_config(11));
  EXPECT_EQ(a.observation(), b.observation());
  checks::expect_same_trajectory(a, b, 12, 300);
}

TEST(WalkerWalk, RandomPolicyReturn) {
  Env env(make_walker_walk(), walker_config(21));
  double total = 0.0;
  const int episodes = 5;
  for (int e = 0; e < episodes; ++e) {
    const double ret = random_episode(env, 100 + e);
    EXPECT_GE(ret, 0.0);
    EXPECT_LT(ret, 300.0);  // a random policy neither stands nor walks for long
    total += ret;
  }
  std::printf("[walker_walk] random-policy return, mean of %d episodes: %.2f\n", episodes,
              total / episodes);
}

}  // namespace
}  // namespace lf::envs
