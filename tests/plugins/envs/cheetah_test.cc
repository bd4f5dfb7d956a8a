// cheetah_run: model, spec, episode length, determinism, DMC's initial state and the reward.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "env.h"
#include "task_checks.h"
#include "tasks/cheetah.h"

namespace lf::envs {
namespace {

EnvConfig cheetah_config(uint64_t seed = 0, int action_repeat = 1) {
  return checks::task_config("cheetah_run", seed, action_repeat);
}

// One episode of uniform random actions; every reward within [0, action_repeat + 1e-12].
double random_episode(Env& env, uint64_t action_seed, int* agent_steps = nullptr) {
  return checks::random_episode(env, action_seed, agent_steps, 1e-12);
}

TEST(CheetahRun, CompilesWithDmcLayout) {
  Env env(make_cheetah_run(), cheetah_config());
  const mjModel* m = env.model();
  EXPECT_EQ(env.action_size(), 6);
  EXPECT_EQ(env.observation_size(), 17);
  EXPECT_EQ(m->nq, 9);
  EXPECT_EQ(m->nv, 9);
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.01);
  EXPECT_DOUBLE_EQ(env.task().control_timestep(), 0.01);
  // DMC's ground plane: 100 m long either side of x = 98, 0.8 m half-width (what frames show).
  const int ground = mj_name2id(m, mjOBJ_GEOM, "ground");
  EXPECT_DOUBLE_EQ(m->geom_size[3 * ground], 100.0);
  EXPECT_DOUBLE_EQ(m->geom_size[3 * ground + 1], 0.8);
  double mass = 0.0;
  for (int b = 0; b < m->nbody; ++b) mass += m->body_mass[b];
  EXPECT_NEAR(mass, 14.0, 1e-9);
  const double gears[6] = {120, 90, 60, 90, 60, 30};
  for (int i = 0; i < 6; ++i) {
    EXPECT_DOUBLE_EQ(m->actuator_gear[6 * i], gears[i]);
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * i], -1.0);
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * i + 1], 1.0);
  }
  EXPECT_EQ(mj_name2id(m, mjOBJ_CAMERA, "side"), 0);
  EXPECT_EQ(env.task().default_camera(), 0);
  const auto spec = env.task().observation_spec();
  ASSERT_EQ(spec.size(), 2u);
  EXPECT_EQ(spec[0].first, "position");
  EXPECT_EQ(spec[0].second, 8);
  EXPECT_EQ(spec[1].first, "velocity");
  EXPECT_EQ(spec[1].second, 9);
  for (double x : env.observation()) EXPECT_TRUE(std::isfinite(x));
}

TEST(CheetahRun, ObservationIsQposWithoutRootxThenQvel) {
  Env env(make_cheetah_run(), cheetah_config(3));
  const mjData* d = env.data();
  const auto& obs = env.observation();
  for (int i = 0; i < 8; ++i) EXPECT_DOUBLE_EQ(obs[i], d->qpos[i + 1]);
  for (int i = 0; i < 9; ++i) EXPECT_DOUBLE_EQ(obs[8 + i], d->qvel[i]);
}

TEST(CheetahRun, InitialStateIsRandomizedAndSettled) {
  Env a(make_cheetah_run(), cheetah_config(1));
  Env b(make_cheetah_run(), cheetah_config(2));
  EXPECT_NE(a.observation(), b.observation());
  for (Env* env : {&a, &b}) {
    const mjModel* m = env->model();
    const mjData* d = env->data();
    EXPECT_DOUBLE_EQ(d->time, 0.0);
    // After 200 settling steps the cheetah lies on the floor, nearly still, joints within (soft) limits.
    double vmax = 0.0;
    for (int i = 0; i < m->nv; ++i) vmax = std::max(vmax, std::abs(d->qvel[i]));
    EXPECT_LT(vmax, 0.5);
    for (int j = 3; j < m->njnt; ++j) {
      EXPECT_GE(d->qpos[j], m->jnt_range[2 * j] - 0.1);
      EXPECT_LE(d->qpos[j], m->jnt_range[2 * j + 1] + 0.1);
    }
  }
}

