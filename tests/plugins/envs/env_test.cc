// lf::envs::Env: derived quantities describe the post-step state, as in DMC, for Euler and RK4
// tasks alike (the renderer and the tasks that read body frames rely on it).
#include <gtest/gtest.h>

#include <vector>

#include "env.h"

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

}  // namespace
