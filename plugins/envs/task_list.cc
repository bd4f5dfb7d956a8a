// The tasks this plugin serves, by DMC's names.
#include <functional>
#include <map>
#include <stdexcept>

#include "env.h"
#include "task.h"
#include "tasks/ball_in_cup.h"
#include "tasks/cartpole.h"
#include "tasks/cheetah.h"
#include "tasks/finger.h"
#include "tasks/pendulum.h"
#include "tasks/reacher.h"
#include "tasks/walker.h"

namespace lf::envs {

namespace {
const std::map<std::string, std::function<std::unique_ptr<Task>()>>& tasks() {
  static const std::map<std::string, std::function<std::unique_ptr<Task>()>> t = {
      {"ball_in_cup_catch", make_ball_in_cup_catch},
      {"cartpole_balance", make_cartpole_balance},
      {"cartpole_swingup", make_cartpole_swingup},
      {"cheetah_run", make_cheetah_run},
      {"finger_spin", make_finger_spin},
      {"pendulum_swingup", make_pendulum_swingup},
      {"reacher_easy", make_reacher_easy},
      {"walker_walk", make_walker_walk},
  };
  return t;
}
}  // namespace

std::unique_ptr<Task> make_task(const std::string& name) {
  auto it = tasks().find(name);
  return it == tasks().end() ? nullptr : it->second();
}

std::vector<std::string> task_names() {
  std::vector<std::string> out;
  for (const auto& [n, _] : tasks()) out.push_back(n);
  return out;
}

namespace {
std::unique_ptr<Task> task_by_name(const std::string& name) {
  auto task = make_task(name);
  if (!task) {
    std::string names;
    for (const auto& n : task_names()) names += (names.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown task '" + name + "' (valid: " + names + ")");
  }
  return task;
}
}  // namespace

Env::Env(const EnvConfig& config) : Env(task_by_name(config.task), config) {}

}  // namespace lf::envs
