// finger_spin: model, spec, episode length, determinism, contact-free random initial states, the
// tip offset against MuJoCo, and the sparse spin reward checked on the hinge velocity directly
// (set, and then decaying under the hinge's friction and damping).
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "env.h"
#include "task_checks.h"
#include "tasks/finger.h"

namespace {

using lf::envs::Env;
using lf::envs::EnvConfig;

EnvConfig finger_config(uint64_t seed, int repeat = 1) {
  return lf::envs::checks::task_config("finger_spin", seed, repeat);
}

int finger_joint_dof(const mjModel* m, const char* name) {
  const int j = mj_name2id(m, mjOBJ_JOINT, name);
  return j < 0 ? -1 : m->jnt_dofadr[j];
}

TEST(FingerSpin, ModelCompilesWithDmcSpec) {
  Env env(lf::envs::make_finger_spin(), finger_config(1));
  const mjModel* m = env.model();
  EXPECT_EQ(env.action_size(), 2);
  EXPECT_EQ(env.observation_size(), 9);
  const auto spec = env.task().observation_spec();
  ASSERT_EQ(spec.size(), 3u);
  EXPECT_EQ(spec[0], (std::pair<std::string, int>{"position", 4}));
  EXPECT_EQ(spec[1], (std::pair<std::string, int>{"velocity", 3}));
  EXPECT_EQ(spec[2], (std::pair<std::string, int>{"touch", 2}));
  EXPECT_DOUBLE_EQ(m->opt.timestep, 0.01);
  EXPECT_DOUBLE_EQ(env.task().control_timestep(), 0.02);  // 2 physics steps per control step
  EXPECT_EQ(m->opt.cone, mjCONE_ELLIPTIC);
  EXPECT_EQ(m->opt.disableflags & mjDSBL_GRAVITY, mjDSBL_GRAVITY);
  EXPECT_DOUBLE_EQ(m->actuator_gear[0], 30.0);
  EXPECT_DOUBLE_EQ(m->actuator_gear[6], 15.0);
  // the joint order the task's qpos/qvel indices rely on
  EXPECT_EQ(finger_joint_dof(m, "proximal"), 0);
  EXPECT_EQ(finger_joint_dof(m, "distal"), 1);
  EXPECT_EQ(finger_joint_dof(m, "hinge"), 2);
  EXPECT_DOUBLE_EQ(m->dof_damping[2], 0.03);  // DMC's spin-task value
  EXPECT_EQ(std::string(mj_id2name(m, mjOBJ_CAMERA, 0)), "cam0");
  for (double x : env.observation()) EXPECT_TRUE(std::isfinite(x));
}

TEST(FingerSpin, RandomEpisodeRewardsAreZeroOrOneAndLast1000Steps) {
  Env env(lf::envs::make_finger_spin(), finger_config(2));
  std::mt19937_64 rng(9);
  const auto actions = lf::envs::checks::uniform_actions(env, rng);
  double total = 0.0;
  const int episodes = 3;
  for (int e = 0; e < episodes; ++e) {
    env.reset();
    total += lf::envs::checks::run_until_done(env, actions, lf::envs::checks::expect_sparse_reward).ret;
    EXPECT_EQ(env.control_step(), 1000);
    lf::envs::checks::expect_finite_observation(env);
  }
  std::printf("[finger_spin] random policy: mean return %.1f over %d episodes\n", total / episodes, episodes);
}

TEST(FingerSpin, ActionRepeatGives500AgentSteps) {
  Env env(lf::envs::make_finger_spin(), finger_config(3, 2));
  const auto stats = lf::envs::checks::run_until_done(env, lf::envs::checks::constant_action({0.5, -0.5}),
                                                     [&](double r) { lf::envs::checks::expect_reward_in_range(env, r); });
  const int agent_steps = stats.agent_steps;
  EXPECT_EQ(agent_steps, 500);
}

TEST(FingerSpin, DeterministicPerSeedAndSeedsDiffer) {
  Env a(lf::envs::make_finger_spin(), finger_config(7));
  Env b(lf::envs::make_finger_spin(), finger_config(7));
  Env c(lf::envs::make_finger_spin(), finger_config(8));
  EXPECT_EQ(a.observation(), b.observation());
  EXPECT_NE(a.observation(), c.observation());
  lf::envs::checks::expect_same_trajectory(a, b, 5, 300);
}

TEST(FingerSpin, InitialStatesAreRandomAndContactFree) {
  Env env(lf::envs::make_finger_spin(), finger_config(11));
  const double limit = 110.0 * M_PI / 180.0;
  double min_h = 10, max_h = -10;
  for (int e = 0; e < 100; ++e) {
    env.reset();
    const mjData* d = env.data();
    EXPECT_EQ(d->ncon, 0);
    EXPECT_LE(std::abs(d->qpos[0]), limit + 1e-12);
    EXPECT_LE(std::abs(d->qpos[1]), limit + 1e-12);
    EXPECT_LE(std::abs(d->qpos[2]), M_PI);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(d->qvel[i], 0.0);
    EXPECT_EQ(env.observation()[7], 0.0);  // no touch
    EXPECT_EQ(env.observation()[8], 0.0);
    min_h = std::min(min_h, d->qpos[2]), max_h = std::max(max_h, d->qpos[2]);
  }
  EXPECT_LT(min_h, -2.5);
  EXPECT_GT(max_h, 2.5);
}

TEST(FingerSpin, TipOffsetMatchesMujocoSites) {
  Env env(lf::envs::make_finger_spin(), finger_config(13));
  const mjModel* m = env.model();
  mjData* d = env.data();
  const int tip = mj_name2id(m, mjOBJ_SITE, "tip");
  const int spinner = mj_name2id(m, mjOBJ_BODY, "spinner");
  ASSERT_GE(tip, 0);
  ASSERT_GE(spinner, 0);
  std::vector<double> obs(9);
  for (double angle : {-3.0, -1.2, 0.0, 0.4, 1.5707963, 2.9}) {
    d->qpos[2] = angle;
    mj_forward(m, d);
    env.task().observe(m, d, obs.data());
    EXPECT_NEAR(obs[2], d->site_xpos[3 * tip] - d->xpos[3 * spinner], 1e-12) << angle;
    EXPECT_NEAR(obs[3], d->site_xpos[3 * tip + 2] - d->xpos[3 * spinner + 2], 1e-12) << angle;
    EXPECT_EQ(obs[0], d->qpos[0]);
    EXPECT_EQ(obs[1], d->qpos[1]);
  }
}

TEST(FingerSpin, RewardIsOneOnlyWhenSpinningFasterThan15InTheNegativeSense) {
  Env env(lf::envs::make_finger_spin(), finger_config(17));
  const mjModel* m = env.model();
  mjData* d = env.data();
  for (const auto& [w, expected] :
       {std::pair{-30.0, 1.0}, {-15.0, 1.0}, {-14.9, 0.0}, {0.0, 0.0}, {14.9, 0.0}, {30.0, 0.0}}) {
    d->qvel[2] = w;
    EXPECT_EQ(env.task().reward(m, d), expected) << "hinge velocity " << w;
  }
}

TEST(FingerSpin, SpunHingeEarnsRewardThenSlowsDown) {
  // Fold the finger away from the spinner, spin the spinner at -30 rad/s and apply no action:
  // the reward is 1 until friction (0.1 N m) and damping bring it under 15 rad/s.
  Env env(lf::envs::make_finger_spin(), finger_config(19));
  mjData* d = env.data();
  const double fold = -110.0 * M_PI / 180.0 + 0.05;
  d->qpos[0] = fold;
  d->qpos[1] = fold;
  d->qvel[0] = d->qvel[1] = 0.0;
  d->qvel[2] = -30.0;
  const double zero[2] = {0.0, 0.0};
  int rewarded = 0;
  double last = -30.0;
  int first_zero = -1;
  for (int t = 0; t < 300; ++t) {
    const double r = env.step(zero);
    const double w = env.observation()[6];
    EXPECT_EQ(env.observation()[7], 0.0);  // the finger never touches the spinner
    EXPECT_GE(w, last - 1e-9);             // only slows down
    EXPECT_EQ(r, w <= -15.0 ? 1.0 : 0.0);
    if (r == 1.0) ++rewarded;
    if (r == 0.0 && first_zero < 0) first_zero = t;
    last = w;
  }
  std::printf("[finger_spin] hinge spun at -30 rad/s: reward 1 for %d control steps\n", rewarded);
  EXPECT_GT(rewarded, 10);
  EXPECT_EQ(rewarded, first_zero);  // rewarded steps come first, then none
}

}  // namespace
