// DMC walker, task "walk": a planar biped rewarded for standing tall and upright while moving forward
// at 1 m/s or faster.
//
// Model: a 0.6 m capsule torso (radius 0.07) whose centre starts 1.3 m above the floor, with two legs,
// each a thigh (0.45 m), a leg (0.5 m) and a foot (0.2 m capsule along x); the torso moves in the x-z
// plane through root joints rootz (slide z), rootx (slide x) and rooty (hinge y); hips range
// [-20, 100] deg, knees [-150, 0], ankles [-45, 45], all leg hinges about -y with damping 0.1,
// armature 0.01 and a soft limit (solimplimit 0 .99 .01). Six motors, gears 100/50/20 (hip, knee,
// ankle; right leg first), control range [-1, 1]. Geoms collide with the floor only (friction 0.7).
// Euler integration, physics timestep 0.0025 s, control timestep 0.025 s (10 physics steps per control
// step), 1000 control steps = DMC's 25 s time limit.
// Initial state (DMC's randomize_limited_and_rotational_joints): every limited hinge uniform in its
// range, the unlimited hinge rooty uniform in [-pi, pi]; the slides rootz and rootx stay at 0 and all
// velocities are 0, so the walker starts in the air in a random orientation and falls.
// Observation (24): orientations(14) = [xx, xz] of the world rotation matrix of each body (torso,
//                   right thigh, leg, foot, left thigh, leg, foot); height(1) = torso centre z;
//                   velocity(9) = qvel (rootz, rootx, rooty, right hip/knee/ankle, left hip/knee/ankle).
// Reward: stand = (3 * tolerance(height, [1.2, inf), margin 0.6, gaussian, 0.1) + (1 + zz) / 2) / 4
//         with zz the torso frame's z axis projected on world z; move = tolerance(v, [1, inf),
//         margin 0.5, linear, value_at_margin 0.5) with v the x velocity of the torso subtree's centre
//         of mass, read from the "torso_subtreelinvel" sensor as DMC does;
//         reward = stand * (5 * move + 1) / 6.
// Body frames, height and sensor are read from mjData directly, as DMC does: the Env leaves them
// describing the post-step state.
// Cameras: 0 "side" (DMC's pixel camera, tracks the centre of mass), 1 "back".
//
// Differences from DMC (dm_control/suite/walker.py, walker.xml, common/*.xml,
// suite/utils/randomizers.py):
// - Self-contained MJCF: the common visual/skybox/material includes are composed in from
//   common_mjcf.h (only what this model uses).
// - Random numbers come from std::mt19937_64 (not NumPy's RandomState): same distribution, different
//   draws for a given seed.
#include "walker.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "../tolerance.h"
#include "common_mjcf.h"
#include "randomize.h"
#include "sensors.h"

namespace lf::envs {

namespace {

// The model's own parts; model_mjcf() adds DMC's common visual settings and assets (common_mjcf.h).
constexpr const char* kOptions = R"MJCF(
  <option timestep="0.0025"/>
  <statistic extent="2" center="0 0 1"/>
)MJCF";

constexpr const char* kBody = R"MJCF(
  <default>
    <joint limited="true" damping=".1" armature=".01" solimplimit="0 .99 .01"/>
    <geom contype="1" conaffinity="0" friction=".7 .1 .1"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
    <default class="body">
      <joint axis="0 -1 0"/>
      <geom type="capsule" material="self"/>
    </default>
  </default>

  <worldbody>
    <geom name="floor" type="plane" pos="248 0 0" size="250 .8 .2" conaffinity="1" material="grid"/>
    <body name="torso" pos="0 0 1.3" childclass="body">
      <light name="light" pos="0 0 2" mode="trackcom"/>
      <camera name="side" pos="0 -2 .7" euler="60 0 0" mode="trackcom"/>
      <camera name="back" pos="-2 0 .5" xyaxes="0 -1 0 1 0 3" mode="trackcom"/>
      <joint name="rootz" type="slide" axis="0 0 1" limited="false" damping="0" armature="0"/>
      <joint name="rootx" type="slide" axis="1 0 0" limited="false" damping="0" armature="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" limited="false" damping="0" armature="0"/>
      <geom name="torso" size=".07 .3"/>

