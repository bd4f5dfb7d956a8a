// Reacher, easy (DMC reacher-easy): a two-link planar arm moves its fingertip into a target disc.
//
// Model: two hinges about z (shoulder unlimited, wrist limited to +-160 deg, damping 0.01), links
// 0.12 m, motors with gear 0.05 and control range [-1, 1], contacts disabled, physics timestep
// 0.02 s = control timestep (one physics step per control step), 1000 control steps (20 s).
// Initial state: the shoulder uniform in [-pi, pi], the wrist uniform in its range, zero velocity;
// the target at angle ~ U(0, 2 pi) and radius ~ U(0.05, 0.20) from the shoulder (x = r sin, y = r cos).
// Observation (6): position(2) = joint angles [shoulder, wrist]; to_target(2) = target - finger
// in world x, y; velocity(2) = joint velocities.
// Reward: 1 while the finger-to-target distance (x, y) is at most target radius + finger radius
// (0.05 + 0.01), else 0 (DMC: tolerance with bounds (0, radii) and no margin).
// Camera 0 "fixed" looks straight down from 0.75 m; camera 1 "hand" tracks the finger.
//
// Differences from DMC:
// - DMC moves the target by editing the model's geom_pos at every episode start; our Task gets a
//   const model, so the target is a mocap body whose mocap_pos is set per episode. Contacts are
//   disabled and a mocap body has no degrees of freedom, so the dynamics are the same.
// - The target size is fixed in the MJCF (0.05, easy) instead of being written at episode start.
// - The fingertip position is computed from the joint angles (planar forward kinematics), not read
//   from geom_xpos: the same numbers (a test checks them against MuJoCo's geom_xpos).
// - Random draws come from std::mt19937_64, so seeds do not reproduce DMC's numpy episodes.
// - The assets (grid floor, gradient skybox, colours) and visual settings follow DMC's common
//   files, composed in from common_mjcf.h.
#include "reacher.h"

#include <cmath>
#include <string_view>

#include "../tolerance.h"
#include "common_mjcf.h"
#include "randomize.h"

namespace lf::envs {
namespace {

constexpr double kUpperArm = 0.12;   // shoulder to wrist
constexpr double kForearm = 0.12;    // wrist to finger centre
constexpr double kTargetSize = 0.05; // easy (hard: 0.015)
constexpr double kFingerSize = 0.01;

// The model's own parts; model_mjcf() adds DMC's common visual settings and assets (common_mjcf.h).
constexpr const char* kOptions = R"MJCF(
  <option timestep="0.02">
    <flag contact="disable"/>
  </option>
)MJCF";

constexpr const char* kBody = R"MJCF(
  <default>
    <joint type="hinge" axis="0 0 1" damping="0.01"/>
    <motor gear="0.05" ctrllimited="true" ctrlrange="-1 1"/>
  </default>

  <worldbody>
    <light name="light" pos="0 0 1"/>
    <camera name="fixed" pos="0 0 .75" quat="1 0 0 0"/>
    <geom name="ground" type="plane" size=".625 .625 10" material="grid"/>
    <!-- a low border around the 0.6 m arena -->
    <geom name="wall_x" type="plane" pos="-.3 0 .02" zaxis="1 0 0" size=".02 .3 .02" material="decoration"/>
    <geom name="wall_y" type="plane" pos="0 -.3 .02" zaxis="0 1 0" size=".3 .02 .02" material="decoration"/>
    <geom name="wall_neg_x" type="plane" pos=".3 0 .02" zaxis="-1 0 0" size=".02 .3 .02" material="decoration"/>
    <geom name="wall_neg_y" type="plane" pos="0 .3 .02" zaxis="0 -1 0" size=".3 .02 .02" material="decoration"/>

    <geom name="root" type="cylinder" fromto="0 0 0  0 0 .02" size=".011" material="decoration"/>
    <body name="arm" pos="0 0 .01">
      <joint name="shoulder"/>
      <geom name="arm" type="capsule" fromto="0 0 0  .12 0 0" size=".01" material="self"/>
      <body name="hand" pos=".12 0 0">
        <joint name="wrist" limited="true" range="-160 160"/>
        <geom name="hand" type="capsule" fromto="0 0 0  .1 0 0" size=".01" material="self"/>
        <body name="finger" pos=".12 0 0">
          <camera name="hand" pos="0 0 .2" mode="track"/>
          <geom name="finger" type="sphere" size=".01" material="effector"/>
        </body>
      </body>
    </body>

    <!-- moved per episode through mocap_pos -->
    <body name="target" mocap="true" pos="0 0 .01">
      <geom name="target" type="sphere" size=".05" material="target" contype="0" conaffinity="0"/>
    </body>
  </worldbody>

  <actuator>
    <motor name="shoulder" joint="shoulder"/>
    <motor name="wrist" joint="wrist"/>
  </actuator>
)MJCF";

constexpr std::string_view kTargetMaterial = R"(<material name="target" rgba=".6 .3 .3 1"/>)";

std::string model_mjcf() {
  return dmc::model("reacher", {kOptions, dmc::visual(true),
                                dmc::asset({dmc::skybox_texture("sky"), dmc::grid_material("floor"), dmc::kSelfMaterial,
                                            dmc::kEffectorMaterial, dmc::kDecorationMaterial, kTargetMaterial}),
                                kBody});
}

class ReacherEasy final : public Task {
 public:
  std::string mjcf() const override { return model_mjcf(); }
  double control_timestep() const override { return 0.02; }
  std::vector<std::pair<std::string, int>> observation_spec() const override {
    return {{"position", 2}, {"to_target", 2}, {"velocity", 2}};
  }

  void initialize_episode(const mjModel* m, mjData* d, std::mt19937_64& rng) const override {
    randomize_limited_and_rotational_joints(m, d, rng);
    const double angle = std::uniform_real_distribution<double>(0.0, 2.0 * M_PI)(rng);
    const double radius = std::uniform_real_distribution<double>(0.05, 0.20)(rng);
    d->mocap_pos[0] = radius * std::sin(angle);
    d->mocap_pos[1] = radius * std::cos(angle);
  }

  void observe(const mjModel* m, const mjData* d, double* out) const override {
    double to_target[2];
    finger_to_target(d, to_target);
    out[0] = d->qpos[0];
    out[1] = d->qpos[1];
    out[2] = to_target[0];
    out[3] = to_target[1];
    out[4] = d->qvel[0];
    out[5] = d->qvel[1];
    (void)m;
  }

  double reward(const mjModel*, const mjData* d) const override {
    double v[2];
    finger_to_target(d, v);
    return tolerance(std::hypot(v[0], v[1]), 0.0, kTargetSize + kFingerSize);
  }

 private:
  // Target minus finger centre, world x and y, from the current joint angles.
  static void finger_to_target(const mjData* d, double* v) {
    const double a = d->qpos[0], b = d->qpos[0] + d->qpos[1];
    const double fx = kUpperArm * std::cos(a) + kForearm * std::cos(b);
    const double fy = kUpperArm * std::sin(a) + kForearm * std::sin(b);
    v[0] = d->mocap_pos[0] - fx;
    v[1] = d->mocap_pos[1] - fy;
  }
};

}  // namespace

std::unique_ptr<Task> make_reacher_easy() { return std::make_unique<ReacherEasy>(); }

}  // namespace lf::envs