TEST(CheetahRun, RewardIsLinearInTorsoSubtreeSpeed) {
  Env env(make_cheetah_run(), cheetah_config(4));
  const mjModel* m = env.model();
  mjData* d = env.data();
  const Task& task = env.task();
  // The reward reads mjData as Env leaves it after a step: synced (mj_forward) with the state.
  mj_resetData(m, d);
  mj_forward(m, d);
  EXPECT_DOUBLE_EQ(task.reward(m, d), 0.0);  // at rest
  d->qvel[0] = 10.0;  // the whole cheetah moves forward at 10 m/s
  mj_forward(m, d);
  EXPECT_NEAR(task.reward(m, d), 1.0, 1e-12);
  d->qvel[0] = 15.0;
  mj_forward(m, d);
  EXPECT_NEAR(task.reward(m, d), 1.0, 1e-12);
  d->qvel[0] = 5.0;
  mj_forward(m, d);
  EXPECT_NEAR(task.reward(m, d), 0.5, 1e-12);
  d->qvel[0] = -3.0;  // running backwards earns nothing
  mj_forward(m, d);
  EXPECT_DOUBLE_EQ(task.reward(m, d), 0.0);
  // The reward uses the centre-of-mass velocity of the whole body (DMC's subtreelinvel sensor): a
  // rotation about the torso adds the legs' velocity. It matches MuJoCo's sensor for a synced state.
  d->qvel[0] = 6.0;
  d->qvel[2] = 2.0;
  d->qvel[3] = -4.0;
  mj_forward(m, d);
  const int sensor = mj_name2id(m, mjOBJ_SENSOR, "torso_subtreelinvel");
  ASSERT_GE(sensor, 0);
  const double v = d->sensordata[m->sensor_adr[sensor]];
  EXPECT_GT(std::abs(v - 6.0), 1e-3);
  EXPECT_NEAR(task.reward(m, d), std::clamp(v / 10.0, 0.0, 1.0), 1e-12);
}

TEST(CheetahRun, RewardUsesThePostStepState) {
  // Env::step leaves sensordata describing the post-step state (as DMC re-syncs after stepping): the
  // reward must match the sensor re-evaluated at the current state.
  Env env(make_cheetah_run(), cheetah_config(5));
  std::vector<double> a = {1, -1, 1, -1, 1, -1};
  for (int i = 0; i < 50; ++i) env.step(a.data());
  const mjModel* m = env.model();
  mjData* d = env.data();
  const double r = env.step(a.data());
  mj_forward(m, d);
  const int sensor = mj_name2id(m, mjOBJ_SENSOR, "torso_subtreelinvel");
  const double v = d->sensordata[m->sensor_adr[sensor]];
  EXPECT_NEAR(r, std::clamp(v / 10.0, 0.0, 1.0), 1e-12);
}

TEST(CheetahRun, EpisodeLengthAndActionRepeat) {
  for (int repeat : {1, 2, 4}) {
    Env env(make_cheetah_run(), cheetah_config(6, repeat));
    int steps = 0;
    random_episode(env, 7, &steps);
    EXPECT_EQ(steps, 1000 / repeat) << "action_repeat " << repeat;
    EXPECT_EQ(env.control_step(), 1000);
  }
}

TEST(CheetahRun, DeterministicForSeedAndActions) {
  Env a(make_cheetah_run(), cheetah_config(11));
  Env b(make_cheetah_run(), cheetah_config(11));
  EXPECT_EQ(a.observation(), b.observation());
  checks::expect_same_trajectory(a, b, 12, 300);
}

TEST(CheetahRun, RandomPolicyReturn) {
  Env env(make_cheetah_run(), cheetah_config(21));
  double total = 0.0;
  const int episodes = 5;
  for (int e = 0; e < episodes; ++e) {
    const double ret = random_episode(env, 100 + e);
    EXPECT_GE(ret, 0.0);
    EXPECT_LT(ret, 200.0);  // a random policy cannot run at speed for long
    total += ret;
  }
  std::printf("[cheetah_run] random-policy return, mean of %d episodes: %.2f\n", episodes,
              total / episodes);
}

}  // namespace
}  // namespace lf::envs
