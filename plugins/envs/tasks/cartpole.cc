// DMC cartpole, tasks "balance" and "swingup" (smooth rewards): a cart on a rail pushed by a motor, with
// an un-actuated pole hinged on it; keep the pole upright with the cart near the centre.
//
// Model: cart box (half sizes 0.2 0.15 0.1, 1 kg) on a slide joint along x, limited to [-1.8, 1.8]
// (solreflimit .08 1, damping 5e-4); pole capsule of length 1 (radius 0.045, 0.1 kg) hinged about y at
// the cart's centre (damping 2e-6); one motor on the slider, gear 10, control range [-1, 1] (<= 10 N).
// RK4, physics timestep 0.01 s, control timestep 0.01 s, 1000 control steps = DMC's 10 s. Contacts off.
// Initial state (angle 0 = upright):
//   balance: cart x ~ U(-0.1, 0.1), pole angle ~ U(-0.034, 0.034);
//   swingup: cart x ~ 0.01 N(0,1), pole angle ~ pi + 0.01 N(0,1) (hanging down);
//   both:    every velocity ~ 0.01 N(0,1).
// Observation (5): position(3) = [cart x, pole zz, pole xz] = [x, cos angle, sin angle];
//                  velocity(2) = [cart velocity, pole angular velocity].
// Reward (both tasks): upright * centered * small_control * small_velocity, with
//   upright        = (cos angle + 1) / 2
//   centered       = (1 + tolerance(x, [0, 0], margin 2, gaussian)) / 2
//   small_control  = (4 + tolerance(ctrl, [0, 0], margin 1, quadratic, value_at_margin 0)) / 5
//   small_velocity = (1 + tolerance(pole angular velocity, [0, 0], margin 5, gaussian)) / 2
// Cameras: 0 "fixed" (DMC's pixel camera), 1 "lookatcart".
//
// Differences from DMC (dm_control/suite/cartpole.py, cartpole.xml, common/*.xml):
// - Self-contained MJCF: the common visual/skybox/material includes are replaced by the equivalent
//   pieces from common_mjcf.h (only the materials this model uses); the "pole" default class is kept.
// - Only the single-pole model and the two smooth-reward tasks; DMC's sparse variants and the
//   two/three-pole models are not built.
// - Pole orientation (observation and reward) is computed from qpos instead of xmat: identical numbers
//   for this model (a test checks it).
// - Random numbers come from std::mt19937_64 (not NumPy's RandomState): same distributions, different
//   draws for a given seed.
#include "cartpole.h"

#include <cmath>
#include <random>

#include "../tolerance.h"
#include "common_mjcf.h"

namespace lf::envs {

namespace {

// The model's own parts; model_mjcf() adds DMC's common visual settings and assets (common_mjcf.h).
constexpr const char* kOptions = R"MJCF(
  <option timestep="0.01" integrator="RK4">
    <flag contact="disable" energy="enable"/>
  </option>
)MJCF";

constexpr const char* kBody = R"MJCF(
  <default>
    <default class="pole">
      <joint type="hinge" axis="0 1 0" damping="2e-6"/>
      <geom type="capsule" fromto="0 0 0 0 0 1" size=".045" mass=".1" material="self"/>
    </default>
  </default>

  <worldbody>
    <light name="light" pos="0 0 6"/>
    <camera name="fixed" pos="0 -4 1" zaxis="0 -1 0"/>
    <camera name="lookatcart" mode="targetbody" target="cart" pos="0 -2 2"/>
    <geom name="floor" type="plane" pos="0 0 -.05" size="4 4 .2" material="grid"/>
    <geom name="rail1" type="capsule" pos="0 .07 1" zaxis="1 0 0" size=".02 2" material="decoration"/>
    <geom name="rail2" type="capsule" pos="0 -.07 1" zaxis="1 0 0" size=".02 2" material="decoration"/>
    <body name="cart" pos="0 0 1">
      <joint name="slider" type="slide" axis="1 0 0" limited="true" range="-1.8 1.8"
             solreflimit=".08 1" damping="5e-4"/>
      <geom name="cart" type="box" size=".2 .15 .1" mass="1" material="self"/>
      <body name="pole_1" childclass="pole">
        <joint name="hinge_1"/>
        <geom name="pole_1"/>
      </body>
    </body>
  </worldbody>

  <actuator>
    <motor name="slide" joint="slider" gear="10" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
)MJCF";

std::string model_mjcf() {
  return dmc::model("cartpole", {kOptions, dmc::visual(),
                                 dmc::asset({dmc::skybox_texture("skybox"), dmc::grid_material("grid"), dmc::kSelfMaterial,
                                             dmc::kDecorationMaterial}),
                                 kBody});
}

class Cartpole final : public Task {
 public:
  // Observation and reward read only qpos, qvel and ctrl: no post-step sync needed (RK4).
  bool reads_derived_state() const override { return false; }
  explicit Cartpole(bool swing_up) : swing_up_(swing_up) {}

  std::string mjcf() const override { return model_mjcf(); }
  double control_timestep() const override { return 0.01; }

  std::vector<std::pair<std::string, int>> observation_spec() const override {
    return {{"position", 3}, {"velocity", 2}};
  }

  void initialize_episode(const mjModel* m, mjData* d, std::mt19937_64& rng) const override {
    std::normal_distribution<double> normal(0.0, 1.0);
    if (swing_up_) {
      d->qpos[0] = 0.01 * normal(rng);
      d->qpos[1] = M_PI + 0.01 * normal(rng);
    } else {
      d->qpos[0] = std::uniform_real_distribution<double>(-0.1, 0.1)(rng);
      d->qpos[1] = std::uniform_real_distribution<double>(-0.034, 0.034)(rng);
    }
    for (int i = 0; i < m->nv; ++i) d->qvel[i] = 0.01 * normal(rng);
  }

  void observe(const mjModel*, const mjData* d, double* out) const override {
    out[0] = d->qpos[0];
    out[1] = std::cos(d->qpos[1]);  // pole frame zz
    out[2] = std::sin(d->qpos[1]);  // pole frame xz
    out[3] = d->qvel[0];
    out[4] = d->qvel[1];
  }

  double reward(const mjModel*, const mjData* d) const override {
    const double upright = (std::cos(d->qpos[1]) + 1.0) / 2.0;
    const double centered = (1.0 + tolerance(d->qpos[0], 0.0, 0.0, 2.0)) / 2.0;
    const double small_control =
        (4.0 + tolerance(d->ctrl[0], 0.0, 0.0, 1.0, Sigmoid::Quadratic, 0.0)) / 5.0;
    const double small_velocity = (1.0 + tolerance(d->qvel[1], 0.0, 0.0, 5.0)) / 2.0;
    return upright * centered * small_control * small_velocity;
  }

 private:
  bool swing_up_;
};

}  // namespace

std::unique_ptr<Task> make_cartpole_balance() { return std::make_unique<Cartpole>(false); }
std::unique_ptr<Task> make_cartpole_swingup() { return std::make_unique<Cartpole>(true); }

}  // namespace lf::envs
