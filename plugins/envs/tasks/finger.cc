// Finger, spin (DMC finger-spin): a planar two-joint finger flicks a free-turning body (the
// "spinner", a hinge about -y) so that it keeps rotating.
//
// Model: proximal and distal hinges (axis 0 -1 0, limited to +-110 deg, damping 2.5; the proximal
// one with ref -90 deg) driven by motors with gear 30 and 15, control range [-1, 1]; the spinner
// hinge with frictionloss 0.1 and damping 0.03 (DMC's spin value); gravity off, elliptic friction
// cones, 200 solver iterations, soft contacts (solimp 0 0.9 0.01, solref 0.02 1).
// Physics timestep 0.01 s, control timestep 0.02 s (2 physics steps), 1000 control steps (20 s).
// Initial state: every joint uniform (limited joints in their range, the spinner in [-pi, pi]),
// zero velocity, redrawn until nothing is in contact (at most 1000 draws).
// Observation (9): position(4) = [proximal angle, distal angle, tip x - spinner x,
// tip z - spinner z]; velocity(3) = [proximal, distal, spinner angular velocity];
// touch(2) = log(1 + touch sensor) for the top and bottom of the fingertip.
// Reward (sparse): 1 while the spinner's angular velocity about its (0,-1,0) axis is <= -15 rad/s,
// i.e. it spins counter-clockwise about +y faster than 15 rad/s; else 0.
// Camera 0 "cam0" looks from (0, -1, 0.8) down at the finger; camera 1 "cam1" from the side.
//
// Differences from DMC:
// - DMC sets the spinner damping (0.03) and hides the tip/target sites (alpha 0) at episode start;
//   our model is only used for spin, so both are written into the MJCF.
// - DMC reads joint positions/velocities and site positions from sensors; we read qpos/qvel and
//   compute the tip offset from the spinner angle: the same numbers (a test checks the tip offset
//   against MuJoCo's site_xpos). Touch is read from the touch sensors, as in DMC.
// - Only the two touch sensors are declared (DMC also declares joint/frame sensors it uses as
//   the sources above).
// - Random draws come from std::mt19937_64, so seeds do not reproduce DMC's numpy episodes.
// - The assets and visual settings follow DMC's common files, composed in from common_mjcf.h.
#include "finger.h"

#include <cmath>
#include <stdexcept>

#include "common_mjcf.h"
#include "randomize.h"

namespace lf::envs {
namespace {

constexpr double kTipRadius = 0.13;  // tip site distance from the spinner hinge
constexpr double kSpinVelocity = 15.0;
constexpr int kMaxInitAttempts = 1000;

// qpos / qvel indices (one dof per joint, in this order in the model)
constexpr int kProximal = 0, kDistal = 1, kHinge = 2;

// The model's own parts; model_mjcf() adds DMC's common visual settings and assets (common_mjcf.h).
constexpr const char* kOptions = R"MJCF(
  <option timestep="0.01" cone="elliptic" iterations="200">
    <flag gravity="disable"/>
  </option>
)MJCF";

constexpr const char* kBody = R"MJCF(
  <default>
    <geom solimp="0 0.9 0.01" solref=".02 1"/>
    <joint type="hinge" axis="0 -1 0"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
    <default class="finger">
      <joint limited="true" damping="2.5"/>
      <site type="ellipsoid" size=".025 .03 .025" material="site" group="3"/>
    </default>
  </default>

  <worldbody>
    <light name="light" directional="true" pos="0 0 2" diffuse=".6 .6 .6" specular=".3 .3 .3"/>
    <camera name="cam0" pos="0 -1 .8" xyaxes="1 0 0  0 1 2"/>
    <camera name="cam1" pos="0 -1 .4" xyaxes="1 0 0  0 0 1"/>
    <geom name="ground" type="plane" size=".6 .2 10" material="grid"/>

