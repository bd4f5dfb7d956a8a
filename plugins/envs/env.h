// One environment instance: a task's MuJoCo model and data, action repeat, the episode time limit
// and its own random generator. Instances of a task share its compiled model, read-only (MuJoCo
// steps any number of mjData over one mjModel, on any threads); everything they write is their
// own, so a vector of them steps in parallel.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <mujoco/mujoco.h>

#include "task.h"

namespace lf::envs {

struct EnvConfig {
  std::string task;
  int action_repeat = 1;       // control steps per agent step; rewards are summed over them
  int episode_steps = 1000;    // control steps per episode (DMC: 1000)
  uint64_t seed = 0;
};

class Env {
 public:
  // Throws std::invalid_argument for an unknown task (naming the valid ones) and
  // std::runtime_error with MuJoCo's message for a model that does not compile.
  explicit Env(const EnvConfig& config);
  // An instance of a task object directly (config.task is then only its name in messages).
  Env(std::unique_ptr<Task> task, const EnvConfig& config);
  ~Env();
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  int action_size() const { return model_->nu; }
  int observation_size() const { return obs_size_; }
  const Task& task() const { return *task_; }
  // The task's model, shared with every other instance of a task with the same MJCF text.
  const mjModel* model() const { return model_.get(); }
  mjData* data() { return data_; }
  // The data with every derived quantity (body frames, sensors) describing the current state, as
  // the renderer needs it.
  const mjData* synced_data();
  const EnvConfig& config() const { return config_; }

  // Starts a new episode; observation() is then its first observation.
  void reset();
  // Applies the action (action_size() values in [-1, 1], clipped, scaled to the actuators' control
  // range) for action_repeat control steps or until the time limit; returns the summed reward.
  // A non-finite action throws std::invalid_argument: it is a bug upstream, never silently zeroed.
  double step(const double* action);
  // True once the episode's time limit is reached.
  bool done() const { return control_step_ >= config_.episode_steps; }
  int control_step() const { return control_step_; }
  const std::vector<double>& observation() const { return obs_; }
  // The random generator's state as text, for checkpoints; set_rng_state throws on bad text.
  std::string rng_state() const;
  void set_rng_state(const std::string& text);
  // The episode under way, for checkpoints: the control step, MuJoCo's integration state (time,
  // qpos, qvel, act, the constraint solver's warm start, ctrl, applied forces, mocap poses, user
  // data) and the observation. An instance given it steps on exactly as the one that gave it.
  // set_episode_state throws std::invalid_argument on a state of another size (another task).
  std::vector<double> episode_state() const;
  void set_episode_state(const std::vector<double>& state);

 private:
  EnvConfig config_;
  std::unique_ptr<Task> task_;
  std::shared_ptr<const mjModel> model_;
  mjData* data_ = nullptr;
  int substeps_ = 1;
  int obs_size_ = 0;
  int control_step_ = 0;
  bool synced_ = true;  // derived quantities describe the current state
  std::vector<double> obs_;
  std::mt19937_64 rng_;
};

// Compiles MJCF text; throws std::runtime_error carrying MuJoCo's error message.
mjModel* compile_mjcf(const std::string& xml, const std::string& name);

// The model compiled from `xml`, compiled once for all its users: while any holder of the returned
// pointer lives, every call with the same text returns the same model (a call after the last
// holder is gone compiles it again). Compiling is most of an instance's build time (the 800x800
// skybox texture alone is 11.8 MB per model). Thread-safe; `name` is for error messages.
std::shared_ptr<const mjModel> shared_model(const std::string& xml, const std::string& name);

// Replaces MuJoCo's default error handler (which prints, waits for Enter and exits) with one that
// throws std::runtime_error. Idempotent; called by every Env.
void install_mujoco_error_handler();

}  // namespace lf::envs
