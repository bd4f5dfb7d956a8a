// DMC pendulum, task "swingup": swing a torque-limited pendulum up and hold it upright.
//
// Model: a 1 kg point-like bob (sphere r 0.05) on a massless 0.5 m pole, hinged about the world y axis
// 0.6 m above the floor; hinge damping 0.1; one motor on the hinge, gear 1, control range [-1, 1], so
// the largest torque (1 N m) is about a fifth of the bob's gravity torque (4.9 N m): the swing-up needs
// energy pumping. Euler integration, physics timestep 0.02 s, control timestep 0.02 s (one physics step
// per control step), 1000 control steps = DMC's 20 s time limit. Contacts disabled.
// Initial state: hinge angle uniform in [-pi, pi), velocity 0 (angle 0 = upright).
// Observation (3): orientation(2) = [zz, xz] of the pole's frame = [cos angle, sin angle];
//                  velocity(1) = hinge angular velocity.
// Reward: tolerance(zz, bounds = [cos 8 deg, 1]) with margin 0, i.e. 1 while the pole is within 8
//         degrees of upright, else 0 (DMC's _ANGLE_BOUND = 8).
// Cameras: 0 "fixed" (DMC's pixel camera), 1 "lookat" (tracks the pole).
//
// Differences from DMC (dm_control/suite/pendulum.py, pendulum.xml, common/*.xml):
// - The model is self-contained MJCF: the common visual/skybox/material includes are replaced by
//   the equivalent pieces from common_mjcf.h (only the materials this model uses).
// - Orientation and reward are computed from qpos (cos/sin of the hinge angle) instead of xmat: for
//   this model the same numbers as DMC's xmat entries (a test checks it).
// - Random numbers come from std::mt19937_64 (not NumPy's RandomState): same distribution, different
//   draws for a given seed.
#include "pendulum.h"

#include <cmath>
#include <random>

#include "../tolerance.h"
#include "common_mjcf.h"

namespace lf::envs {

namespace {

// The model's own parts; model_mjcf() adds DMC's common visual settings and assets (common_mjcf.h).
constexpr const char* kOptions = R"MJCF(
  <option timestep="0.02">
    <flag contact="disable" energy="enable"/>
  </option>
)MJCF";

constexpr const char* kBody = R"MJCF(
  <worldbody>
    <light name="light" pos="0 0 2"/>
    <geom name="floor" type="plane" size="2 2 .2" material="grid"/>
    <camera name="fixed" pos="0 -1.5 2" xyaxes="1 0 0 0 1 1"/>
    <camera name="lookat" mode="targetbodycom" target="pole" pos="0 -2 1"/>
    <body name="pole" pos="0 0 .6">
      <joint name="hinge" type="hinge" axis="0 1 0" damping=".1"/>
      <geom name="base" type="cylinder" fromto="0 -.03 0 0 .03 0" size=".021" mass="0" material="decoration"/>
      <geom name="pole" type="capsule" fromto="0 0 0 0 0 .5" size=".02" mass="0" material="self"/>
      <geom name="mass" type="sphere" pos="0 0 .5" size=".05" mass="1" material="effector"/>
    </body>
  </worldbody>

  <actuator>
    <motor name="torque" joint="hinge" gear="1" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
)MJCF";

std::string model_mjcf() {
  return dmc::model("pendulum", {kOptions, dmc::visual(),
                                 dmc::asset({dmc::skybox_texture("skybox"), dmc::grid_material("grid"), dmc::kSelfMaterial,
                                             dmc::kEffectorMaterial, dmc::kDecorationMaterial}),
                                 kBody});
}

// DMC: reward 1 while the pole is within this angle of upright.
constexpr double kAngleBoundDeg = 8.0;

class PendulumSwingup final : public Task {
 public:
  std::string mjcf() const override { return model_mjcf(); }
  double control_timestep() const override { return 0.02; }

  std::vector<std::pair<std::string, int>> observation_spec() const override {
    return {{"orientation", 2}, {"velocity", 1}};
  }

  void initialize_episode(const mjModel*, mjData* d, std::mt19937_64& rng) const override {
    std::uniform_real_distribution<double> angle(-M_PI, M_PI);
    d->qpos[0] = angle(rng);
  }

  void observe(const mjModel*, const mjData* d, double* out) const override {
    out[0] = std::cos(d->qpos[0]);  // pole frame zz
    out[1] = std::sin(d->qpos[0]);  // pole frame xz
    out[2] = d->qvel[0];
  }

  double reward(const mjModel*, const mjData* d) const override {
    static const double cos_bound = std::cos(kAngleBoundDeg * M_PI / 180.0);
    return tolerance(std::cos(d->qpos[0]), cos_bound, 1.0);
  }
};

}  // namespace

std::unique_ptr<Task> make_pendulum_swingup() { return std::make_unique<PendulumSwingup>(); }

}  // namespace lf::envs
