#include "randomize.h"

#include <cmath>
#include <stdexcept>

namespace lf::envs {
namespace {

double uniform_in_range(const mjModel* m, int joint, std::mt19937_64& rng) {
  return std::uniform_real_distribution<double>(m->jnt_range[2 * joint], m->jnt_range[2 * joint + 1])(rng);
}

}  // namespace

void randomize_limited_and_rotational_joints(const mjModel* m, mjData* d, std::mt19937_64& rng) {
  for (int j = 0; j < m->njnt; ++j) {
    const int type = m->jnt_type[j];
    if (type == mjJNT_BALL || type == mjJNT_FREE) {
      throw std::invalid_argument("randomize_limited_and_rotational_joints: ball and free joints are not supported");
    }
    const int adr = m->jnt_qposadr[j];
    if (m->jnt_limited[j]) {
      d->qpos[adr] = uniform_in_range(m, j, rng);
    } else if (type == mjJNT_HINGE) {
      d->qpos[adr] = std::uniform_real_distribution<double>(-M_PI, M_PI)(rng);
    }  // unlimited slides keep their position
  }
}

void randomize_limited_joints(const mjModel* m, mjData* d, std::mt19937_64& rng) {
  for (int j = 0; j < m->njnt; ++j) {
    if (m->jnt_limited[j]) d->qpos[m->jnt_qposadr[j]] = uniform_in_range(m, j, rng);
  }
}

}  // namespace lf::envs
