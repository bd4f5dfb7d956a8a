// Ball in cup, catch (DMC cup-catch): a cup moving in the x-z plane swings a ball tied to it by a
// 0.3 m string and must catch it in the cup.
//
// Model: the cup (5 capsules of radius 0.008 forming a 0.1 m wide, 0.1 m deep cup) hangs at
// z = 0.6 on two slide joints (x and z, stiffness 20, damping 3), each driven by a motor with gear
// 5 and control range [-1, 1]; the ball (sphere of radius 0.025) on two undamped slides (x and z,
// body at z = 0.2); a spatial tendon of length at most 0.3 from the ball's centre to a site just
// below the cup bottom. Gravity on; MuJoCo's default physics timestep 0.002 s (DMC's MJCF sets
// none), control timestep 0.02 s (10 physics steps), 1000 control steps (20 s).
// Initial state: the cup at rest at its origin; the ball at x ~ U(-0.2, 0.2), z-slide ~ U(0.2, 0.5)
// (world height 0.4 to 0.7), zero velocity, redrawn until nothing is in contact.
// Observation (8): position(4) = qpos [cup x, cup z, ball x, ball z]; velocity(4) = qvel.
// Reward (sparse): 1 while the ball's centre lies strictly inside the cup's target box shrunk by
// the ball radius: |dx| < 0.05 - 0.025 and |dz| < 0.05 - 0.025, the box centred 0.05 below the
// cup's rim; else 0.
// Cameras as in DMC's ball_in_cup.xml: 0 "cam0" from (0, -1, 0.8) looking down at the scene (the
// one DMC and the pixel benchmarks render), 1 "cam1" from (0, -1, 0.4) level with the cup.
//
// Differences from DMC:
// - The ball-to-target vector is computed from qpos (the target site and the ball centre are
//   fixed offsets from the slide positions) rather than read from site_xpos/xpos: the same numbers
//   (a test checks them against MuJoCo's positions).
// - DMC's rejection loop has no attempt limit; ours gives up (throws) after 1000 draws (only draws
//   that put the ball through a cup wall are rejected, a small fraction of the box).
// - Random draws come from std::mt19937_64, so seeds do not reproduce DMC's numpy episodes.
// - The assets and visual settings follow DMC's common files, composed in from common_mjcf.h.
#include "ball_in_cup.h"

#include <cmath>
#include <stdexcept>

#include "common_mjcf.h"

namespace lf::envs {
namespace {

// Geometry shared with the MJCF below.
constexpr double kCupHeight = 0.6;       // cup body z
constexpr double kTargetOffset = -0.05;  // target box centre below the cup body
constexpr double kTargetHalf = 0.05;     // target box half-size in x and z
constexpr double kBallHeight = 0.2;      // ball body z
constexpr double kBallRadius = 0.025;
constexpr int kMaxInitAttempts = 1000;

// qpos / qvel indices
constexpr int kCupX = 0, kCupZ = 1, kBallX = 2, kBallZ = 3;

// The model's own parts; model_mjcf() adds DMC's common visual settings and assets (common_mjcf.h).
constexpr const char* kBody = R"MJCF(
  <default>
    <motor gear="5" ctrllimited="true" ctrlrange="-1 1"/>
    <default class="cup">
      <joint type="slide" stiffness="20" damping="3"/>
      <geom type="capsule" size=".008" material="self"/>
    </default>
  </default>

  <worldbody>
    <light name="light" directional="true" pos="0 0 2" diffuse=".6 .6 .6" specular=".3 .3 .3"/>
    <geom name="ground" type="plane" size=".6 .2 10" material="grid"/>
    <camera name="cam0" pos="0 -1 .8" xyaxes="1 0 0  0 1 2"/>
    <camera name="cam1" pos="0 -1 .4" xyaxes="1 0 0  0 0 1"/>

    <body name="cup" pos="0 0 .6" childclass="cup">
      <joint name="cup_x" axis="1 0 0"/>
      <joint name="cup_z" axis="0 0 1"/>
      <!-- left wall, left chamfer, bottom, right chamfer, right wall -->
      <geom name="cup_part_0" fromto="-.05 0 0  -.05 0 -.075"/>
      <geom name="cup_part_1" fromto="-.05 0 -.075  -.025 0 -.1"/>
      <geom name="cup_part_2" fromto="-.025 0 -.1  .025 0 -.1"/>
      <geom name="cup_part_3" fromto=".025 0 -.1  .05 0 -.075"/>
      <geom name="cup_part_4" fromto=".05 0 -.075  .05 0 0"/>
      <site name="touch" type="ellipsoid" pos="0 0 -.092" size=".03 .01 .005" material="site" group="3"/>
      <site name="cup" pos="0 0 -.108" size=".005"/>
      <site name="target" type="box" pos="0 0 -.05" size=".05 .006 .05" group="4"/>
    </body>

    <body name="ball" pos="0 0 .2">
      <joint name="ball_x" type="slide" axis="1 0 0"/>
      <joint name="ball_z" type="slide" axis="0 0 1"/>
      <geom name="ball" type="sphere" size=".025" material="effector"/>
      <site name="ball" size=".005"/>
    </body>
  </worldbody>

  <tendon>
    <spatial name="string" limited="true" range="0 .3" width=".003">
      <site site="ball"/>
      <site site="cup"/>
    </spatial>
  </tendon>

  <actuator>
    <motor name="x" joint="cup_x"/>
    <motor name="z" joint="cup_z"/>
  </actuator>

  <sensor>
    <touch name="touch" site="touch"/>
  </sensor>
)MJCF";

std::string model_mjcf() {
  return dmc::model("ball_in_cup", {dmc::visual(true),
                                    dmc::asset({dmc::skybox_texture("sky"), dmc::grid_material("floor"), dmc::kSelfMaterial,
                                                dmc::kEffectorMaterial, dmc::kSiteMaterial}),
                                    kBody});
}

class BallInCupCatch final : public Task {
 public:
  std::string mjcf() const override { return model_mjcf(); }
  double control_timestep() const override { return 0.02; }
  std::vector<std::pair<std::string, int>> observation_spec() const override {
    return {{"position", 4}, {"velocity", 4}};
  }

  void initialize_episode(const mjModel* m, mjData* d, std::mt19937_64& rng) const override {
    std::uniform_real_distribution<double> ball_x(-0.2, 0.2), ball_z(0.2, 0.5);
    for (int attempt = 0; attempt < kMaxInitAttempts; ++attempt) {
      d->qpos[kBallX] = ball_x(rng);
      d->qpos[kBallZ] = ball_z(rng);
      mj_forward(m, d);
      if (d->ncon == 0) return;
    }
    throw std::runtime_error("ball_in_cup_catch: no contact-free initial state in 1000 draws");
  }

  void observe(const mjModel* m, const mjData* d, double* out) const override {
    for (int i = 0; i < 4; ++i) out[i] = d->qpos[i];
    for (int i = 0; i < 4; ++i) out[4 + i] = d->qvel[i];
    (void)m;
  }

  double reward(const mjModel*, const mjData* d) const override {
    const double dx = d->qpos[kCupX] - d->qpos[kBallX];
    const double dz = (kCupHeight + d->qpos[kCupZ] + kTargetOffset) - (kBallHeight + d->qpos[kBallZ]);
    const double inner = kTargetHalf - kBallRadius;
    return std::abs(dx) < inner && std::abs(dz) < inner ? 1.0 : 0.0;
  }
};

}  // namespace

std::unique_ptr<Task> make_ball_in_cup_catch() { return std::make_unique<BallInCupCatch>(); }

}  // namespace lf::envs
