// DMC cheetah, task "run": a planar two-legged "half cheetah" rewarded for running forward fast.
//
// Model: a 1 m capsule torso (radius 0.046) with a head, a back leg (thigh, shin, foot) and a front leg
// (thigh, shin, foot); the torso moves in the x-z plane through root joints rootx (slide x), rootz
// (slide z) and rooty (hinge y); six limited leg hinges with springs (stiffness 240/180/120 back,
// 180/120/60 front) and damping (6/4.5/3 back, 4.5/3/1.5 front), armature 0.1. Total mass scaled to
// 14 kg. Six motors, gears 120/90/60 (back thigh/shin/foot) and 90/60/30 (front), control range
// [-1, 1]. Euler integration, physics timestep 0.01 s = control timestep (one physics step per control
// step), 1000 control steps = DMC's 10 s time limit. Floor: a 200 m x 1.6 m plane from x = -2 (DMC's).
// Initial state: every limited (leg) joint uniform in its range; the root joints at 0 (torso 0.7 m up);
// then 200 physics steps with zero control so the cheetah drops onto the floor and settles.
// Observation (17): position(8) = qpos without rootx (rootz, rooty, bthigh, bshin, bfoot, fthigh,
//                   fshin, ffoot); velocity(9) = qvel (rootx, rootz, rooty, then the six leg joints).
// Reward: tolerance(v, bounds = [10, inf), margin 10, linear, value_at_margin 0) = clip(v / 10, 0, 1),
//         v = x velocity of the torso subtree's centre of mass, read from the "torso_subtreelinvel"
//         sensor as DMC does (the Env leaves sensordata describing the post-step state).
// Cameras: 0 "side" (DMC's pixel camera, tracks the centre of mass from 3 m to the side), 1 "back".
//
// Differences from DMC (dm_control/suite/cheetah.py, cheetah.xml, common/*.xml):
// - Self-contained MJCF: the common visual/skybox/material includes are composed in from
//   common_mjcf.h (only what this model uses). The "side" camera's orientation is given as axes (x along world x, up along world z),
//   the same 90-degree rotation as DMC's quaternion.
// - Settling: DMC's first settling step reuses position-dependent quantities computed at the default
//   pose before the joints were randomized (its legacy mj_step2/mj_step1 split); here the Env's state
//   after mj_resetData is brought up to date (mj_forward) before the 200 plain mj_step calls. After
//   200 steps the difference is immaterial. Time is reset to 0 afterwards, as in DMC.
// - Random numbers come from std::mt19937_64 (not NumPy's RandomState): same distribution, different
//   draws for a given seed.
#include "cheetah.h"

#include <algorithm>
#include <random>

#include "../tolerance.h"
#include "common_mjcf.h"
#include "randomize.h"
#include "sensors.h"

namespace lf::envs {

namespace {

// The model's own parts; model_mjcf() adds DMC's common visual settings and assets (common_mjcf.h).
constexpr const char* kOptions = R"MJCF(
  <compiler settotalmass="14"/>
  <option timestep="0.01"/>
  <statistic center="0 0 .7" extent="2"/>
)MJCF";

constexpr const char* kBody = R"MJCF(
  <default>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
    <default class="leg">
      <joint type="hinge" axis="0 1 0" limited="true" stiffness="8" damping=".01" armature=".1"/>
      <geom type="capsule" size=".046" condim="3" contype="1" conaffinity="1" friction=".4 .1 .1"
            material="self"/>
    </default>
    <default class="root">
      <joint limited="false" stiffness="0" damping="0" armature="0"/>
    </default>
  </default>

  <worldbody>
    <geom name="ground" type="plane" pos="98 0 0" size="100 .8 .5" conaffinity="1" material="grid"/>
    <body name="torso" pos="0 0 .7" childclass="leg">
      <light name="light" pos="0 0 2" mode="trackcom"/>
      <camera name="side" pos="0 -3 0" xyaxes="1 0 0 0 0 1" mode="trackcom"/>
      <camera name="back" pos="-1.8 -1.3 .8" xyaxes=".45 -.9 0 .3 .15 .94" mode="trackcom"/>
      <joint name="rootx" class="root" type="slide" axis="1 0 0"/>
      <joint name="rootz" class="root" type="slide" axis="0 0 1"/>
      <joint name="rooty" class="root" type="hinge" axis="0 1 0"/>
      <geom name="torso" fromto="-.5 0 0 .5 0 0"/>
      <geom name="head" pos=".6 0 .1" euler="0 50 0" size=".046 .15"/>

