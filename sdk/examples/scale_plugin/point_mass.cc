#include "point_mass.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace lf::example {

namespace {

enum Out { kState, kReward, kFirst, kLast, kReturn };

class PointMass final : public Node {
 public:
  PointMass(const Params& p, uint64_t seed)
      : n_(p.i("envs")), steps_(p.i("episode_steps")), dt_(p.f("dt")), rng_(seed), x_(n_), v_(n_), t_(n_),
        ret_(n_), reset_(n_, true) {}

  nlohmann::json spec() const override {
    return {{"observation", {{{"name", "position"}, {"size", 1}}, {{"name", "velocity"}, {"size", 1}}}},
            {"action", {{"size", 1}, {"low", -1.0}, {"high", 1.0}}},
            {"agent_steps_per_episode", steps_},
            {"envs", n_}};
  }

  void run(CallContext& ctx) override {
    at::Tensor action;
    if (ctx.has(0)) {
      action = ctx.in(0).to(at::kDouble).contiguous();
      if (action.dim() != 2 || action.size(0) != n_ || action.size(1) != 1) {
        throw std::invalid_argument("action must be [" + std::to_string(n_) + ", 1]");
      }
    }
    at::Tensor state = at::empty({n_, 2}), reward = at::zeros({n_}), first = at::zeros({n_}),
               last = at::zeros({n_}), ret = at::empty({n_});
    std::uniform_real_distribution<double> start(-1.0, 1.0);
    for (int64_t i = 0; i < n_; ++i) {
      if (!action.defined() || reset_[i]) {
        x_[i] = start(rng_), v_[i] = 0, t_[i] = 0, ret_[i] = 0;
        first[i] = 1;
      } else {
        const double f = std::clamp(action[i][0].item<double>(), -1.0, 1.0);
        v_[i] += f * dt_;  // semi-implicit Euler
        x_[i] += v_[i] * dt_;
        const double r = 1.0 - std::min(std::abs(x_[i]), 1.0);
        reward[i] = r;
        ret_[i] += r;
        ++t_[i];
      }
      reset_[i] = t_[i] >= steps_;
      last[i] = reset_[i] ? 1 : 0;
      state[i][0] = x_[i];
      state[i][1] = v_[i];
      ret[i] = ret_[i];
    }
    ctx.set(kState, state);
    ctx.set(kReward, reward);
    ctx.set(kFirst, first);
    ctx.set(kLast, last);
    ctx.set(kReturn, ret);
  }

 private:
  int64_t n_, steps_;
  double dt_;
  std::mt19937_64 rng_;
  std::vector<double> x_, v_;
  std::vector<int64_t> t_;
  std::vector<double> ret_;
  std::vector<bool> reset_;
};

}  // namespace

NodeSchema PointMassSchema() {
  return SchemaBuilder("example.point_mass")
      .category("env")
      .doc("A unit mass on a line pushed toward the origin: a minimal custom environment")
      .stateful()
      .optional_input("action", {"envs", "1"}, "force in [-1, 1]; unconnected: start new episodes")
      .output("state", {"envs", "2"}, "position, velocity")
      .output("reward", {"envs"}, "1 - min(|x|, 1)")
      .output("first", {"envs"}, "1 where this step starts an episode")
      .output("last", {"envs"}, "1 where this step ends an episode")
      .output("episode_return", {"envs"}, "return of the current episode so far")
      .param("envs", ParamType::Int, 1, "parallel instances", 1)
      .param("episode_steps", ParamType::Int, 200, "steps per episode", 1)
      .param("dt", ParamType::Float, 0.05, "seconds per step", 1e-4, 1.0)
      .build();
}

std::unique_ptr<Node> MakePointMass(const Params& p, BuildContext& ctx) {
  return std::make_unique<PointMass>(p, ctx.seed());
}

}  // namespace lf::example
