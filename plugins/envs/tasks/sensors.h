// Sensor readings the tasks share.
#pragma once

#include <mujoco/mujoco.h>

namespace lf::envs {

// DMC's physics.named.data.sensordata['torso_subtreelinvel'][0]: x velocity of the torso subtree's
// centre of mass (cheetah, walker; the model declares the sensor).
inline double torso_subtree_vx(const mjModel* m, const mjData* d) {
  return d->sensordata[m->sensor_adr[mj_name2id(m, mjOBJ_SENSOR, "torso_subtreelinvel")]];
}

}  // namespace lf::envs