      <body name="bthigh" pos="-.5 0 0">
        <joint name="bthigh" range="-30 60" stiffness="240" damping="6"/>
        <geom name="bthigh" pos=".1 0 -.13" euler="0 -218 0" size=".046 .145"/>
        <body name="bshin" pos=".16 0 -.25">
          <joint name="bshin" range="-50 50" stiffness="180" damping="4.5"/>
          <geom name="bshin" pos="-.14 0 -.07" euler="0 -116 0" size=".046 .15"/>
          <body name="bfoot" pos="-.28 0 -.14">
            <joint name="bfoot" range="-230 50" stiffness="120" damping="3"/>
            <geom name="bfoot" pos=".03 0 -.097" euler="0 -15 0" size=".046 .094"/>
          </body>
        </body>
      </body>

      <body name="fthigh" pos=".5 0 0">
        <joint name="fthigh" range="-57 .4" stiffness="180" damping="4.5"/>
        <geom name="fthigh" pos="-.07 0 -.12" euler="0 30 0" size=".046 .133"/>
        <body name="fshin" pos="-.14 0 -.24">
          <joint name="fshin" range="-70 50" stiffness="120" damping="3"/>
          <geom name="fshin" pos=".065 0 -.09" euler="0 -34 0" size=".046 .106"/>
          <body name="ffoot" pos=".13 0 -.18">
            <joint name="ffoot" range="-28 28" stiffness="60" damping="1.5"/>
            <geom name="ffoot" pos=".045 0 -.07" euler="0 -34 0" size=".046 .07"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>

  <sensor>
    <subtreelinvel name="torso_subtreelinvel" body="torso"/>
  </sensor>

  <actuator>
    <motor name="bthigh" joint="bthigh" gear="120"/>
    <motor name="bshin" joint="bshin" gear="90"/>
    <motor name="bfoot" joint="bfoot" gear="60"/>
    <motor name="fthigh" joint="fthigh" gear="90"/>
    <motor name="fshin" joint="fshin" gear="60"/>
    <motor name="ffoot" joint="ffoot" gear="30"/>
  </actuator>
)MJCF";

std::string model_mjcf() {
  return dmc::model("cheetah", {kOptions, dmc::visual(),
                                dmc::asset({dmc::skybox_texture("skybox"), dmc::grid_material("grid"), dmc::kSelfMaterial}),
                                kBody});
}

// DMC: running speed (m/s) at and above which the reward is 1.
constexpr double kRunSpeed = 10.0;
// DMC: physics steps (zero control) that let the randomized cheetah settle before the episode.
constexpr int kSettleSteps = 200;

class CheetahRun final : public Task {
 public:
  std::string mjcf() const override { return model_mjcf(); }
  double control_timestep() const override { return 0.01; }

  std::vector<std::pair<std::string, int>> observation_spec() const override {
    return {{"position", 8}, {"velocity", 9}};
  }

  void initialize_episode(const mjModel* m, mjData* d, std::mt19937_64& rng) const override {
    randomize_limited_joints(m, d, rng);
    mj_forward(m, d);
    for (int i = 0; i < kSettleSteps; ++i) mj_step(m, d);
    d->time = 0.0;
  }

  void observe(const mjModel* m, const mjData* d, double* out) const override {
    std::copy(d->qpos + 1, d->qpos + m->nq, out);
    std::copy(d->qvel, d->qvel + m->nv, out + (m->nq - 1));
  }

  double reward(const mjModel* m, const mjData* d) const override {
    const double speed = torso_subtree_vx(m, d);
    return tolerance(speed, kRunSpeed, INFINITY, kRunSpeed, Sigmoid::Linear, 0.0);
  }
};

}  // namespace

std::unique_ptr<Task> make_cheetah_run() { return std::make_unique<CheetahRun>(); }

}  // namespace lf::envs
