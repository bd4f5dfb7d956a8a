// Scripted episodes for the replay tests: environment e plays episodes of the lengths listed for it,
// one after the other (and then one that never ends). Every value is readable back: the obs of
// step t of episode id is [id * 1000 + t, -(id * 1000 + t)], id = 100 * e + k for e's k-th episode.
// The caller's action ([value + 0.5, -1]) and reward (value + 0.25) are non-zero even at first steps,
// where the buffer must store zeros.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace replay_test {

inline float value_of(int64_t id, int64_t t) { return static_cast<float>(id * 1000 + t); }

class Script {
 public:
  explicit Script(std::initializer_list<std::vector<int64_t>> lengths)
      : lengths_(lengths), episode_(lengths_.size(), 0), t_(lengths_.size(), 0) {}

  int64_t envs() const { return static_cast<int64_t>(lengths_.size()); }

  // The inputs of one agent step of every environment; advances the script.
  std::map<std::string, at::Tensor> step() {
    const int64_t n = envs();
    auto obs = at::empty({n, 2}), action = at::empty({n, 2}), reward = at::empty({n}), first = at::empty({n}),
         last = at::empty({n});
    for (int64_t e = 0; e < n; ++e) {
      const int64_t k = episode_[e], t = t_[e];
      const float v = value_of(100 * e + k, t);
      const bool ends = k < static_cast<int64_t>(lengths_[e].size()) && t == lengths_[e][k] - 1;
      obs[e][0] = v;
      obs[e][1] = -v;
      action[e][0] = v + 0.5f;
      action[e][1] = -1.f;
      reward[e] = v + 0.25f;
      first[e] = t == 0 ? 1.f : 0.f;
      last[e] = ends ? 1.f : 0.f;
      if (ends) {
        ++episode_[e];
        t_[e] = 0;
      } else {
        ++t_[e];
      }
    }
    return {{"obs", obs}, {"action", action}, {"reward", reward}, {"first", first}, {"last", last}};
  }

  // Runs `steps` agent steps through `node`; returns the last outputs.
  std::map<std::string, at::Tensor> play(lf::testing::TestNode& node, int64_t steps) {
    std::map<std::string, at::Tensor> out;
    for (int64_t s = 0; s < steps; ++s) out = node.run(step());
    return out;
  }

 private:
  std::vector<std::vector<int64_t>> lengths_;
  std::vector<int64_t> episode_, t_;
};

inline lf::TensorDict state_of(lf::testing::TestNode& node) {
  lf::TensorDict d;
  node.node().save_state(d);
  return d;
}

}  // namespace replay_test