    <body name="proximal" pos="-.2 0 .4" childclass="finger">
      <joint name="proximal" range="-110 110" ref="-90"/>
      <geom name="proximal_decoration" type="cylinder" fromto="0 -.033 0  0 .033 0" size=".034" material="decoration"/>
      <geom name="proximal" type="capsule" fromto="0 0 0  0 0 -.17" size=".03" material="self"/>
      <body name="distal" pos="0 0 -.18">
        <joint name="distal" range="-110 110"/>
        <geom name="distal" type="capsule" fromto="0 0 0  0 0 -.16" size=".028" material="self"
              contype="0" conaffinity="0"/>
        <geom name="fingertip" type="capsule" fromto="0 0 -.13  0 0 -.161" size=".03" material="effector"/>
        <site name="touchtop" pos=".01 0 -.17"/>
        <site name="touchbottom" pos="-.01 0 -.17"/>
      </body>
    </body>

    <body name="spinner" pos=".2 0 .4">
      <joint name="hinge" damping=".03" frictionloss=".1"/>
      <geom name="cap1" type="capsule" pos=".02 0 0" size=".04 .09" material="self"/>
      <geom name="cap2" type="capsule" pos="-.02 0 0" size=".04 .09" material="self"/>
      <geom name="spinner_decoration" type="cylinder" fromto="0 -.045 0  0 .045 0" size=".02" material="decoration"/>
      <!-- hidden in the spin task -->
      <site name="tip" type="sphere" pos="0 0 .13" size=".02" rgba=".6 .3 .3 0"/>
    </body>

    <site name="target" type="sphere" pos="0 0 .4" size=".03" rgba=".6 .3 .3 0"/>
  </worldbody>

  <actuator>
    <motor name="proximal" joint="proximal" gear="30"/>
    <motor name="distal" joint="distal" gear="15"/>
  </actuator>

  <sensor>
    <touch name="touchtop" site="touchtop"/>
    <touch name="touchbottom" site="touchbottom"/>
  </sensor>
)MJCF";

std::string model_mjcf() {
  return dmc::model("finger", {kOptions, dmc::visual(true),
                               dmc::asset({dmc::skybox_texture("sky"), dmc::grid_material("floor"), dmc::kSelfMaterial,
                                           dmc::kEffectorMaterial, dmc::kDecorationMaterial, dmc::kSiteMaterial}),
                               kBody});
}

class FingerSpin final : public Task {
 public:
  std::string mjcf() const override { return model_mjcf(); }
  double control_timestep() const override { return 0.02; }
  std::vector<std::pair<std::string, int>> observation_spec() const override {
    return {{"position", 4}, {"velocity", 3}, {"touch", 2}};
  }

  void initialize_episode(const mjModel* m, mjData* d, std::mt19937_64& rng) const override {
    for (int attempt = 0; attempt < kMaxInitAttempts; ++attempt) {
      randomize_limited_and_rotational_joints(m, d, rng);
      mj_forward(m, d);
      if (d->ncon == 0) return;
    }
    throw std::runtime_error("finger_spin: no contact-free initial state in 1000 draws");
  }

  void observe(const mjModel*, const mjData* d, double* out) const override {
    const double angle = d->qpos[kHinge];
    out[0] = d->qpos[kProximal];
    out[1] = d->qpos[kDistal];
    // The tip sits 0.13 above the hinge at angle 0; the hinge axis is -y, so a positive angle
    // turns +z towards -x.
    out[2] = -kTipRadius * std::sin(angle);
    out[3] = kTipRadius * std::cos(angle);
    out[4] = d->qvel[kProximal];
    out[5] = d->qvel[kDistal];
    out[6] = d->qvel[kHinge];
    out[7] = std::log1p(d->sensordata[0]);
    out[8] = std::log1p(d->sensordata[1]);
  }

  double reward(const mjModel*, const mjData* d) const override {
    return d->qvel[kHinge] <= -kSpinVelocity ? 1.0 : 0.0;
  }
};

}  // namespace

std::unique_ptr<Task> make_finger_spin() { return std::make_unique<FingerSpin>(); }

}  // namespace lf::envs
