// A control task: an MJCF model plus the task logic that DeepMind Control Suite (DMC) defines for it
// (initial state, observation, reward). Physics, action repeat, time limits, vectorization and
// rendering are the environment's job (env.h), so a task is only what differs between tasks.
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include <mujoco/mujoco.h>

namespace lf::envs {

class Task {
 public:
  virtual ~Task() = default;

  // The model, as MJCF text. Its <option timestep> is DMC's physics timestep for the task.
  virtual std::string mjcf() const = 0;
  // Seconds of simulated time per control step (DMC's control timestep); the environment runs
  // round(control_timestep / model timestep) physics steps per control step.
  virtual double control_timestep() const = 0;
  // Observation layout: named parts, in order, with their sizes (documented in docs/envs.md).
  virtual std::vector<std::pair<std::string, int>> observation_spec() const = 0;
  // Sets the state at the start of an episode; called after mj_resetData, followed by mj_forward.
  virtual void initialize_episode(const mjModel* m, mjData* d, std::mt19937_64& rng) const = 0;
  // Writes the observation (observation_spec's sizes summed) for the current state.
  virtual void observe(const mjModel* m, const mjData* d, double* out) const = 0;
  // The reward of the current state (after the control step), in [0, 1].
  virtual double reward(const mjModel* m, const mjData* d) const = 0;
  // The camera that DMC renders by default (an id into the model's cameras; -1 = free camera).
  virtual int default_camera() const { return 0; }
  // Whether observe() and reward() read derived quantities (body frames, sensors) rather than
  // only qpos, qvel and ctrl. With a non-Euler integrator, derived quantities cost an extra
  // mj_step1 after each control step to be brought to the post-step state.
  virtual bool reads_derived_state() const { return true; }
};

// "pendulum_swingup", "cartpole_balance", ... -> the task; nullptr for an unknown name.
std::unique_ptr<Task> make_task(const std::string& name);
std::vector<std::string> task_names();

}  // namespace lf::envs
