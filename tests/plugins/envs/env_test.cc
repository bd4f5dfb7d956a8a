// lf::envs::Env: derived quantities describe the post-step state, as in DMC, for Euler and RK4
// tasks alike (the renderer and the tasks that read body frames rely on it); instances share a
// model only where the MJCF is the same, and never write to it.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "env.h"
#include "renderer.h"
#include "task_checks.h"

namespace {

void expect_synced(const std::string& task) {
  lf::envs::Env env(lf::envs::EnvConfig{task, 1, 1000, 3});
  std::vector<double> action(static_cast<size_t>(env.action_size()), 0.7);
  for (int i = 0; i < 5; ++i) env.step(action.data());
  const mjData* d = env.synced_data();
  const mjModel* m = env.model();
  mjData* fresh = mj_makeData(m);
  std::copy(d->qpos, d->qpos + m->nq, fresh->qpos);
  std::copy(d->qvel, d->qvel + m->nv, fresh->qvel);
  std::copy(d->ctrl, d->ctrl + m->nu, fresh->ctrl);
  mj_forward(m, fresh);
  for (int i = 0; i < 3 * m->nbody; ++i) EXPECT_NEAR(d->xpos[i], fresh->xpos[i], 1e-12) << task << " xpos " << i;
  for (int s = 0; s < m->nsensor; ++s) {
    if (m->sensor_type[s] == mjSENS_TOUCH) continue;  // contact forces come from the step's solve
    for (int k = m->sensor_adr[s]; k < m->sensor_adr[s] + m->sensor_dim[s]; ++k) {
      EXPECT_NEAR(d->sensordata[k], fresh->sensordata[k], 1e-9) << task << " sensor " << s;
    }
  }
  mj_deleteData(fresh);
}

TEST(Env, DerivedStateIsPostStepWithEuler) { expect_synced("walker_walk"); }
TEST(Env, DerivedStateIsPostStepWithRk4) { expect_synced("cartpole_swingup"); }
TEST(Env, DerivedStateIsPostStepForCheetahSensor) { expect_synced("cheetah_run"); }

TEST(Env, UnknownTaskNamesTheValidOnes) {
  try {
    lf::envs::Env env(lf::envs::EnvConfig{"cartpole_swing", 1, 1000, 0});
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("cartpole_swingup"), std::string::npos) << e.what();
  }
}

// Environments of one task share its model; a task with other MJCF gets its own. The two cartpole
// tasks have the same MJCF, so they share it, and still differ by their task logic.
TEST(Env, SharesTheModelOnlyWithTheSameMjcf) {
  using lf::envs::Env;
  using lf::envs::checks::task_config;
  Env swingup(task_config("cartpole_swingup", 1)), swingup2(task_config("cartpole_swingup", 2));
  Env balance(task_config("cartpole_balance", 1)), pendulum(task_config("pendulum_swingup", 1));
  EXPECT_EQ(swingup.model(), swingup2.model());
  EXPECT_EQ(swingup.model(), balance.model());
  EXPECT_NE(swingup.model(), pendulum.model());
  EXPECT_EQ(pendulum.model()->nq, 1);
  EXPECT_EQ(swingup.model()->nq, 2);
  EXPECT_GT(balance.observation()[1], 0.9);   // starts upright
  EXPECT_LT(swingup.observation()[1], -0.9);  // starts hanging down

  // A variant of a model (one option changed) is another model.
  const std::string text = lf::envs::make_task("cartpole_swingup")->mjcf();
  std::string variant = text;
  const std::string option = "timestep=\"0.01\"";
  ASSERT_NE(variant.find(option), std::string::npos);
  variant.replace(variant.find(option), option.size(), "timestep=\"0.005\"");
  auto a = lf::envs::shared_model(text, "cartpole"), b = lf::envs::shared_model(variant, "cartpole variant");
  EXPECT_EQ(a.get(), swingup.model());
  EXPECT_NE(a.get(), b.get());
  EXPECT_DOUBLE_EQ(a->opt.timestep, 0.01);
  EXPECT_DOUBLE_EQ(b->opt.timestep, 0.005);
}

// Two instances with the same seed over one model, stepped in turns, follow the trajectory of an
// instance that had the model to itself (the only Env of its task when built: compiled for it).
TEST(Env, InstancesOverASharedModelMatchOneAlone) {
  using lf::envs::Env;
  using lf::envs::checks::task_config;
  std::vector<std::vector<double>> alone;
  {
    Env env(task_config("walker_walk", 9));
    std::mt19937_64 rng(4);
    std::vector<double> a(static_cast<size_t>(env.action_size()));
    for (int t = 0; t < 50; ++t) {
      for (double& x : a) x = std::uniform_real_distribution<double>(-1, 1)(rng);
      env.step(a.data());
      alone.push_back(env.observation());
    }
  }
  Env a(task_config("walker_walk", 9)), b(task_config("walker_walk", 9));
  ASSERT_EQ(a.model(), b.model());
  std::mt19937_64 rng(4);
  std::vector<double> action(static_cast<size_t>(a.action_size()));
  for (int t = 0; t < 50; ++t) {
    for (double& x : action) x = std::uniform_real_distribution<double>(-1, 1)(rng);
    a.step(action.data());
    b.step(action.data());
    ASSERT_EQ(a.observation(), alone[static_cast<size_t>(t)]) << "step " << t;
    ASSERT_EQ(b.observation(), alone[static_cast<size_t>(t)]) << "step " << t;
  }
}

// Stepping, resetting and rendering leave every byte of the shared model as it was.
TEST(Env, StepsAndFramesLeaveTheSharedModelUnchanged) {
  using lf::envs::Env;
  Env env(lf::envs::checks::task_config("finger_spin", 3));
  const mjModel* m = env.model();
  const std::vector<char> arrays(static_cast<const char*>(m->buffer), static_cast<const char*>(m->buffer) + m->nbuffer);
  // Byte copies (padding included): the renderer's settings (no shadows, its buffer size) must not
  // land in the model's visual options.
  mjOption opt;
  mjVisual vis;
  mjStatistic stat;
  std::memcpy(&opt, &m->opt, sizeof opt);
  std::memcpy(&vis, &m->vis, sizeof vis);
  std::memcpy(&stat, &m->stat, sizeof stat);
  lf::envs::Renderer renderer(m, 64, 64);
  std::vector<uint8_t> frame(64 * 64 * 3);
  std::vector<double> action(static_cast<size_t>(env.action_size()), 0.5);
  for (int t = 0; t < 20; ++t) {
    env.step(action.data());
    renderer.render(env.synced_data(), 0, frame.data());
  }
  env.reset();
  EXPECT_EQ(std::memcmp(arrays.data(), m->buffer, arrays.size()), 0);
  EXPECT_EQ(std::memcmp(&opt, &m->opt, sizeof opt), 0);
  EXPECT_EQ(std::memcmp(&vis, &m->vis, sizeof vis), 0);
  EXPECT_EQ(std::memcmp(&stat, &m->stat, sizeof stat), 0);
}

}  // namespace
