#include "env.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace lf::envs {

namespace {
[[noreturn]] void throw_mujoco_error(const char* msg) { throw std::runtime_error(std::string("MuJoCo: ") + msg); }
}  // namespace

void install_mujoco_error_handler() {
  static std::once_flag once;
  std::call_once(once, [] { mju_user_error = throw_mujoco_error; });
}

mjModel* compile_mjcf(const std::string& xml, const std::string& name) {
  install_mujoco_error_handler();
  // MuJoCo 2.2 parses from a virtual file system; each call gets its own.
  auto vfs = std::make_unique<mjVFS>();  // ~2 MB: not for a worker thread's stack
  mj_defaultVFS(vfs.get());
  const std::string file = name + ".xml";
  if (mj_makeEmptyFileVFS(vfs.get(), file.c_str(), static_cast<int>(xml.size())) != 0) {
    mj_deleteVFS(vfs.get());
    throw std::runtime_error("MuJoCo: cannot create a virtual file for " + file);
  }
  const int idx = mj_findFileVFS(vfs.get(), file.c_str());
  std::copy(xml.begin(), xml.end(), static_cast<char*>(vfs->filedata[idx]));
  char error[1024] = "";
  mjModel* m = mj_loadXML(file.c_str(), vfs.get(), error, sizeof error);
  mj_deleteVFS(vfs.get());
  if (!m) throw std::runtime_error("MJCF of '" + name + "' does not compile: " + error);
  return m;
}

std::shared_ptr<const mjModel> shared_model(const std::string& xml, const std::string& name) {
  // Keyed by the whole text, so tasks share a model only when their MJCF is identical (the two
  // cartpole tasks do). Weak entries: a model lives as long as its users.
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const mjModel>> models;
  std::lock_guard lock(mutex);  // also keeps compilations off each other's threads
  std::erase_if(models, [](const auto& entry) { return entry.second.expired(); });
  auto& entry = models[xml];
  if (auto model = entry.lock()) return model;
  std::shared_ptr<const mjModel> model(compile_mjcf(xml, name), [](const mjModel* m) {
    mj_deleteModel(const_cast<mjModel*>(m));
  });
  entry = model;
  return model;
}

Env::Env(std::unique_ptr<Task> task, const EnvConfig& config)
    : config_(config), task_(std::move(task)), rng_(config.seed) {
  if (config.action_repeat < 1) throw std::invalid_argument("action_repeat must be >= 1");
  if (config.episode_steps < 1) throw std::invalid_argument("episode_steps must be >= 1");
  model_ = shared_model(task_->mjcf(), config.task);
  data_ = mj_makeData(model());
  substeps_ = std::max(1, static_cast<int>(std::lround(task_->control_timestep() / model_->opt.timestep)));
  for (const auto& [name, size] : task_->observation_spec()) obs_size_ += size;
  obs_.resize(static_cast<size_t>(obs_size_));
  reset();
}

const mjData* Env::synced_data() {
  if (!synced_) {
    mj_step1(model(), data_);
    synced_ = true;
  }
  return data_;
}

Env::~Env() {
  if (data_) mj_deleteData(data_);
}

void Env::reset() {
  mj_resetData(model(), data_);
  task_->initialize_episode(model(), data_, rng_);
  mj_forward(model(), data_);
  synced_ = true;
  control_step_ = 0;
  task_->observe(model(), data_, obs_.data());
}

double Env::step(const double* action) {
  for (int i = 0; i < model_->nu; ++i) {
    if (!std::isfinite(action[i])) {
      throw std::invalid_argument("action " + std::to_string(i) + " is " + std::to_string(action[i]) +
                                  ": a policy produced a non-finite value");
    }
    const double a = std::clamp(action[i], -1.0, 1.0);
    const double lo = model_->actuator_ctrlrange[2 * i], hi = model_->actuator_ctrlrange[2 * i + 1];
    data_->ctrl[i] = model_->actuator_ctrllimited[i] ? lo + (a + 1.0) * 0.5 * (hi - lo) : a;
  }
  // As DMC does, derived quantities (body frames, sensors) describe the state after the step, not
  // before it. With Euler, DMC's mj_step2 + mj_step1 split gives that at the cost of mj_step; other
  // integrators need an mj_step1 after the step, paid only when a task or the renderer reads them.
  const bool euler = model_->opt.integrator == mjINT_EULER;
  double total = 0.0;
  for (int r = 0; r < config_.action_repeat && !done(); ++r) {
    for (int s = 0; s < substeps_; ++s) {
      if (euler) {
        mj_step2(model(), data_);
        mj_step1(model(), data_);
      } else {
        mj_step(model(), data_);
      }
    }
    synced_ = euler;
    if (task_->reads_derived_state()) synced_data();
    ++control_step_;
    total += task_->reward(model(), data_);
  }
  task_->observe(model(), data_, obs_.data());
  return total;
}

namespace {
// The mjData arrays that, with the model, determine every later step (MuJoCo 2.2 has no
// mj_getState): pointer and length per array, in the saved order.
std::vector<std::pair<mjtNum*, int>> integration_arrays(const mjModel* m, mjData* d) {
  return {{&d->time, 1},
          {d->qpos, m->nq},
          {d->qvel, m->nv},
          {d->act, m->na},
          {d->qacc_warmstart, m->nv},
          {d->ctrl, m->nu},
          {d->qfrc_applied, m->nv},
          {d->xfrc_applied, 6 * m->nbody},
          {d->mocap_pos, 3 * m->nmocap},
          {d->mocap_quat, 4 * m->nmocap},
          {d->userdata, m->nuserdata}};
}
}  // namespace

std::vector<double> Env::episode_state() const {
  std::vector<double> out{static_cast<double>(control_step_)};
  for (const auto& [p, n] : integration_arrays(model(), data_)) out.insert(out.end(), p, p + n);
  out.insert(out.end(), obs_.begin(), obs_.end());
  return out;
}

void Env::set_episode_state(const std::vector<double>& state) {
  const auto arrays = integration_arrays(model(), data_);
  size_t size = 1 + obs_.size();
  for (const auto& [p, n] : arrays) size += static_cast<size_t>(n);
  if (state.size() != size)
    throw std::invalid_argument("an episode state of task '" + config_.task + "' has " + std::to_string(size) +
                                " values, got " + std::to_string(state.size()));
  control_step_ = static_cast<int>(state[0]);
  const double* at = state.data() + 1;
  for (const auto& [p, n] : arrays) {
    std::copy(at, at + n, p);
    at += n;
  }
  std::copy(at, at + obs_.size(), obs_.begin());
  // The position and velocity stages derive the rest (body frames, contacts, sensors) as the
  // step that reached this state left them; mj_step2 and mj_step start from these. Only the
  // acceleration stage writes the warm start, so it stays as saved.
  mj_step1(model(), data_);
  synced_ = true;
}

std::string Env::rng_state() const {
  std::ostringstream out;
  out << rng_;
  return out.str();
}

void Env::set_rng_state(const std::string& text) {
  std::istringstream in(text);
  std::mt19937_64 rng;
  in >> rng;
  if (in.fail()) throw std::invalid_argument("not a saved generator state of task '" + config_.task + "'");
  rng_ = rng;
}

}  // namespace lf::envs
