// Initial-state randomizers shared by the tasks (DMC's suite/utils/randomizers.py and the cheetah's
// own variant).
#pragma once

#include <random>

#include <mujoco/mujoco.h>

namespace lf::envs {

// DMC's randomize_limited_and_rotational_joints for models of hinges and slides: joint by joint,
// in model order, a limited joint uniform in its range, an unlimited hinge uniform in [-pi, pi];
// unlimited slides keep their position. One draw per randomized joint. Throws
// std::invalid_argument for ball and free joints (DMC draws random quaternions there; no model of
// ours has them).
void randomize_limited_and_rotational_joints(const mjModel* m, mjData* d, std::mt19937_64& rng);

// DMC cheetah's initial state: every limited joint uniform in its range, in model order; the
// other joints keep their position.
void randomize_limited_joints(const mjModel* m, mjData* d, std::mt19937_64& rng);

}  // namespace lf::envs
