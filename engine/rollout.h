// A rollout: the program's statement for acting in environments. It calls a step flow once per
// agent step for a whole vector of environments and keeps the state the policy carries from step
// to step (an RSSM belief, the previous action) per environment, resetting an environment's rows
// to the init flow's values where its episode ends. The graph states what is carried, not how.
//
//   {"rollout": "collect_step", "init": "collect_init", "carry": {"h": "h", "s": "s", "action": "action"},
//    "until": "last", "count": {"env_steps": "env_steps"}, "counter": "episodes",
//    "metrics": {"train_return": "episode_return"}}
//
// - carry: step input <- the step output that feeds it at the next call; before the first call
//   and after an environment's `last` step, its rows come from the init flow's output of that name
//   (an init output of one row starts every environment of the step flow's environment block).
// - until: the step output with per-environment end flags [E]; the rollout runs until every
//   environment has ended one episode. "steps": N instead runs N calls, or with "step_output"
//   until that step output's sum over the calls reaches N (agent steps: an environment's reset
//   call, which applies no action, does not count).
// - count: counter += the sum of a step output at every call (environment steps, agent steps).
// - counter: the counter of finished episodes (default "episodes").
// - metrics: at each episode end, metric = the mean of a step output over the environments that
//   ended (an episode's return).
// - video: a step output of frames [E, H, W, 3]; the frames of environment 0's first episode in this
//   run are kept (video()) for the program to write as a GIF.
// - counters: step input <- a counter's value at each call (counter_inputs.h), e.g. the agent step
//   for a schedule.
// - grad: false by default (acting needs no autograd).
//
// A stop raised between two calls (Ctrl-C) pauses the rollout: its carried values and progress
// (calls counted, environments that ended, frames recorded) are its state, which the program
// checkpoints together with every node's state (the environments' physics, the replay buffer's
// episode under way), so a resumed run continues the same episodes at the same step.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "counter_inputs.h"
#include "latentflow/node.h"

namespace lf {

class FlowPlan;
class Runtime;

class Rollout {
 public:
  Rollout(Runtime& runtime, const nlohmann::json& statement);

  // Runs the statement once, or what is left of a paused run. Returns false when `stop` returned
  // true before a call: the run is paused there and the next run() continues it.
  bool run(std::map<std::string, int64_t>& counters, std::map<std::string, double>& metrics,
           const std::function<bool()>& stop);
  bool paused() const { return paused_; }

  // The carried values and, when paused, the progress, for checkpoints; load_state throws
  // std::invalid_argument on a state that does not fit this statement.
  void save_state(TensorDict& out) const;
  void load_state(const TensorDict& in);

  // The recorded frames of the last run, [T, H, W, 3]; undefined without "video".
  const at::Tensor& video() const { return video_; }
  const std::string& episodes_counter() const { return episodes_counter_; }

 private:
  void reset_where(const at::Tensor& ended);

  FlowPlan& step_;
  FlowPlan* init_ = nullptr;
  bool grad_ = false;
  int64_t steps_ = 0;  // > 0: run this many calls instead of until every environment ended
  int step_output_ = -1;  // the step output that counts toward steps_ (-1: each call counts 1)
  int64_t envs_ = 0;   // environments of the step flow's environment blocks (0: none or several sizes)
  int until_ = -1;     // step output with the end flags
  int video_output_ = -1;
  at::Tensor video_;
  std::string episodes_counter_;
  struct Carry {
    size_t input, output;
    int init_output;
  };
  std::vector<Carry> carry_;
  CounterInputs counter_inputs_;
  std::vector<std::pair<std::string, size_t>> count_, metrics_;
  std::vector<at::Tensor> carried_, init_values_;
  // A run's progress, kept across a pause.
  bool paused_ = false, recording_ = false;
  int64_t counted_ = 0, idle_calls_ = 0;
  at::Tensor ended_once_;
  std::vector<at::Tensor> frames_;
};

}  // namespace lf