      <body name="right_thigh" pos="0 -.05 -.3">
        <joint name="right_hip" range="-20 100"/>
        <geom name="right_thigh" pos="0 0 -.225" size=".05 .225"/>
        <body name="right_leg" pos="0 0 -.7">
          <joint name="right_knee" pos="0 0 .25" range="-150 0"/>
          <geom name="right_leg" size=".04 .25"/>
          <body name="right_foot" pos=".06 0 -.25">
            <joint name="right_ankle" pos="-.06 0 0" range="-45 45"/>
            <geom name="right_foot" zaxis="1 0 0" size=".05 .1"/>
          </body>
        </body>
      </body>

      <body name="left_thigh" pos="0 .05 -.3">
        <joint name="left_hip" range="-20 100"/>
        <geom name="left_thigh" pos="0 0 -.225" size=".05 .225"/>
        <body name="left_leg" pos="0 0 -.7">
          <joint name="left_knee" pos="0 0 .25" range="-150 0"/>
          <geom name="left_leg" size=".04 .25"/>
          <body name="left_foot" pos=".06 0 -.25">
            <joint name="left_ankle" pos="-.06 0 0" range="-45 45"/>
            <geom name="left_foot" zaxis="1 0 0" size=".05 .1"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>

  <sensor>
    <subtreelinvel name="torso_subtreelinvel" body="torso"/>
  </sensor>

  <actuator>
    <motor name="right_hip" joint="right_hip" gear="100"/>
    <motor name="right_knee" joint="right_knee" gear="50"/>
    <motor name="right_ankle" joint="right_ankle" gear="20"/>
    <motor name="left_hip" joint="left_hip" gear="100"/>
    <motor name="left_knee" joint="left_knee" gear="50"/>
    <motor name="left_ankle" joint="left_ankle" gear="20"/>
  </actuator>
)MJCF";

std::string model_mjcf() {
  return dmc::model("walker", {kOptions, dmc::visual(),
                               dmc::asset({dmc::skybox_texture("skybox"), dmc::grid_material("grid"), dmc::kSelfMaterial}),
                               kBody});
}

// DMC: torso height (m) at and above which the standing term is 1.
constexpr double kStandHeight = 1.2;
// DMC walk: forward speed (m/s) at and above which the move term is 1.
constexpr double kWalkSpeed = 1.0;

class WalkerWalk final : public Task {
 public:
  std::string mjcf() const override { return model_mjcf(); }
  double control_timestep() const override { return 0.025; }

  std::vector<std::pair<std::string, int>> observation_spec() const override {
    return {{"orientations", 14}, {"height", 1}, {"velocity", 9}};
  }

  void initialize_episode(const mjModel* m, mjData* d, std::mt19937_64& rng) const override {
    randomize_limited_and_rotational_joints(m, d, rng);
  }

  void observe(const mjModel* m, const mjData* d, double* out) const override {
    // DMC: xmat[1:, ['xx', 'xz']], then xpos['torso', 'z'], then qvel.
    for (int b = 1; b < m->nbody; ++b) {
      *out++ = d->xmat[9 * b + 0];  // xx
      *out++ = d->xmat[9 * b + 2];  // xz
    }
    *out++ = d->xpos[3 * torso(m) + 2];
    std::copy(d->qvel, d->qvel + m->nv, out);
  }

  double reward(const mjModel* m, const mjData* d) const override {
    const int t = torso(m);
    const double height = d->xpos[3 * t + 2];
    const double upright = d->xmat[9 * t + 8];  // zz
    const double speed = torso_subtree_vx(m, d);
    const double standing = tolerance(height, kStandHeight, INFINITY, kStandHeight / 2);
    const double stand = (3.0 * standing + (1.0 + upright) / 2.0) / 4.0;
    const double move = tolerance(speed, kWalkSpeed, INFINITY, kWalkSpeed / 2, Sigmoid::Linear, 0.5);
    return stand * (5.0 * move + 1.0) / 6.0;
  }

 private:
  static int torso(const mjModel* m) { return mj_name2id(m, mjOBJ_BODY, "torso"); }
};

}  // namespace

std::unique_ptr<Task> make_walker_walk() { return std::make_unique<WalkerWalk>(); }

}  // namespace lf::envs
